"""Cohorts: listing, creating, scheduling, and the people in them."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import NamedTuple

from sqlalchemy import Select, bindparam, case, delete, func, select

from leaders import audit, uow
from leaders.auth import rules
from leaders.auth import services as accounts
from leaders.auth.models import User
from leaders.catalogue.model import Course
from leaders.cohorts.access import CohortAccess, ModuleDates

# Invitations live in their own module; these names stay here for the views that use them.
from leaders.cohorts.invitations import (  # noqa: F401
    InvitationFacts,
    invitation_facts,
    send_invitation,
    send_invitations,
    why_not_invite,
)
from leaders.cohorts.models import (
    Cohort,
    CohortMember,
    CohortModule,
    CohortRole,
)
from leaders.extensions import db
from leaders.organisations.models import Organisation
from leaders.places.models import Place
from leaders.upsert import insert

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CohortSummary:
    cohort: Cohort
    role: str | None
    learners: int


def visible_cohorts(user) -> list[CohortSummary]:
    """The cohorts a user may open a dashboard for, newest first, with learner counts (one query)."""
    learners = (
        select(CohortMember.cohort_id, func.count().label("n"))
        .join(User, User.id == CohortMember.user_id)
        .where(CohortMember.role == CohortRole.LEARNER.value, User.active.is_(True))
        .group_by(CohortMember.cohort_id)
        .subquery()
    )
    mine = (
        select(CohortMember.cohort_id, CohortMember.role)
        .where(CohortMember.user_id == user.id)
        .subquery()
    )
    query = (
        select(Cohort, mine.c.role, func.coalesce(learners.c.n, 0))
        .outerjoin(mine, mine.c.cohort_id == Cohort.id)
        .outerjoin(learners, learners.c.cohort_id == Cohort.id)
        .order_by(Cohort.starts_on.desc(), Cohort.id.desc())
    )
    if not rules.can_administer(user):
        query = query.where(
            mine.c.role.in_([r.value for r in CohortRole if r != CohortRole.LEARNER])
        )
    return [CohortSummary(c, role, n) for c, role, n in db.session.execute(query).all()]


@uow.transactional
def create_cohort(user, course: Course, name: str, starts_on: date, ends_on: date) -> Cohort:
    """A new cohort; its creator manages it. Modules are open from the start until scheduled."""
    cohort = Cohort(course_key=course.key, name=name.strip(), starts_on=starts_on, ends_on=ends_on)
    db.session.add(cohort)
    db.session.flush()
    db.session.add(
        CohortMember(cohort_id=cohort.id, user_id=user.id, role=CohortRole.PROGRAMME_MANAGER.value)
    )
    audit.record(audit.Action.COHORT_CREATED, actor=user, cohort=cohort, detail=cohort.name)
    return cohort


@uow.transactional
def update_cohort(
    cohort: Cohort, name: str, starts_on: date, ends_on: date, *, actor: audit.Ref
) -> None:
    audit.record(
        audit.Action.COHORT_CHANGED,
        actor=actor,
        cohort=cohort,
        detail=f"{name.strip()}, {starts_on.isoformat()} to {ends_on.isoformat()}",
    )
    cohort.name = name.strip()
    cohort.starts_on = starts_on
    cohort.ends_on = ends_on


def schedule(cohort: Cohort) -> dict[str, CohortModule]:
    rows = db.session.execute(
        select(CohortModule).where(CohortModule.cohort_id == cohort.id)
    ).scalars()
    return {row.module_key: row for row in rows}


@uow.transactional
def set_schedule(
    cohort: Cohort, dates: Mapping[str, tuple[date | None, date | None]], *, actor: audit.Ref
) -> None:
    """Replace the release schedule: module key → (opens on, due on). Both None: open, no due date."""
    dated = sum(1 for pair in dates.values() if any(pair))
    audit.record(
        audit.Action.SCHEDULE_CHANGED,
        actor=actor,
        cohort=cohort,
        detail=f"{dated} of {len(dates)} modules have dates",
    )
    db.session.execute(delete(CohortModule).where(CohortModule.cohort_id == cohort.id))
    for module_key, (opens_on, due_on) in dates.items():
        if opens_on or due_on:
            db.session.add(
                CohortModule(
                    cohort_id=cohort.id, module_key=module_key, opens_on=opens_on, due_on=due_on
                )
            )


# People ---------------------------------------------------------------------------------------


class Person(NamedTuple):
    """A cohort member as the cohort's pages show them. A named tuple, not a frozen dataclass:
    the dashboard makes one per learner on every view, and a frozen dataclass's __init__ (an
    object.__setattr__ per field) took several µs each against ~0.3 µs (about 2.5 ms of the
    1,000-learner page in bench/dashboard.py, runs side by side)."""

    user_id: int
    name: str
    email: str
    job_title: str
    role: CohortRole
    organisation: str | None
    sector: str | None
    place: str | None
    joined: bool
    last_sign_in_at: datetime | None
    last_active_at: datetime | None
    #: When they joined this cohort, and the due-date offset a manager set for them (if any).
    joined_at: datetime | None = None
    due_offset_days: int | None = None
    #: False once the account is closed: erased people's accounts are.
    active: bool = True


#: CohortRole by its stored value: a dict look-up per member, not an Enum call.
_ROLES = {role.value: role for role in CohortRole}


def _organisation_columns():
    return Organisation, Place


def people(
    access: CohortAccess, role: CohortRole | None = None, *, taking_part: bool = False
) -> list[Person]:
    """The cohort's members with organisation and place, in name order (one query).

    An organisation lead gets their own organisation's people only. ``taking_part`` leaves out
    closed accounts (erased people's, which stay only as anonymous figures): the dashboard, the
    registers and reminders count only the people actually on the programme.
    """
    params = {"cohort_id": access.cohort.id}
    if access.sees_everyone:
        scope = "everyone"
    elif access.organisation_id is None:
        scope = "none"
    else:
        scope = "organisation"
        params["organisation_id"] = access.organisation_id
    query = _people_query(role.value if role else None, taking_part, scope)
    return [
        Person(
            user_id,
            name,
            email,
            job_title,
            _ROLES[role],
            organisation,
            sector,
            place,
            bool(account_joined),
            last_sign_in_at,
            last_active_at,
            joined_at,
            due_offset_days,
            active,
        )
        for (
            user_id,
            name,
            email,
            job_title,
            role,
            organisation,
            sector,
            place,
            account_joined,
            last_sign_in_at,
            last_active_at,
            joined_at,
            due_offset_days,
            active,
        ) in db.session.connection().execute(query, params).all()
    ]


@lru_cache(maxsize=16)
def _people_query(role: str | None, taking_part: bool, scope: str) -> Select:
    """The statement for `people`, built once for each kind of call (`scope`: everyone, one
    organisation's staff, or those with no organisation), with the cohort and organisation bound
    when it runs: building it and working out its cache key took about a third as long as running
    it, and the dashboard reads a cohort's people on every view."""
    Organisation, Place = _organisation_columns()
    query = (
        select(
            User.id,
            User.name,
            User.email,
            User.job_title,
            CohortMember.role,
            Organisation.name,
            Organisation.sector,
            Place.name,
            User.joined_at.is_not(None),
            User.last_sign_in_at,
            User.last_active_at,
            CohortMember.added_at,
            CohortMember.due_offset_days,
            User.active,
        )
        .join(CohortMember, CohortMember.user_id == User.id)
        .outerjoin(Organisation, Organisation.id == User.organisation_id)
        .outerjoin(Place, Place.code == Organisation.place_code)
        .where(CohortMember.cohort_id == bindparam("cohort_id"))
        .order_by(
            case((CohortMember.role == CohortRole.LEARNER.value, 1), else_=0),
            func.lower(User.name),
        )
    )
    if role is not None:
        query = query.where(CohortMember.role == role)
    if taking_part:
        query = query.where(User.active.is_(True))
    if scope == "organisation":
        query = query.where(User.organisation_id == bindparam("organisation_id"))
    elif scope == "none":
        query = query.where(User.organisation_id.is_(None))
    return query


def add_person(
    cohort: Cohort,
    *,
    email: str,
    name: str,
    job_title: str,
    role: CohortRole,
    organisation_id: int | None,
    actor: audit.Ref,
    imported_from: str | None = None,
) -> tuple[User, bool]:
    """Add someone to the cohort, creating their account if needed (no commit).

    Returns the user and whether they need an invitation (a new account, or one never used).
    An existing person keeps their details; their role in this cohort is set to ``role``.
    Audited: added (or imported from the file named), or a changed role.
    """
    user = accounts.find_by_email(email) or accounts.create_user_once(
        email, name, job_title=job_title
    )
    if organisation_id and not user.organisation_id:
        user.organisation_id = organisation_id
    before = db.session.execute(
        select(CohortMember.role).where(
            CohortMember.cohort_id == cohort.id, CohortMember.user_id == user.id
        )
    ).scalar_one_or_none()
    if before is None:
        how = audit.Action.IMPORTED if imported_from else audit.Action.ADDED
        detail = f"as {role.label.lower()}" + (f", from {imported_from}" if imported_from else "")
        audit.record(how, actor=actor, cohort=cohort, subject=user, detail=detail)
    elif before != role.value:
        audit.record(
            audit.Action.ROLE_CHANGED,
            actor=actor,
            cohort=cohort,
            subject=user,
            detail=f"{CohortRole(before).label} to {role.label.lower()}",
        )
    stmt = insert(CohortMember).values(cohort_id=cohort.id, user_id=user.id, role=role.value)
    stmt = stmt.on_conflict_do_update(
        index_elements=["cohort_id", "user_id"], set_={"role": stmt.excluded.role}
    )
    db.session.execute(stmt)
    return user, user.joined_at is None


@dataclass(frozen=True)
class MemberDue:
    """One module's due date: the cohort's, and this member's own (`ModuleDates.for_member`)."""

    module_title: str
    cohort_due_on: date | None
    due_on: date | None


def member_due_dates(cohort: Cohort, course: Course, person: Person) -> list[MemberDue]:
    """Each module's due date for one member, in course order (one query)."""
    dates = schedule(cohort)
    result = []
    for module in course.modules:
        row = dates.get(module.key)
        cohort_dates = ModuleDates(row.opens_on, row.due_on) if row else ModuleDates()
        mine = cohort_dates.for_member(cohort.starts_on, person.joined_at, person.due_offset_days)
        result.append(MemberDue(module.title, cohort_dates.due_on, mine.due_on))
    return result


def set_due_offset(cohort: Cohort, user_id: int, days: int | None) -> None:
    """Move every due date for one member by ``days``; None: count from their join date (no commit)."""
    member = db.session.execute(
        select(CohortMember).where(
            CohortMember.cohort_id == cohort.id, CohortMember.user_id == user_id
        )
    ).scalar_one()
    member.due_offset_days = days


@uow.transactional
def remove_person(cohort: Cohort, user_id: int, *, actor: audit.Ref) -> bool:
    """Take someone out of the cohort. Their account and their own records stay."""
    removed = db.session.execute(
        delete(CohortMember)
        .where(CohortMember.cohort_id == cohort.id, CohortMember.user_id == user_id)
        .returning(CohortMember.role)
    ).first()
    if removed is not None:
        detail = f"was {CohortRole(removed.role).label.lower()}"
        audit.record(
            audit.Action.REMOVED, actor=actor, cohort=cohort, subject=user_id, detail=detail
        )
    return removed is not None
