"""The Emails pages (blueprint `emails`): what the outbox sent. A cohort's programme managers see
the emails about their cohort; admins see all.

Learners see none: the cohort page needs `can_manage`, the overall page the admin role. The pages
show who, what, when and how it went, never an email's body (invitations carry sign-in links).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from leaders import audit, uow
from leaders.auth.models import Role
from leaders.auth.rules import roles, signed_in
from leaders.cohorts.access import cohort_access, require_manager
from leaders.outbox import Status, services

bp = Blueprint("emails", __name__)


@bp.route("/cohorts/<int:cohort_id>/emails")
@signed_in
def cohort_emails(cohort_id: int) -> str:
    access = require_manager(cohort_access(current_user, cohort_id))
    return _page(access, url_for("emails.cohort_emails", cohort_id=cohort_id))


@bp.route("/cohorts/<int:cohort_id>/emails/<int:email_id>/send-again", methods=["POST"])
@signed_in
def cohort_send_again(cohort_id: int, email_id: int) -> Response:
    access = require_manager(cohort_access(current_user, cohort_id))
    _send_again(services.find(email_id, cohort_id), access.cohort)
    return redirect(url_for("emails.cohort_emails", cohort_id=cohort_id))


@bp.route("/admin/emails")
@signed_in
@roles(Role.ADMIN)
def all_emails() -> str:
    return _page(None, url_for("emails.all_emails"))


@bp.route("/admin/emails/<int:email_id>/send-again", methods=["POST"])
@signed_in
@roles(Role.ADMIN)
def admin_send_again(email_id: int) -> Response:
    _send_again(services.find(email_id), None)
    return redirect(url_for("emails.all_emails"))


def _page(access, here: str) -> str:
    cohort = access.cohort if access else None
    filters = services.read_filters(request.args)
    listing = services.page_of(filters, cohort.id if cohort else None)
    return render_template(
        "oversight/emails.html",
        access=access,
        cohort=cohort,
        here=here,
        filters=filters,
        listing=listing,
        statuses=list(Status),
        can_send_again=services.can_send_again,
        error_list=filters.errors,
    )


def _send_again(email, cohort) -> None:
    if email is None:
        abort(404)
    if not services.can_send_again(email):
        flash(f"The email to {email.to_address} is already on its way.", "info")
        return
    with uow.transaction():  # the copy and its audit record together; the queue sends it after
        copy = services.send_again(email)
        audit.record(
            audit.Action.EMAIL_SENT_AGAIN,
            actor=current_user.id,
            cohort=cohort or email.cohort_id,
            subject=email.user_id,
            detail=f"{email.kind} email {email.id}: {email.subject}"[:500],
        )
    flash(f"“{copy.subject}” is queued again for {copy.to_address}.", "success")
