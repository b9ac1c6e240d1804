"""Session pages: the list, add, change, cancel, delete, the register, and one session's `.ics`.

Access: the list needs a staff role in the cohort (`cohort_access`); adding, changing, cancelling
and deleting need the manager role; the register a facilitator or manager. A session's `.ics` is
for anyone whose session it is (see `calendar.sessions_for`); for anyone else it does not exist.
"""

from __future__ import annotations

from datetime import datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from leaders import confirm
from leaders.auth.rules import NotApplicable, signed_in
from leaders.cohorts import calendar, session_changes, sessions
from leaders.cohorts.access import (
    CohortAccess,
    cohort_access,
    require_attendance_taker,
    require_manager,
)
from leaders.cohorts.blueprint import bp
from leaders.cohorts.models import CohortSession, SessionKind
from leaders.cohorts.session_forms import SessionForm
from leaders.cohorts.table_forms import RegisterForm
from leaders.downloads import send_download
from leaders.filters import govuk_date, govuk_datetime
from leaders.timeutil import UK, as_utc, utcnow


@bp.app_template_filter("time")
def uk_time(value: datetime | None) -> str:
    """The UK time of day in GOV.UK style: "4pm", "9:30am"."""
    return govuk_datetime(value).rpartition(" at ")[2] if value else ""


@bp.app_template_filter("session_when")
def session_when(session: CohortSession) -> str:
    """ "Saturday 24 October 2026, 10am to 4pm" in UK time."""
    start = as_utc(session.starts_at).astimezone(UK)
    end = calendar.ends_at(session)
    return f"{start:%A} {govuk_date(start)}, {uk_time(start)} to {uk_time(end)}"


@bp.app_template_filter("has_started")
def has_started(value: datetime) -> bool:
    return as_utc(value) <= utcnow()


@bp.route("/cohorts/<int:cohort_id>/sessions")
@signed_in
def session_list(cohort_id: int) -> str:
    access = cohort_access(current_user, cohort_id)
    return render_template(
        "cohorts/sessions.html",
        access=access,
        sessions=sessions.sessions(access),
        set_names=dict(sessions.cohort_sets(access)),
    )


def _details(form: SessionForm) -> sessions.SessionDetails:
    starts_at, ends_at = form.times()
    return sessions.SessionDetails(
        title=form.title.data or "",
        kind=SessionKind(form.kind.data),
        starts_at=starts_at,
        ends_at=ends_at,
        location=form.location.data or "",
        online_url=form.online_url.data or "",
        joining_instructions=form.joining_instructions.data or "",
        set_id=form.set_id,
    )


@bp.route("/cohorts/<int:cohort_id>/sessions/new", methods=["GET", "POST"])
@signed_in
def add_session(cohort_id: int) -> str | Response:
    access = require_manager(cohort_access(current_user, cohort_id))
    form = SessionForm()
    form.offer_sets(sessions.cohort_sets(access))
    if form.validate_on_submit():
        sessions.add_session(access, _details(form), actor=current_user.id, form_key=form.key)
        flash("The session is added.", "success")
        return redirect(url_for("cohorts.session_list", cohort_id=cohort_id))
    form.new_key()
    return render_template("cohorts/session_form.html", access=access, form=form, session=None)


@bp.route("/cohorts/<int:cohort_id>/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@signed_in
def edit_session(cohort_id: int, session_id: int) -> str | Response:
    access = require_manager(cohort_access(current_user, cohort_id))
    session = _changeable(access, session_id)
    form = SessionForm()
    form.offer_sets(sessions.cohort_sets(access))
    form.submit.label.text = "Save changes"
    if request.method == "GET":
        form.fill_from(session)
    if form.validate_on_submit():
        change = sessions.update_session(
            access, session, _details(form), actor=current_user.id, tell=form.tell.data
        )
        if not change.changed:
            flash("Nothing was changed.", "success")
        elif change.told:
            flash(
                f"{session.title} is saved. {change.told} "
                f"{'email is' if change.told == 1 else 'emails are'} queued to tell the people it "
                "is for: the cohort's Emails page shows when they are sent. Calendars that follow "
                "the learners' feeds update.",
                "success",
            )
        else:
            flash(
                f"{session.title} is saved. No one was emailed. Calendars that follow the "
                "learners' feeds update.",
                "success",
            )
        return redirect(url_for("cohorts.session_list", cohort_id=cohort_id))
    return render_template("cohorts/session_form.html", access=access, form=form, session=session)


def _changeable(access: CohortAccess, session_id: int) -> CohortSession:
    session = sessions.session_of(access, session_id)
    if session.is_cancelled:
        raise NotApplicable(f"{session.title} is cancelled, so it cannot be changed.")
    return session


def _crumbs(access: CohortAccess) -> list[tuple[str, str]]:
    cohort = access.cohort
    return [
        ("Cohorts", url_for("cohorts.index")),
        (cohort.name, url_for("oversight.dashboard", cohort_id=cohort.id)),
        ("Sessions", url_for("cohorts.session_list", cohort_id=cohort.id)),
    ]


@bp.route("/cohorts/<int:cohort_id>/sessions/<int:session_id>/cancel", methods=["GET", "POST"])
@signed_in
def cancel_session(cohort_id: int, session_id: int) -> Response | tuple[str, int]:
    access = require_manager(cohort_access(current_user, cohort_id))
    session = _changeable(access, session_id)
    if not confirm.confirmed():
        told = session_changes.attendees(session)
        group = session_changes.set_name(session)
        who = f"the members of {group}" if group else "the cohort's learners"
        return confirm.page(
            confirm.Confirmation(
                heading=f"Cancel {session.title}?",
                caption=access.cohort.name,
                says=[
                    f"{session.title} on {govuk_datetime(session.starts_at)} will be shown as "
                    "cancelled, and it will take no attendance.",
                    f"An email telling {who} is queued for each of them "
                    f"({len(told)} {'person' if len(told) == 1 else 'people'}). Their calendar "
                    "feeds drop the session.",
                ],
                names=[p.name for p in told],
                warning="You cannot undo a cancellation. To run it after all, add a new session.",
                button="Cancel the session",
                cancel_text="Keep the session",
                cancel_url=url_for("cohorts.session_list", cohort_id=cohort_id),
                breadcrumbs=_crumbs(access),
            )
        )
    told = session_changes.cancel_session(access, session, actor=current_user.id)
    flash(
        f"{session.title} is cancelled. {len(told)} "
        f"{'email is' if len(told) == 1 else 'emails are'} queued to tell the people it was for: "
        "the cohort's Emails page shows when they are sent.",
        "success",
    )
    return redirect(url_for("cohorts.session_list", cohort_id=cohort_id))


@bp.route("/cohorts/<int:cohort_id>/sessions/<int:session_id>/delete", methods=["GET", "POST"])
@signed_in
def delete_session(cohort_id: int, session_id: int) -> Response | tuple[str, int]:
    access = require_manager(cohort_access(current_user, cohort_id))
    session = sessions.session_of(access, session_id)
    if not confirm.confirmed():
        marks = session_changes.marks_recorded(session)
        says = [f"{session.title} on {govuk_datetime(session.starts_at)} will be deleted."]
        if marks:
            says.append(
                f"Attendance has been recorded for this session: {marks} "
                f"{'mark' if marks == 1 else 'marks'} will be deleted with it, and the cohort's "
                "attendance figures will no longer count them."
            )
        if not session.is_cancelled:
            says.append(
                "No one is told. To tell the people it was for, cancel the session instead."
            )
        return confirm.page(
            confirm.Confirmation(
                heading=f"Delete {session.title}?",
                caption=access.cohort.name,
                says=says,
                button="Delete the session",
                cancel_text="Keep the session",
                cancel_url=url_for("cohorts.session_list", cohort_id=cohort_id),
                breadcrumbs=_crumbs(access),
            )
        )
    title = session.title
    marks = session_changes.delete_session(access, session, actor=current_user.id)
    extra = f", with its {marks} attendance {'mark' if marks == 1 else 'marks'}" if marks else ""
    flash(f"{title} is deleted{extra}.", "success")
    return redirect(url_for("cohorts.session_list", cohort_id=cohort_id))


@bp.route("/cohorts/<int:cohort_id>/sessions/<int:session_id>/attendance", methods=["GET", "POST"])
@signed_in
def attendance(cohort_id: int, session_id: int) -> str | Response | tuple[str, int]:
    access = require_attendance_taker(cohort_access(current_user, cohort_id))
    session = sessions.session_of(access, session_id)
    refusal = sessions.why_no_register(session)
    if refusal:
        raise NotApplicable(refusal)
    learners, marks = sessions.register(access, session)
    form = RegisterForm.of(learners, marks)
    if form.validate_on_submit():
        sessions.record_attendance(access, session, form.chosen(), actor=current_user.id)
        flash(f"Attendance for {session.title} is saved.", "success")
        return redirect(url_for("cohorts.session_list", cohort_id=cohort_id))
    page = render_template(
        "cohorts/attendance.html",
        access=access,
        session=session,
        learners=learners,
        form=form,
        set_name=session_changes.set_name(session),
    )
    # A mark the page never offers is a forged or broken request, not a slip: say so, and 400.
    return page if form.offered_choices_only else (page, 400)


@bp.route("/sessions/<int:session_id>.ics")
@signed_in
def session_ics(session_id: int) -> Response:
    session = calendar.session_for(current_user.id, session_id)
    if session is None:
        abort(404)
    return send_download(
        calendar.session_file(session), f"session-{session.id}.ics", "text/calendar"
    )
