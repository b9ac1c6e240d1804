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
from functools import lru_cache
from typing import Any

from flask import abort
from sqlalchemy import Date, Exists, Integer, String, bindparam, literal, select
from sqlalchemy.orm import aliased

from leaders.auth import rules
from leaders.auth.models import UserLike
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
    def is_facilitator(self) -> bool:
        """A facilitator of the cohort: they may be chosen to run its learning sets."""
        return self.role == CohortRole.FACILITATOR

    @property
    def is_organisation_lead(self) -> bool:
        """An organisation lead: they see their own organisation's staff only."""
        return self.role == CohortRole.ORGANISATION_LEAD and not self.is_admin

    @property
    def sees_everyone(self) -> bool:
        return self.role != CohortRole.ORGANISATION_LEAD or self.is_admin


@lru_cache(maxsize=1)
def _cohort_access_query() -> Any:
    """The cohort and the viewer's role in it, built once (every cohort page asks)."""
    return (
        select(Cohort, CohortMember.role)
        .outerjoin(
            CohortMember,
            (CohortMember.cohort_id == Cohort.id)
            & (CohortMember.user_id == bindparam("user_id", type_=Integer)),
        )
        .where(Cohort.id == bindparam("cohort_id", type_=Integer))
    )


def cohort_access(user: UserLike, cohort_id: int) -> CohortAccess:
    """The viewer's access to a cohort: 404 if it does not exist, 403 if they may not see it."""
    row = db.session.execute(
        _cohort_access_query(), {"user_id": user.id, "cohort_id": cohort_id}
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
        if not user.organisation_id:
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


def is_previewer(user: UserLike) -> bool:
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
        joined_on = uk_today(as_utc(joined_at)) if joined_at is not None else None
        return self.for_member_on(cohort_starts_on, joined_on, offset_days)

    def for_member_on(
        self, cohort_starts_on: date, joined_on: date | None, offset_days: int | None
    ) -> ModuleDates:
        """`for_member` with the day they joined (UK) worked out already: a page that asks for
        every module of every learner (the dashboard) works it out once per learner."""
        if self.due_on is None:
            return self
        if offset_days is not None:
            return ModuleDates(self.opens_on, self.due_on + timedelta(days=offset_days))
        if joined_on is None:
            return self
        late = (joined_on - (self.opens_on or cohort_starts_on)).days
        return ModuleDates(self.opens_on, self.due_on + timedelta(days=late)) if late > 0 else self


def module_open(member_id: Any, course_key: Any, module_key: Any, today: Any) -> Exists:
    """The rule "is this module open for this learner today", written once, as SQL.

    True when the person is in a cohort on the course that opens the module to them: staff in the
    cohort see every module; for a learner, the cohort's schedule has no opening date for the
    module, or the date has come. The arguments are SQL values (bind parameters or columns): the
    lesson-view upsert passes parameters, `course_access` the module key of each schedule row.
    """
    member = aliased(CohortMember)
    cohort = aliased(Cohort)
    schedule = aliased(CohortModule)
    return (
        select(literal(1))
        .select_from(member)
        .join(cohort, cohort.id == member.cohort_id)
        .outerjoin(
            schedule, (schedule.cohort_id == cohort.id) & (schedule.module_key == module_key)
        )
        .where(
            member.user_id == member_id,
            cohort.course_key == course_key,
            (member.role != CohortRole.LEARNER.value)
            | schedule.opens_on.is_(None)
            | (schedule.opens_on <= today),
        )
        .exists()
    )


@dataclass(frozen=True)
class CourseAccess:
    """A viewer's access to one course: whether they may read it, each module's dates, and which
    modules are still closed to them today (worked out by `module_open`)."""

    allowed: bool
    #: Module key → dates, for learners; empty when everything is open to them.
    modules: dict[str, ModuleDates]
    #: Modules not open to the viewer today.
    closed: frozenset[str] = frozenset()

    def dates(self, module_key: str) -> ModuleDates:
        return self.modules.get(module_key, ModuleDates())

    def is_open(self, module_key: str) -> bool:
        return self.allowed and module_key not in self.closed


OPEN = CourseAccess(True, {})
CLOSED = CourseAccess(False, {})


@lru_cache(maxsize=1)
def _course_access_query() -> Any:
    """Built once: building `module_open` (aliases adapted by the ORM) costs more than running it."""
    user_id = bindparam("user_id", type_=Integer)
    course_key = bindparam("course_key", type_=String)
    return (
        select(
            CohortMember.cohort_id,
            CohortMember.role,
            CohortModule.module_key,
            CohortModule.opens_on,
            CohortModule.due_on,
            Cohort.starts_on,
            CohortMember.added_at,
            CohortMember.due_offset_days,
            module_open(
                user_id, course_key, CohortModule.module_key, bindparam("today", type_=Date)
            ).label("open_now"),
        )
        .join(Cohort, Cohort.id == CohortMember.cohort_id)
        .outerjoin(CohortModule, CohortModule.cohort_id == Cohort.id)
        .where(CohortMember.user_id == user_id, Cohort.course_key == course_key)
    )


def course_access(user: UserLike, course_key: str, today: date | None = None) -> CourseAccess:
    """Whether the user may read the course, and when each module opens to them (one query).

    A learner in several cohorts of the course gets each module from whichever cohort opens it
    first (a cohort with no date for a module has it open). Due dates are the learner's own
    (`ModuleDates.for_member`: late joiners and manager-set offsets). Facilitators, managers and
    organisation leads of a cohort see every module. Which modules are open today is
    `module_open`, the same expression the lesson-view upsert checks.
    """
    if is_previewer(user):
        return OPEN
    # On the connection: the ORM's execution path for a plain select of columns doubled its cost.
    params = {"user_id": user.id, "course_key": course_key, "today": today or uk_today()}
    rows = db.session.connection().execute(_course_access_query(), params).all()
    if not rows:
        return CLOSED
    if any(row.role != CohortRole.LEARNER for row in rows):
        return OPEN
    closed = frozenset(row.module_key for row in rows if row.module_key and not row.open_now)
    schedules: dict[int, dict[str, ModuleDates]] = {}
    for row in rows:
        schedule = schedules.setdefault(row.cohort_id, {})
        if row.module_key is not None:
            schedule[row.module_key] = ModuleDates(row.opens_on, row.due_on).for_member(
                row.starts_on, row.added_at, row.due_offset_days
            )
    if len(schedules) == 1:
        return CourseAccess(True, next(iter(schedules.values())), closed)
    merged: dict[str, ModuleDates] = {}
    keys = {key for schedule in schedules.values() for key in schedule}
    for key in keys:
        options = [schedule.get(key, ModuleDates()) for schedule in schedules.values()]
        merged[key] = min(options, key=lambda d: d.opens_on or date.min)
    return CourseAccess(True, {k: v for k, v in merged.items() if v.opens_on or v.due_on}, closed)


def courses_for(user: UserLike) -> set[str] | None:
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
