"""Cohort pages: list, create, schedule, dashboard, people, sessions, exports, invitations.

Access: every cohort page needs a staff role in that cohort (or admin), checked by `cohort_access`;
writes need the manager role (`require_manager`), registers a facilitator or manager.
"""

from __future__ import annotations

from datetime import datetime

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from werkzeug.wrappers import Response

from leaders import audit, confirm, downloads, uow
from leaders.access import NotApplicable, roles, signed_in
from leaders.auth.models import Role, User
from leaders.catalogue.store import get_catalogue

# enrolment_views holds the import and due-date pages: importing it adds its routes to `bp`.
from leaders.cohorts import dashboard, enrolment_views, exports, services, sessions  # noqa: F401
from leaders.cohorts.access import cohort_access, require_attendance_taker, require_manager
from leaders.cohorts.blueprint import bp
from leaders.cohorts.forms import CohortForm, InviteForm, SessionForm, parse_date_parts
from leaders.cohorts.models import AttendanceStatus, CohortRole, SessionKind
from leaders.extensions import db
from leaders.filters import UK
from leaders.learning.forms import CsrfOnlyForm
from leaders.text import download_name


def _course_choices() -> list[tuple[str, str]]:
    return [(c.key, c.title) for c in get_catalogue()]


@bp.route("/cohorts")
@signed_in
def index() -> str:
    return render_template("cohorts/index.html", cohorts=services.visible_cohorts(current_user))


@bp.route("/cohorts/new", methods=["GET", "POST"])
@signed_in
@roles(Role.ADMIN, Role.PROGRAMME_MANAGER)
def create() -> str | Response:
    form = CohortForm()
    form.course.choices = _course_choices()
    if form.validate_on_submit():
        course = get_catalogue().course(form.course.data)
        if course is None:
            abort(400)
        cohort = services.create_cohort(
            current_user, course, form.name.data, form.starts_on.data, form.ends_on.data
        )
        flash(f"{cohort.name} is set up. Next, add people and set the schedule.", "success")
        return redirect(url_for("cohorts.people", cohort_id=cohort.id))
    return render_template("cohorts/form.html", form=form, title="Set up a cohort")


@bp.route("/cohorts/<int:cohort_id>/edit", methods=["GET", "POST"])
@signed_in
def edit(cohort_id: int) -> str | Response:
    access = require_manager(cohort_access(current_user, cohort_id))
    cohort = access.cohort
    form = CohortForm(obj=None if request.method == "POST" else cohort)
    form.course.choices = [(cohort.course_key, get_catalogue().courses[cohort.course_key].title)]
    if request.method == "GET":
        form.course.data = cohort.course_key
    if form.validate_on_submit():
        services.update_cohort(
            cohort, form.name.data, form.starts_on.data, form.ends_on.data, actor=current_user.id
        )
        flash("The cohort's details are saved.", "success")
        return redirect(url_for("cohorts.show", cohort_id=cohort.id))
    return render_template(
        "cohorts/form.html", form=form, title=f"Edit {cohort.name}", access=access
    )


@bp.route("/cohorts/<int:cohort_id>")
@signed_in
def show(cohort_id: int) -> str:
    access = cohort_access(current_user, cohort_id)
    board = dashboard.build(access, get_catalogue())
    return render_template("cohorts/dashboard.html", access=access, board=board)


@bp.route("/cohorts/<int:cohort_id>/schedule", methods=["GET", "POST"])
@signed_in
def edit_schedule(cohort_id: int) -> str | Response:
    access = require_manager(cohort_access(current_user, cohort_id))
    course = get_catalogue().courses[access.cohort.course_key]
    current = services.schedule(access.cohort)
    form = CsrfOnlyForm()
    errors: list[dict] = []
    values: dict[str, dict[str, list[str]]] = {}
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        dates, errors, values = _read_schedule(course, access.cohort)
        if not errors:
            services.set_schedule(access.cohort, dates, actor=current_user.id)
            flash(
                "The schedule is saved. Learners see each module from its opening date.", "success"
            )
            return redirect(url_for("cohorts.show", cohort_id=cohort_id))
    return render_template(
        "cohorts/schedule.html",
        access=access,
        course=course,
        current=current,
        error_list=errors,
        values=values,
    )


def _read_schedule(course, cohort):
    """Each module's opening and due dates from the schedule form, and what is wrong with them."""
    dates, errors, values = {}, [], {}
    for index, module in enumerate(course.modules, start=1):
        got: dict[str, object] = {}
        values[module.key] = {}
        for which, label in (("opens", "Opening date"), ("due", "Due date")):
            name = f"m{index}-{which}"
            parts = [request.form.get(f"{name}-{p}", "") for p in ("day", "month", "year")]
            values[module.key][which] = parts
            try:
                got[which] = parse_date_parts(parts, label)
            except ValueError as error:
                errors.append(
                    {
                        "text": f"{module.title}: {str(error)[0].lower()}{str(error)[1:]}",
                        "href": f"#{name}-day",
                    }
                )
                got[which] = None
        if got["opens"] and got["due"] and got["due"] < got["opens"]:
            errors.append(
                {
                    "text": f"{module.title}: due date must be on or after the opening date",
                    "href": f"#m{index}-due-day",
                }
            )
        dates[module.key] = (got["opens"], got["due"])
    return dates, errors, values


@bp.route("/cohorts/<int:cohort_id>/people")
@signed_in
def people(cohort_id: int) -> str:
    access = cohort_access(current_user, cohort_id)
    return render_template(
        "cohorts/people.html",
        access=access,
        people=services.people(access),
        token_form=CsrfOnlyForm(),
    )


def _organisation_choices() -> list[tuple[str, str]]:
    from sqlalchemy import func, select

    from leaders.organisations.models import Organisation

    rows = db.session.execute(
        select(Organisation.id, Organisation.name).order_by(func.lower(Organisation.name))
    )
    return [("", "Choose an organisation")] + [(str(i), n) for i, n in rows]


@bp.route("/cohorts/<int:cohort_id>/people/invite", methods=["GET", "POST"])
@signed_in
def invite(cohort_id: int) -> str | Response:
    access = require_manager(cohort_access(current_user, cohort_id))
    form = InviteForm()
    form.organisation.choices = _organisation_choices()
    if form.validate_on_submit():
        user, needs_invite = services.add_person(
            access.cohort,
            email=form.email.data,
            name=form.name.data,
            job_title=form.job_title.data or "",
            role=CohortRole(form.role.data),
            organisation_id=int(form.organisation.data),
            actor=current_user.id,
        )
        uow.commit()  # the person is added first; the email goes after, and says if it failed
        if needs_invite:
            if services.send_invitations([user], access.cohort):
                flash(f"{user.name} is added and has been sent an invitation.", "success")
            else:
                flash(f"{user.name} is added. " + _NOT_SENT.format(name=user.name), "error")
        else:
            flash(f"{user.name} already has an account and is added to the cohort.", "success")
        return redirect(url_for("cohorts.people", cohort_id=cohort_id))
    return render_template("cohorts/invite.html", access=access, form=form)


@bp.route("/cohorts/<int:cohort_id>/people/<int:user_id>/remove", methods=["GET", "POST"])
@signed_in
def remove(cohort_id: int, user_id: int) -> Response | tuple[str, int]:
    access = require_manager(cohort_access(current_user, cohort_id))
    person = next((p for p in services.people(access) if p.user_id == user_id), None)
    if person is None:
        abort(404)
    if not confirm.confirmed():
        return confirm.page(_removal(access, person))
    if not CsrfOnlyForm().validate_on_submit():
        abort(400)
    if services.remove_person(access.cohort, user_id, actor=current_user.id):
        flash(
            f"{person.name} is no longer in this cohort. Their account and records are kept.",
            "success",
        )
    return redirect(url_for("cohorts.people", cohort_id=cohort_id))


def _removal(access, person) -> confirm.Confirmation:
    cohort = access.cohort
    return confirm.Confirmation(
        heading=f"Remove {person.name} from {cohort.name}?",
        caption=cohort.name,
        says=[
            f"{person.name} ({person.email}), {person.role.label.lower()}, will be taken out of "
            f"{cohort.name}. They will no longer see its course, sessions or network.",
            "Their account, progress, journal and attendance are kept.",
        ],
        warning=f"{person.name}'s role in this cohort ends now. To bring them back, add them again.",
        button=f"Remove {person.name}",
        cancel_url=url_for("cohorts.people", cohort_id=cohort.id),
        breadcrumbs=[
            ("Cohorts", url_for("cohorts.index")),
            (cohort.name, url_for("cohorts.show", cohort_id=cohort.id)),
            ("People", url_for("cohorts.people", cohort_id=cohort.id)),
        ],
    )


@bp.route("/cohorts/<int:cohort_id>/people/<int:user_id>/resend", methods=["POST"])
@signed_in
def resend(cohort_id: int, user_id: int) -> Response:
    access = require_manager(cohort_access(current_user, cohort_id))
    if not CsrfOnlyForm().validate_on_submit():
        abort(400)
    person = next((p for p in services.people(access) if p.user_id == user_id), None)
    if person is None:
        abort(404)
    user = db.session.get(User, user_id)
    # The page offers this only to people who have not set a password; the server checks it too.
    refusal = services.why_not_invite(user)
    if refusal:
        raise NotApplicable(refusal)
    if services.send_invitations([user], access.cohort):
        audit.record_now(
            audit.Action.INVITATION_RESENT,
            actor=current_user.id,
            cohort=access.cohort,
            subject=user_id,
        )
        flash(f"A new invitation is on its way to {person.email}.", "success")
    else:
        flash(_NOT_SENT.format(name=person.name), "error")
    return redirect(url_for("cohorts.people", cohort_id=cohort_id))


#: When the mail server refuses: the person is in the cohort, and the page says how to try again.
_NOT_SENT = (
    "The invitation email to {name} could not be sent. Use Resend invitation on their row to try "
    "again, or check the email settings."
)


@bp.route("/cohorts/<int:cohort_id>/learners/<int:user_id>")
@signed_in
def learner(cohort_id: int, user_id: int) -> str:
    with audit.refusals(current_user, cohort=cohort_id, subject=user_id, what="a learner's record"):
        access = cohort_access(current_user, cohort_id)
        catalogue = get_catalogue()
        record = sessions.learner_record(access, catalogue, user_id, viewer_id=current_user.id)
    audit.record_now(
        audit.Action.VIEWED_LEARNER, actor=current_user, cohort=cohort_id, subject=user_id
    )
    course = catalogue.courses[access.cohort.course_key]
    return render_template(
        "cohorts/learner.html",
        access=access,
        record=record,
        course=course,
        due_dates=services.member_due_dates(access.cohort, course, record.person),
    )


@bp.route("/cohorts/<int:cohort_id>/sessions")
@signed_in
def session_list(cohort_id: int) -> str:
    access = cohort_access(current_user, cohort_id)
    return render_template(
        "cohorts/sessions.html", access=access, sessions=sessions.sessions(access)
    )


@bp.route("/cohorts/<int:cohort_id>/sessions/new", methods=["GET", "POST"])
@signed_in
def add_session(cohort_id: int) -> str | Response:
    access = require_manager(cohort_access(current_user, cohort_id))
    form = SessionForm()
    if form.validate_on_submit():
        day, start = form.starts()
        starts_at = datetime.combine(day, start, tzinfo=UK)
        sessions.add_session(
            access,
            form.title.data,
            SessionKind(form.kind.data),
            starts_at,
            form.location.data or "",
            actor=current_user.id,
        )
        flash("The session is added.", "success")
        return redirect(url_for("cohorts.session_list", cohort_id=cohort_id))
    return render_template("cohorts/session_form.html", access=access, form=form)


@bp.route("/cohorts/<int:cohort_id>/sessions/<int:session_id>/attendance", methods=["GET", "POST"])
@signed_in
def attendance(cohort_id: int, session_id: int) -> str | Response:
    access = require_attendance_taker(cohort_access(current_user, cohort_id))
    session = sessions.session_of(access, session_id)
    learners, marks = sessions.register(access, session)
    errors = []
    if request.method == "POST":
        if not CsrfOnlyForm().validate_on_submit():
            abort(400)
        chosen = {}
        for person in learners:
            value = request.form.get(f"attendance-{person.user_id}", "")
            if value:
                try:
                    chosen[person.user_id] = AttendanceStatus(value)
                except ValueError:
                    abort(400)
        missing = [p for p in learners if p.user_id not in chosen]
        if missing:
            errors = [
                {
                    "text": f"Mark {p.name} as present, sent apologies or absent",
                    "href": f"#attendance-{p.user_id}",
                }
                for p in missing
            ]
            marks = {uid: status.value for uid, status in chosen.items()}
        else:
            sessions.record_attendance(access, session, chosen, actor=current_user.id)
            flash(f"Attendance for {session.title} is saved.", "success")
            return redirect(url_for("cohorts.session_list", cohort_id=cohort_id))
    return render_template(
        "cohorts/attendance.html",
        access=access,
        session=session,
        learners=learners,
        marks=marks,
        error_list=errors,
        statuses=list(AttendanceStatus),
    )


@bp.route("/cohorts/<int:cohort_id>/export/<what>.<fmt>")
@signed_in
def export(cohort_id: int, what: str, fmt: str) -> Response:
    with audit.refusals(current_user, cohort=cohort_id, what=f"the {what}.{fmt} export"):
        access = require_manager(cohort_access(current_user, cohort_id))
    if what not in exports.EXPORTS or fmt not in ("csv", "xlsx"):
        abort(404)
    table = exports.EXPORTS[what](dashboard.build(access, get_catalogue()))
    audit.record_now(
        audit.Action.EXPORTED,
        actor=current_user,
        cohort=cohort_id,
        detail=f"{what}.{fmt}, {len(table.rows)} rows",
    )
    name = download_name(access.cohort.name, what, extension=fmt)
    if fmt == "csv":
        return downloads.send_download(exports.to_csv(table), name, "text/csv")
    return downloads.send_download(exports.to_xlsx(table), name, downloads.XLSX)


@bp.cli.command("send-reminders")
def send_reminders_command() -> None:
    """Email at-risk learners and weekly digests to managers. Run daily; safe to run again."""
    import click

    from leaders.cohorts.reminders import send_reminders

    sent = send_reminders(get_catalogue())
    click.echo(
        f"Sent {sent.at_risk} reminders to learners at risk, {sent.surveys} network survey reminders "
        f"and {sent.digests} weekly digests; {sent.skipped} already sent this week."
    )
