"""Cohort pages for enrolment: importing a spreadsheet, and one learner's due dates.

Access: the programme manager role in the cohort (or admin), checked by `require_manager`.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from leaders import audit, uow
from leaders.auth.rules import signed_in
from leaders.catalogue.store import get_catalogue
from leaders.cohorts import enrolment, import_plan, services
from leaders.cohorts import import_template as import_template_files
from leaders.cohorts.access import cohort_access, require_manager
from leaders.cohorts.blueprint import bp
from leaders.cohorts.forms import DueDatesForm, ImportForm
from leaders.cohorts.models import CohortRole
from leaders.cohorts.table_forms import ConfirmImportForm
from leaders.downloads import XLSX, send_download
from leaders.filters import plural

#: Problems listed one by one in the error summary; the table below the form lists them all.
SUMMARY_PROBLEMS = 10


@bp.route("/cohorts/<int:cohort_id>/people/import", methods=["GET", "POST"])
@signed_in
def upload(cohort_id: int) -> str | Response:
    access = require_manager(cohort_access(current_user, cohort_id))
    form = ImportForm()
    problems: list[enrolment.Problem] = []
    if form.validate_on_submit():
        try:
            upload = form.file.data
            rows = enrolment.parse(upload.read(enrolment.MAX_FILE_BYTES + 1), upload.filename)
        except enrolment.ImportRejected as rejected:
            problems = rejected.problems
        else:
            pending = import_plan.stage(
                access.cohort, current_user.id, form.file.data.filename, rows
            )
            return redirect(
                url_for("cohorts.confirm_import", cohort_id=cohort_id, pending_id=pending.id)
            )
    error_list = None
    if problems:
        error_list = [
            {
                "text": f"The file has {plural(len(problems), 'problem')}. Nothing has been "
                "imported. Fix them and upload it again",
                "href": "#problems",
            }
        ] + [{"text": p.summary, "href": "#problems"} for p in problems[:SUMMARY_PROBLEMS]]
    return render_template(
        "cohorts/import.html",
        access=access,
        form=form,
        problems=problems,
        error_list=error_list,
        max_rows=f"{enrolment.MAX_ROWS:,}",
    )


@bp.route("/cohorts/<int:cohort_id>/people/import/template.<any(csv, xlsx):kind>")
@signed_in
def import_template(cohort_id: int, kind: str) -> Response:
    """The file to fill in: the header row and an example row (and, in Excel, a Notes sheet)."""
    require_manager(cohort_access(current_user, cohort_id))
    if kind == "xlsx":
        return send_download(import_template_files.xlsx_template(), "people-to-import.xlsx", XLSX)
    return send_download(
        import_template_files.csv_template(), "people-to-import.csv", "text/csv; charset=utf-8"
    )


@bp.route("/cohorts/<int:cohort_id>/people/import/<int:pending_id>", methods=["GET", "POST"])
@signed_in
def confirm_import(cohort_id: int, pending_id: int) -> str | Response:
    access = require_manager(cohort_access(current_user, cohort_id))
    pending = import_plan.pending_import(access.cohort, pending_id, current_user.id)
    if pending is None:
        flash("That import has expired or was already done. Upload the file again.", "info")
        return redirect(url_for("cohorts.upload", cohort_id=cohort_id))
    plan = import_plan.plan(pending)
    form = ConfirmImportForm.of(plan)
    # Someone else may have enrolled some of these people since the page was drawn: then the
    # page's promise is out of date, so show the new one instead of importing.
    changed = form.is_submitted() and form.plan.data != plan.fingerprint
    if form.validate_on_submit() and not changed:
        try:
            outcome = import_plan.apply(access.cohort, plan, form.sectors(), actor=current_user.id)
        except import_plan.AlreadyImported:
            flash("That import is already done: the people below were added by it.", "info")
            return redirect(url_for("cohorts.people", cohort_id=cohort_id))
        flash(
            f"Imported: {plural(outcome.added, 'person', 'people')} added, "
            f"{outcome.updated} with a new role, "
            f"{plural(outcome.organisations_created, 'new organisation')}. "
            f"{plural(len(outcome.invited), 'invitation')} queued: Emails shows when each is sent.",
            "success",
        )
        return redirect(url_for("cohorts.people", cohort_id=cohort_id))
    if changed:
        form.plan.data = plan.fingerprint  # the page now shows the new plan: confirm that one
    return render_template(
        "cohorts/confirm_import.html", access=access, plan=plan, form=form, changed=changed
    )


@bp.route("/cohorts/<int:cohort_id>/learners/<int:user_id>/due-dates", methods=["GET", "POST"])
@signed_in
def due_dates(cohort_id: int, user_id: int) -> str | Response:
    access = require_manager(cohort_access(current_user, cohort_id))
    person = next(
        (p for p in services.people(access, CohortRole.LEARNER) if p.user_id == user_id), None
    )
    if person is None:
        abort(404)
    form = DueDatesForm()
    if request.method == "GET" and person.due_offset_days is not None:
        form.offset.data = str(person.due_offset_days)
    if form.validate_on_submit():
        with uow.transaction():
            services.set_due_offset(access.cohort, user_id, form.days)
            audit.record(
                audit.Action.DUE_DATES_CHANGED,
                actor=current_user.id,
                cohort=cohort_id,
                subject=user_id,
                detail="follow the join date"
                if form.days is None
                else f"{plural(form.days, 'extra day')}",
            )
        flash(f"{person.name}'s due dates are saved.", "success")
        return redirect(url_for("oversight.learner", cohort_id=cohort_id, user_id=user_id))
    course = get_catalogue().courses[access.cohort.course_key]
    return render_template(
        "cohorts/due_dates.html",
        access=access,
        person=person,
        form=form,
        dates=services.member_due_dates(access.cohort, course, person),
        course=course,
    )
