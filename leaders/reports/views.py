"""The impact report's pages and downloads; `flask report cohort|course … --pdf FILE`.

Access: a cohort's report is for its programme managers and admins (everyone) and its
organisation leads (their own staff, small numbers suppressed: see report.py); facilitators and
learners are refused. A course's report is for programme managers and admins, over the cohorts
of that course they manage (admins: all of them).
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from leaders import audit, downloads
from leaders.auth.rules import MANAGERS, roles, signed_in
from leaders.catalogue.store import get_catalogue
from leaders.cohorts.access import CohortAccess, cohort_access
from leaders.cohorts.models import Cohort
from leaders.extensions import db
from leaders.pdf import render_pdf
from leaders.reports import choices
from leaders.reports.forms import ReportForm
from leaders.reports.network_change import HEIGHT, WIDTH
from leaders.reports.participation import Period
from leaders.reports.report import Report, build
from leaders.text import download_name

bp = Blueprint("reports", __name__, cli_group="report")


def _report_access(cohort_id: int) -> CohortAccess:
    access = cohort_access(current_user, cohort_id)
    if not (access.can_manage or not access.sees_everyone):
        abort(403)  # facilitators: the report is for the people who answer for the programme
    return access


def _form(access: CohortAccess | None, course_key: str) -> ReportForm:
    form = ReportForm(request.args)
    others = choices.comparable(current_user, course_key, access.cohort.id if access else None)
    form.compare.choices = [("", "No comparison")] + [(str(c.id), c.name) for c in others]
    return form


def _period(form: ReportForm) -> Period:
    return Period(form.start.data, form.end.data) if not form.errors else Period()


def _with_query(url: str) -> str:
    """The same choices for the download (the date boxes repeat their names, so the whole query)."""
    query = request.query_string.decode()
    return f"{url}?{query}" if query else url


def _html(template: str, report: Report, **context) -> str:
    return render_template(
        template, r=report, network_width=WIDTH, network_height=HEIGHT, **context
    )


def _pdf(
    report: Report, name: str, cohort_id: int | None, compared: Report | None = None
) -> Response:
    html = _html("reports/pdf.html", report, compared=compared)
    data = render_pdf(html, base_url=current_app.static_folder)
    audit.record_now(
        audit.Action.REPORT_DOWNLOADED,
        actor=current_user,
        cohort=cohort_id,
        detail=f"{name} ({report.period.label})",
    )
    return downloads.send_download(data, name, "application/pdf")


def _cohort_report(cohort_id: int) -> tuple[CohortAccess, ReportForm, Report, Report | None]:
    access = _report_access(cohort_id)
    form = _form(access, access.cohort.course_key)
    form.validate()
    period = _period(form)
    catalogue = get_catalogue()
    report = build([access], catalogue, period)
    compared = None
    if form.compare.data and not form.compare.errors:
        other = _report_access(int(form.compare.data))
        compared = build([other], catalogue, period)
    return access, form, report, compared


@bp.route("/cohorts/<int:cohort_id>/report")
@signed_in
def cohort(cohort_id: int) -> str:
    access, form, report, compared = _cohort_report(cohort_id)
    return _html(
        "reports/page.html",
        report,
        access=access,
        form=form,
        has_errors=bool(form.errors),
        compared=compared,
        pdf_url=_with_query(url_for("reports.cohort_pdf", cohort_id=cohort_id)),
    )


@bp.route("/cohorts/<int:cohort_id>/report.pdf")
@signed_in
def cohort_pdf(cohort_id: int) -> Response:
    access, form, report, compared = _cohort_report(cohort_id)
    if form.errors:
        abort(400)
    name = download_name(access.cohort.name, "impact report", extension="pdf")
    return _pdf(report, name, cohort_id, compared)


def _course_report(course_key: str) -> tuple[ReportForm, Report | None]:
    if course_key not in get_catalogue().courses:
        abort(404)
    form = _form(None, course_key)
    form.validate()
    accesses = [
        cohort_access(current_user, c.id) for c in choices.managed(current_user, course_key)
    ]
    report = build(accesses, get_catalogue(), _period(form)) if accesses else None
    return form, report


@bp.route("/reports/courses/<course_key>")
@roles(*MANAGERS)
def course(course_key: str) -> str:
    form, report = _course_report(course_key)
    course = get_catalogue().courses[course_key]
    return render_template(
        "reports/course.html",
        r=report,
        course=course,
        form=form,
        has_errors=bool(form.errors),
        network_width=WIDTH,
        network_height=HEIGHT,
        pdf_url=_with_query(url_for("reports.course_pdf", course_key=course_key)),
    )


@bp.route("/reports/courses/<course_key>.pdf")
@roles(*MANAGERS)
def course_pdf(course_key: str) -> Response:
    form, report = _course_report(course_key)
    if form.errors:
        abort(400)
    if report is None:
        abort(404)
    return _pdf(report, download_name(report.course.title, "impact report", extension="pdf"), None)


# Commands ---------------------------------------------------------------------------------------


def _write(report: Report, path: Path) -> None:
    from flask import Flask  # noqa: F401  (the app context is the command's)

    html = render_template(
        "reports/pdf.html", r=report, compared=None, network_width=WIDTH, network_height=HEIGHT
    )
    path.write_bytes(render_pdf(html, base_url=current_app.static_folder))
    click.echo(f"Wrote {report.title} ({report.figures.learners} learners) to {path}.")


def _period_options(start, end) -> Period:
    if start and end and end < start:
        raise click.BadParameter("--to must be the same as or after --from")
    return Period(start.date() if start else None, end.date() if end else None)


@bp.cli.command("cohort")
@click.argument("cohort_id", type=int)
@click.option("--pdf", "path", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), help="First day, YYYY-MM-DD.")
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), help="Last day, YYYY-MM-DD.")
def cohort_command(cohort_id: int, path: Path, start, end) -> None:
    """Write one cohort's impact report (every learner) as a tagged PDF."""
    found = db.session.get(Cohort, cohort_id)
    if found is None:
        raise click.ClickException(f"There is no cohort {cohort_id}.")
    period = _period_options(start, end)
    _write(build([CohortAccess(found, None, True)], get_catalogue(), period), path)


@bp.cli.command("course")
@click.argument("course_key")
@click.option("--pdf", "path", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), help="First day, YYYY-MM-DD.")
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), help="Last day, YYYY-MM-DD.")
def course_command(course_key: str, path: Path, start, end) -> None:
    """Write a course's impact report across all its cohorts as a tagged PDF."""
    if course_key not in get_catalogue().courses:
        raise click.ClickException(f"There is no course {course_key!r}.")
    cohorts = choices.of_course(course_key)
    if not cohorts:
        raise click.ClickException(f"The course {course_key!r} has no cohorts yet.")
    accesses = [CohortAccess(c, None, True) for c in cohorts]
    _write(build(accesses, get_catalogue(), _period_options(start, end)), path)
