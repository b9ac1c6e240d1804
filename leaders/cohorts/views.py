"""Cohort pages: list, create, schedule, people, invitations (sessions are in session_views; the
dashboard, learner record and exports are in leaders/oversight/).

Access: every cohort page needs a staff role in that cohort (or admin), checked by `cohort_access`;
writes need the manager role (`require_manager`), registers a facilitator or manager.
"""

from __future__ import annotations

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from leaders import audit, confirm, uow
from leaders.auth.models import User
from leaders.auth.rules import MANAGERS, NotApplicable, roles, signed_in
from leaders.catalogue.store import get_catalogue

# enrolment_views holds the import and due-date pages, lifecycle_views copying and archiving,
# session_views the sessions and registers, calendar_views the learner's calendar feed:
# importing them adds their routes to `bp`.
from leaders.cohorts import (  # noqa: F401
    calendar_views,
    enrolment_views,
    lifecycle_views,
    people_table,
    services,
    session_views,
    sessions,
)
from leaders.cohorts.access import cohort_access, require_manager
from leaders.cohorts.blueprint import bp
from leaders.cohorts.forms import CohortForm, InviteForm
from leaders.cohorts.models import CohortRole
from leaders.cohorts.table_forms import ScheduleForm
from leaders.extensions import db
from leaders.organisations.models import Organisation, sector_label


def _course_choices() -> list[tuple[str, str]]:
    return [(c.key, c.title) for c in get_catalogue()]


@bp.route("/cohorts")
@signed_in
def index() -> str:
    archived = request.args.get("archived") == "1"
    cohorts = services.visible_cohorts(current_user)
    shown = [c for c in cohorts if (c.cohort.archived_at is not None) == archived]
    return render_template(
        "cohorts/index.html",
        cohorts=shown,
        archived=archived,
        archived_count=sum(1 for c in cohorts if c.cohort.archived_at is not None),
    )


@bp.route("/cohorts/new", methods=["GET", "POST"])
@signed_in
@roles(*MANAGERS)
def create() -> str | Response:
    form = CohortForm()
    form.course.choices = _course_choices()
    if form.validate_on_submit():
        course = get_catalogue().course(form.course.data)
        if course is None:
            abort(400)
        starts_on, ends_on = form.starts_on.data, form.ends_on.data
        # Both are required: the form refuses a missing date.
        assert starts_on is not None
        assert ends_on is not None
        cohort = services.create_cohort(current_user, course, form.name.data, starts_on, ends_on)
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
        starts_on, ends_on = form.starts_on.data, form.ends_on.data
        # Both are required: the form refuses a missing date.
        assert starts_on is not None
        assert ends_on is not None
        services.update_cohort(cohort, form.name.data, starts_on, ends_on, actor=current_user.id)
        flash("The cohort's details are saved.", "success")
        return redirect(url_for("oversight.dashboard", cohort_id=cohort.id))
    return render_template(
        "cohorts/form.html", form=form, title=f"Edit {cohort.name}", access=access
    )


@bp.route("/cohorts/<int:cohort_id>/schedule", methods=["GET", "POST"])
@signed_in
def edit_schedule(cohort_id: int) -> str | Response:
    access = require_manager(cohort_access(current_user, cohort_id))
    course = get_catalogue().courses[access.cohort.course_key]
    form = ScheduleForm.of(course.modules, services.schedule(access.cohort))
    if form.validate_on_submit():
        services.set_schedule(access.cohort, form.dates(), actor=current_user.id)
        flash("The schedule is saved. Learners see each module from its opening date.", "success")
        return redirect(url_for("oversight.dashboard", cohort_id=cohort_id))
    return render_template("cohorts/schedule.html", access=access, course=course, form=form)


@bp.route("/cohorts/<int:cohort_id>/people")
@signed_in
def people(cohort_id: int) -> str | tuple[str, int]:
    access = cohort_access(current_user, cohort_id)
    return render_people(access, request.args)


def render_people(
    access, args, *, error_list=None, status: int = 200, chosen=()
) -> str | tuple[str, int]:
    """The People page for the table state in ``args``; the bulk-action view shows it with errors."""
    state = people_table.read_state(args)
    page = render_template(
        "cohorts/people.html",
        access=access,
        table=people_table.table(access, state),
        actions=people_table.BULK_ACTIONS,
        error_list=error_list or [],
        chosen={str(c) for c in chosen},
        status_of=people_table.status_of,
        has_due_dates=people_table.has_due_dates,
        sector_label=sector_label,
    )
    return page if status == 200 else (page, status)


def _organisation_choices() -> list[tuple[str, str]]:
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
        # The person and their invitation commit together; the queue sends it after.
        with uow.transaction():
            user, needs_invite = services.add_person(
                access.cohort,
                email=form.email.data,
                name=form.name.data,
                job_title=form.job_title.data or "",
                role=CohortRole(form.role.data),
                organisation_id=int(form.organisation.data),
                actor=current_user.id,
            )
            if needs_invite:
                services.send_invitations([user], access.cohort)
        if needs_invite:
            flash(f"{user.name} is added. {_QUEUED}", "success")
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
            (cohort.name, url_for("oversight.dashboard", cohort_id=cohort.id)),
            ("People", url_for("cohorts.people", cohort_id=cohort.id)),
        ],
    )


@bp.route("/cohorts/<int:cohort_id>/people/<int:user_id>/resend", methods=["POST"])
@signed_in
def resend(cohort_id: int, user_id: int) -> Response:
    access = require_manager(cohort_access(current_user, cohort_id))
    person = next((p for p in services.people(access) if p.user_id == user_id), None)
    if person is None:
        abort(404)
    user = db.session.get_one(User, user_id)  # a member of the cohort, so there
    # The page offers this only to people who have not set a password; the server checks it too.
    refusal = services.why_not_invite(user)
    if refusal:
        raise NotApplicable(refusal)
    services.send_invitations([user], access.cohort)
    audit.record_now(  # commits the audit record and the queued email together
        audit.Action.INVITATION_RESENT,
        actor=current_user.id,
        cohort=access.cohort,
        subject=user_id,
    )
    flash(f"A new invitation to {person.email} is queued. {_SEE_EMAILS}", "success")
    return redirect(url_for("cohorts.people", cohort_id=cohort_id))


#: What the page says once an invitation is queued: where to see it go (or fail).
_SEE_EMAILS = "The cohort's Emails page shows when it is sent, or why it could not be."
_QUEUED = "An invitation is queued for them. " + _SEE_EMAILS
