"""Who may see what of a cohort, and which modules a learner may open.

- Admins see every cohort. A programme manager sees the cohorts they manage (membership with the
  programme manager role), facilitators the cohorts they facilitate. An organisation lead sees, in the
  cohorts they sponsor, only the learners of their own organisation. Learners see no dashboard.
- Learners see a course through their cohorts, module by module as the schedule opens them.
  Admins and programme managers (global role) may preview any course.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import abort
from sqlalchemy import select

from leaders.auth import rules
from leaders.cohorts.models import Cohort, CohortMember, CohortModule, CohortRole
from leaders.extensions import db
from leaders.timeutil import as_utc, uk_today


@dataclass(frozen=True)
class CohortAccess:
    cohort: Cohort
    #: The viewer's role in the cohort; None for an admin who is not a member.
    role: CohortRole | None
    is_admin: bool
    #: For an organisation lead: the organisation whose staff they may see.
    organisation_id: int | None = None

    @property
    def can_manage(self) -> bool:
        """Enrol people, set the schedule, export, remind."""
        return self.is_admin or self.role == CohortRole.PROGRAMME_MANAGER

    @property
    def can_take_attendance(self) -> bool:
        return self.can_manage or self.role == CohortRole.FACILITATOR

    @property
    def sees_everyone(self) -> bool:
        return self.role != CohortRole.ORGANISATION_LEAD or self.is_admin


def cohort_access(user, cohort_id: int) -> CohortAccess:
    """The viewer's access to a cohort: 404 if it does not exist, 403 if they may not see it."""
    row = db.session.execute(
        select(Cohort, CohortMember.role)
        .outerjoin(
            CohortMember,
            (CohortMember.cohort_id == Cohort.id) & (CohortMember.user_id == user.id),
        )
        .where(Cohort.id == cohort_id)
    ).first()
    if row is None:
        abort(404)
    cohort, role = row
    is_admin = rules.can_administer(user)
    if is_admin:
        return CohortAccess(cohort, CohortRole(role) if role else None, True)
    if role is None or role == CohortRole.LEARNER:
        abort(403)
    if role == CohortRole.ORGANISATION_LEAD:
        if not getattr(user, "organisation_id", None):
            abort(403)
        return CohortAccess(cohort, CohortRole(role), False, user.organisation_id)
    return CohortAccess(cohort, CohortRole(role), False)


def require_manager(access: CohortAccess) -> CohortAccess:
    if not access.can_manage:
        abort(403)
    return access


def require_attendance_taker(access: CohortAccess) -> CohortAccess:
    if not access.can_take_attendance:
        abort(403)
    return access


def is_previewer(user) -> bool:
    """Admins and programme managers may read any course without being in a cohort."""
    return rules.can_preview_courses(user)


@dataclass(frozen=True)
class ModuleDates:
    opens_on: date | None = None
    due_on: date | None = None

    def is_open(self, today: date) -> bool:
        return self.opens_on is None or self.opens_on <= today

    def for_member(
        self, cohort_starts_on: date, joined_at: datetime | None, offset_days: int | None
    ) -> ModuleDates:
        """These dates as one member has them: the single rule for an effective due date.

        A manager's offset for the member, if set, moves every due date by that many days.
        Otherwise someone who joined after a module opened (or after the cohort started, for a
        module open from the start) has as long as everyone else: the due date moves by the days
        they joined late.
        """
        if self.due_on is None:
            return self
        if offset_days is not None:
            return ModuleDates(self.opens_on, self.due_on + timedelta(days=offset_days))
        if joined_at is None:
            return self
        late = (uk_today(as_utc(joined_at)) - (self.opens_on or cohort_starts_on)).days
        return ModuleDates(self.opens_on, self.due_on + timedelta(days=late)) if late > 0 else self


@dataclass(frozen=True)
class CourseAccess:
    """A viewer's access to one course: whether they may read it, and each module's dates."""

    allowed: bool
    #: Module key → dates, for learners; empty when everything is open to them.
    modules: dict[str, ModuleDates]

    def dates(self, module_key: str) -> ModuleDates:
        return self.modules.get(module_key, ModuleDates())

    def is_open(self, module_key: str, today: date) -> bool:
        return self.allowed and self.dates(module_key).is_open(today)


OPEN = CourseAccess(True, {})
CLOSED = CourseAccess(False, {})


def course_access(user, course_key: str) -> CourseAccess:
    """Whether the user may read the course, and when each module opens to them (one query).

    A learner in several cohorts of the course gets each module from whichever cohort opens it
    first (a cohort with no date for a module has it open). Due dates are the learner's own
    (`ModuleDates.for_member`: late joiners and manager-set offsets). Facilitators, managers and
    organisation leads of a cohort see every module.
    """
    if is_previewer(user):
        return OPEN
    rows = db.session.execute(
        select(
            CohortMember.cohort_id,
            CohortMember.role,
            CohortModule.module_key,
            CohortModule.opens_on,
            CohortModule.due_on,
            Cohort.starts_on,
            CohortMember.added_at,
            CohortMember.due_offset_days,
        )
        .join(Cohort, Cohort.id == CohortMember.cohort_id)
        .outerjoin(CohortModule, CohortModule.cohort_id == Cohort.id)
        .where(CohortMember.user_id == user.id, Cohort.course_key == course_key)
    ).all()
    if not rows:
        return CLOSED
    if any(row.role != CohortRole.LEARNER for row in rows):
        return OPEN
    schedules: dict[int, dict[str, ModuleDates]] = {}
    for row in rows:
        schedule = schedules.setdefault(row.cohort_id, {})
        if row.module_key is not None:
            schedule[row.module_key] = ModuleDates(row.opens_on, row.due_on).for_member(
                row.starts_on, row.added_at, row.due_offset_days
            )
    if len(schedules) == 1:
        return CourseAccess(True, next(iter(schedules.values())))
    merged: dict[str, ModuleDates] = {}
    keys = {key for schedule in schedules.values() for key in schedule}
    for key in keys:
        options = [schedule.get(key, ModuleDates()) for schedule in schedules.values()]
        merged[key] = min(options, key=lambda d: d.opens_on or date.min)
    return CourseAccess(True, {k: v for k, v in merged.items() if v.opens_on or v.due_on})


def courses_for(user) -> set[str] | None:
    """Keys of the courses the user reaches through cohorts; None means every course (previewers)."""
    if is_previewer(user):
        return None
    return set(
        db.session.execute(
            select(Cohort.course_key)
            .join(CohortMember, CohortMember.cohort_id == Cohort.id)
            .where(CohortMember.user_id == user.id)
        ).scalars()
    )
