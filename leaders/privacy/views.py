"""Your data (learners), erasure requests and the audit log (admins), the privacy notice (everyone)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from leaders.access import public, roles, signed_in
from leaders.auth.models import Role
from leaders.catalogue.store import get_catalogue
from leaders.downloads import send_download
from leaders.learning.forms import CsrfOnlyForm
from leaders.privacy import services

bp = Blueprint("privacy", __name__)


@bp.route("/privacy")
@public
def notice() -> str:
    return render_template("privacy/notice.html")


@bp.route("/account")
@signed_in
def account() -> str:
    return render_template(
        "privacy/account.html", request=services.erasure_request(current_user.id)
    )


@bp.route("/account/my-data.zip")
@signed_in
def download() -> Response:
    return send_download(
        services.my_data(current_user.id, get_catalogue()),
        "place-leaders-my-data.zip",
        "application/zip",
    )


@bp.route("/account/erasure", methods=["POST"])
@signed_in
def request_erasure() -> Response:
    if not CsrfOnlyForm().validate_on_submit():
        abort(400)
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


@bp.route("/admin/erasure-requests/<int:request_id>/erase", methods=["POST"])
@signed_in
@roles(Role.ADMIN)
def erase(request_id: int) -> Response:
    if not CsrfOnlyForm().validate_on_submit():
        abort(400)
    services.erase(request_id, current_user.id)
    flash("The learner's personal data is erased. Anonymous progress counts are kept.", "success")
    return redirect(url_for("privacy.erasures"))


@bp.route("/admin/audit")
@signed_in
@roles(Role.ADMIN)
def audit() -> str:
    return render_template("privacy/audit.html", events=services.audit_log())
