"""Your data (learners), erasure requests and the audit log (admins), the privacy notice (everyone)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from leaders import audit as audit_trail
from leaders import confirm, personal_data
from leaders.audit import Action
from leaders.auth.models import Role
from leaders.auth.rules import public, roles, signed_in
from leaders.credentials import services as credentials
from leaders.downloads import send_download
from leaders.filters import govuk_date
from leaders.privacy import audit_log, services

bp = Blueprint("privacy", __name__)


@bp.route("/privacy")
@public
def notice() -> str:
    return render_template("privacy/notice.html")


@bp.route("/account")
@signed_in
def account() -> str:
    return render_template(
        "privacy/account.html",
        request=services.erasure_request(current_user.id),
        my_credentials=credentials.of_learner(current_user.id),
        download_contents=personal_data.download_contents(),
    )


@bp.route("/account/my-data.zip")
@signed_in
def download() -> Response:
    return send_download(
        services.my_data(current_user.id),
        "place-leaders-my-data.zip",
        "application/zip",
    )


@bp.route("/account/erasure", methods=["POST"])
@signed_in
def request_erasure() -> Response:
    services.request_erasure(current_user.id)
    flash(
        "Your request is with the platform's administrators. They will erase your data and tell you when it is done.",
        "success",
    )
    return redirect(url_for("privacy.account"))


@bp.route("/admin/erasure-requests")
@signed_in
@roles(Role.ADMIN)
def erasures() -> str:
    return render_template("privacy/erasures.html", pending=services.pending_erasures())


@bp.route("/admin/erasure-requests/<int:request_id>/erase", methods=["GET", "POST"])
@signed_in
@roles(Role.ADMIN)
def erase(request_id: int) -> Response | tuple[str, int]:
    preview = services.erasure_preview(request_id)
    if not confirm.confirmed():
        return confirm.page(_erasing(preview))
    services.erase(request_id, current_user.id)
    flash(
        f"{preview.name}'s personal data is erased. Anonymous progress counts are kept.", "success"
    )
    return redirect(url_for("privacy.erasures"))


def _erasing(preview: services.ErasurePreview) -> confirm.Confirmation:
    what = [
        f"{preview.journal_entries} journal {'entry' if preview.journal_entries == 1 else 'entries'}",
        f"{preview.connections} {'connection' if preview.connections == 1 else 'connections'}",
    ]
    cohorts = ", ".join(preview.cohorts) if preview.cohorts else "no cohort"
    return confirm.Confirmation(
        heading=f"Erase {preview.name}'s personal data?",
        says=[
            f"{preview.name} ({preview.email}) asked on {govuk_date(preview.request.requested_at)} "
            f"for their data to be erased. They are in {cohorts}.",
            "Their name, email address, job title, organisation and password go, with "
            f"{' and '.join(what)}, their network survey answers and their learning set places. "
            "They will not be able to sign in again.",
            "Their progress, knowledge-check scores and attendance are kept without a name, "
            "so the cohorts' figures stay right.",
        ],
        warning="Erased data cannot be recovered.",
        button=f"Erase {preview.name}'s data",
        cancel_url=url_for("privacy.erasures"),
        breadcrumbs=[("Erasure requests", url_for("privacy.erasures"))],
    )


@bp.route("/admin/audit")
@signed_in
@roles(Role.ADMIN)
def audit() -> str:
    filters = audit_log.read_filters(request.args)
    page = None if filters.errors else audit_log.page_of(filters)
    return render_template(
        "privacy/audit.html",
        filters=filters,
        log=page,
        actions=list(Action),
        cohorts=audit_log.cohort_choices(),
        error_list=filters.errors,
    )


@bp.route("/admin/audit.csv")
@signed_in
@roles(Role.ADMIN)
def audit_csv() -> Response:
    filters = audit_log.read_filters(request.args)
    if filters.errors:
        args: dict[str, Any] = request.args.to_dict()  # url_for takes any of them as a query
        return redirect(url_for("privacy.audit", **args))
    body = audit_log.as_csv(filters)
    audit_trail.record_now(
        Action.EXPORTED, actor=current_user, detail=f"audit log CSV, {filters.describe()}"
    )
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    return response
