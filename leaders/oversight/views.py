"""Oversight pages: a cohort's dashboard, one learner's record, the exports; `flask send-reminders`.

Access: every page needs a staff role in the cohort (or admin), checked by `cohort_access`; the
exports need the manager role, or the organisation lead's (their own staff only: `may_export`). The addresses are the cohort's (/cohorts/<id>…).
"""

from __future__ import annotations

import click
from flask import Blueprint, abort, render_template, request
from flask_login import current_user
from werkzeug.wrappers import Response

from leaders import audit, downloads
from leaders.auth.rules import MANAGERS, roles, signed_in
from leaders.catalogue.store import get_catalogue
from leaders.cohorts import services
from leaders.cohorts.access import cohort_access
from leaders.oversight import (
    course_cohorts,
    dashboard,
    dashboard_rows,
    dashboard_table,
    exports,
    table_markup,
)
from leaders.oversight.learner import learner_record
from leaders.oversight.reminders import send_reminders
from leaders.text import download_name

bp = Blueprint("oversight", __name__, cli_group=None)
for _rows in (dashboard_rows.at_risk_rows, dashboard_rows.matrix_rows, dashboard_rows.learner_rows):
    bp.add_app_template_global(_rows)
bp.add_app_template_global(table_markup.sort_header, "sort_header_html")
bp.add_app_template_global(table_markup.pager, "pager_html")


@bp.route("/cohorts/<int:cohort_id>", endpoint="dashboard")
@signed_in
def dashboard_page(cohort_id: int) -> str:
    access = cohort_access(current_user, cohort_id)
    board = dashboard.build(access, get_catalogue())
    return render_template(
        "oversight/dashboard.html",
        access=access,
        board=board,
        table=dashboard_table.tables(board, request.args, cohort_id),
        can_export=exports.may_export(access),
    )


@bp.route("/cohorts/<int:cohort_id>/learners/<int:user_id>")
@signed_in
def learner(cohort_id: int, user_id: int) -> str:
    with audit.refusals(current_user, cohort=cohort_id, subject=user_id, what="a learner's record"):
        access = cohort_access(current_user, cohort_id)
        catalogue = get_catalogue()
        record = learner_record(access, catalogue, user_id, viewer_id=current_user.id)
    audit.record_now(
        audit.Action.VIEWED_LEARNER, actor=current_user, cohort=cohort_id, subject=user_id
    )
    course = catalogue.courses[access.cohort.course_key]
    return render_template(
        "oversight/learner.html",
        access=access,
        record=record,
        course=course,
        due_dates=services.member_due_dates(access.cohort, course, record.person),
    )


@bp.route("/cohorts/<int:cohort_id>/export/<what>.<fmt>")
@signed_in
def export(cohort_id: int, what: str, fmt: str) -> Response:
    with audit.refusals(current_user, cohort=cohort_id, what=f"the {what}.{fmt} export"):
        access = cohort_access(current_user, cohort_id)
        if not exports.may_export(access):
            abort(403)
    if what not in exports.EXPORTS or fmt not in ("csv", "xlsx"):
        abort(404)
    # The dashboard's current view: its filters, search and sort (an organisation lead's board
    # holds their own organisation's staff only, as their screen does).
    board, described = dashboard_table.for_export(
        dashboard.build(access, get_catalogue()), request.args
    )
    table = exports.EXPORTS[what](board)
    detail = f"{what}.{fmt}, {len(table.rows)} rows"
    audit.record_now(
        audit.Action.EXPORTED,
        actor=current_user,
        cohort=cohort_id,
        detail=f"{detail}, filtered by {described}" if described else detail,
    )
    name = download_name(access.cohort.name, what, extension=fmt)
    if fmt == "csv":
        return downloads.send_download(exports.to_csv(table), name, "text/csv")
    return downloads.send_download(exports.to_xlsx(table), name, downloads.XLSX)


@bp.route("/courses/<course_key>/cohorts", endpoint="course_cohorts")
@signed_in
@roles(*MANAGERS)
def course_cohorts_page(course_key: str) -> str:
    catalogue = get_catalogue()
    course = catalogue.courses.get(course_key)
    if course is None:
        abort(404)
    page = course_cohorts.table(current_user, course_key, catalogue, request.args)
    return render_template("oversight/course_cohorts.html", course=course, page=page)


@bp.app_template_global("course_title")
def course_title(course_key: str) -> str:
    """A course's title from its key (a course no longer in the catalogue shows its key)."""
    course = get_catalogue().courses.get(course_key)
    return course.title if course else course_key


@bp.cli.command("send-reminders")
def send_reminders_command() -> None:
    """Email at-risk learners and weekly digests to managers. Run daily; safe to run again."""
    sent = send_reminders(get_catalogue())
    click.echo(
        f"Queued {sent.at_risk} reminders to learners at risk, {sent.surveys} network survey reminders "
        f"and {sent.digests} weekly digests; {sent.skipped} already sent this week."
    )
