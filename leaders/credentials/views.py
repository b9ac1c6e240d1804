"""The public verification page and JSON, the issuer's keys and status list, the PDF, and the
staff actions (revoke: admins; award or withhold: the cohort's programme managers)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from leaders import confirm, tables
from leaders.auth.models import Role, User
from leaders.auth.rules import can_administer, public, roles, signed_in
from leaders.cohorts.access import cohort_access, require_manager
from leaders.cohorts.models import CohortMember, CohortRole
from leaders.credentials import pdf, services, signing, status
from leaders.credentials.models import Credential
from leaders.downloads import send_download
from leaders.extensions import db
from leaders.uow import transactional

bp = Blueprint("credentials", __name__)


def _row(credential_id: str) -> Credential:
    row = db.session.get(Credential, credential_id)
    if row is None:
        abort(404)
    return row


@bp.route("/credentials/<credential_id>")
@public
def show(credential_id: str) -> str:
    row = _row(credential_id)
    verdict = services.verify(row.token) if row.token else None
    return render_template(
        "credentials/show.html",
        row=row,
        state=services.state_of(row),
        verdict=verdict,
        issuer=services.issuer_profile(),
        criteria=_criteria(verdict),
    )


def _criteria(verdict: services.Verdict | None) -> str:
    if verdict is None or verdict.credential is None:
        return ""
    achievement = verdict.credential.get("credentialSubject", {}).get("achievement", {})
    return str(achievement.get("criteria", {}).get("narrative", ""))


@bp.route("/credentials/<credential_id>.json")
@public
def as_json(credential_id: str) -> Response:
    row = _row(credential_id)
    if not row.token:
        abort(410)
    response = jsonify(services.enveloped(row))
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.route("/credentials/<credential_id>.jwt")
@public
def as_jwt(credential_id: str) -> Response:
    row = _row(credential_id)
    if not row.token:
        abort(410)
    return Response(row.token, mimetype=signing.MEDIA_TYPE)


@bp.route("/credentials/status/<list_id>")
@public
def status_list(list_id: str) -> Response:
    if list_id != status.LIST_ID:
        abort(404)
    token = signing.sign(status.list_credential(signing.base_url(), services.issuer_profile()))
    response = Response(token, mimetype=signing.MEDIA_TYPE)
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/.well-known/did.json")
@public
def did_document() -> Response:
    return jsonify(signing.did_document())


@bp.route("/.well-known/jwks.json")
@public
def jwks() -> Response:
    return jsonify(signing.jwks())


@bp.route("/credentials/<credential_id>/certificate.pdf")
@signed_in
def certificate(credential_id: str) -> Response:
    """The PDF, for the learner it was issued to and for admins (it carries their name)."""
    row = _row(credential_id)
    if row.user_id != current_user.id and not can_administer(current_user):
        abort(404)
    if not row.token:
        abort(410)
    return send_download(
        pdf.certificate_pdf(row), f"certificate-{row.course_key}.pdf", "application/pdf"
    )


@bp.route("/credentials/<credential_id>/revoke", methods=["GET", "POST"])
@signed_in
@roles(Role.ADMIN)
@transactional
def revoke(credential_id: str) -> Response | str | tuple[str, int]:
    row = _row(credential_id)
    if row.revoked_at is not None:
        abort(404)
    reason = (request.form.get("reason") or "").strip()
    error = ""
    if request.method == "POST":
        if not reason:
            error = "Enter why the certificate is revoked"
        elif len(reason) > 500:
            error = "The reason must be 500 characters or fewer"
        elif confirm.confirmed():
            services.revoke(row, reason, current_user.id)
            flash(f"{row.recipient_name}'s certificate is revoked.", "success")
            return redirect(url_for("credentials.show", credential_id=row.id))
        else:
            return confirm.page(
                confirm.Confirmation(
                    heading=f"Revoke {row.recipient_name}'s certificate?",
                    says=[
                        f"The {row.course_title} certificate will show as revoked to anyone who "
                        "checks it, here and in the status list.",
                        f"Reason: {reason}",
                    ],
                    button="Yes, revoke it",
                    cancel_url=url_for("credentials.show", credential_id=row.id),
                    carry={"reason": reason},
                )
            )
    return render_template("credentials/revoke.html", row=row, reason=reason, error=error)


@bp.route("/cohorts/<int:cohort_id>/people/<int:user_id>/certificate", methods=["GET", "POST"])
@signed_in
@roles(Role.PROGRAMME_MANAGER, Role.ADMIN)
@transactional
def decide(cohort_id: int, user_id: int) -> Response | str | tuple[str, int]:
    access = require_manager(cohort_access(current_user, cohort_id))
    cohort = access.cohort
    learner = db.session.scalar(
        select(User)
        .join(CohortMember, CohortMember.user_id == User.id)
        .where(
            CohortMember.cohort_id == cohort_id,
            CohortMember.user_id == user_id,
            CohortMember.role == CohortRole.LEARNER.value,
        )
    )
    if learner is None:
        abort(404)
    result = services.outcome(user_id, cohort.course_key)
    decision = request.form.get("decision", "")
    reason = (request.form.get("reason") or "").strip()
    errors: dict[str, str] = {}
    if request.method == "POST":
        if decision not in ("award", "withhold"):
            errors["decision"] = "Choose whether to award or withhold the certificate"
        if not reason:
            errors["reason"] = "Enter the reason for your decision"
        elif len(reason) > 500:
            errors["reason"] = "The reason must be 500 characters or fewer"
        if not errors and confirm.confirmed():
            services.decide(user_id, cohort.course_key, decision, reason, current_user.id)
            done = "awarded" if decision == "award" else "withheld"
            flash(f"{learner.name}'s certificate is {done}.", "success")
            return redirect(url_for("credentials.decide", cohort_id=cohort_id, user_id=user_id))
        if not errors:
            verb = "Award" if decision == "award" else "Withhold"
            return confirm.page(
                confirm.Confirmation(
                    heading=f"{verb} {learner.name}'s certificate?",
                    says=[
                        "This overrides the course's rule for this learner."
                        + (
                            " A certificate already issued is revoked."
                            if verb == "Withhold"
                            else ""
                        ),
                        f"Reason: {reason}",
                    ],
                    warning="The decision and its reason are recorded in the audit log.",
                    button=f"Yes, {verb.lower()} it",
                    cancel_url=url_for("credentials.decide", cohort_id=cohort_id, user_id=user_id),
                    carry={"decision": decision, "reason": reason},
                )
            )
    return render_template(
        "credentials/decide.html",
        cohort=cohort,
        learner=learner,
        result=result,
        issued=services.current(user_id, cohort.course_key),
        decision=decision,
        reason=reason,
        errors=errors,
    )


_LIST_SORTS = {
    "issued": lambda item: item[0].issued_at,
    "name": lambda item: item[0].recipient_name,
    "course": lambda item: item[0].course_title,
    "status": lambda item: services.state_of(item[0]),
}


@bp.route("/admin/credentials")
@signed_in
@roles(Role.ADMIN)
def index() -> str:
    """Every certificate issued: search by name, email or cohort; sort; page."""
    state = tables.TableState.read(
        request.args, sorts=_LIST_SORTS, default_sort="issued", default_direction="desc"
    )
    rows = [
        item
        for item in services.everyone()
        if tables.matches(state.q, item[0].recipient_name, item[1], item[0].cohort_name)
    ]
    page = state.paged(tables.sort_rows(rows, state, _LIST_SORTS))
    return render_template(
        "credentials/index.html", state=state, page=page, state_of=services.state_of
    )
