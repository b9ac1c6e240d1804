"""Workshops and learning set meetings, and their attendance registers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from flask import abort
from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError

from leaders import audit, uow
from leaders.auth.models import User
from leaders.auth.rules import NotApplicable
from leaders.cohorts import session_changes
from leaders.cohorts.access import CohortAccess
from leaders.cohorts.models import (
    Attendance,
    AttendanceStatus,
    CohortMember,
    CohortRole,
    CohortSession,
    LearningSet,
    LearningSetMember,
    SessionKind,
)
from leaders.cohorts.services import Person, people
from leaders.extensions import db
from leaders.filters import govuk_datetime
from leaders.timeutil import UK, as_utc, utcnow
from leaders.upsert import insert


@dataclass(frozen=True)
class SessionRow:
    session: CohortSession
    #: Marks for the cohort's current learners.
    present: int
    apologies: int
    absent: int
    #: Marks kept, without names, for people since removed from the cohort or erased.
    former: int = 0

    @property
    def recorded(self) -> int:
        return self.present + self.apologies + self.absent + self.former


def sessions(access: CohortAccess) -> list[SessionRow]:
    """The cohort's sessions in date order, with the register's totals (one query).

    The totals count the cohort's current learners; marks of people removed or erased since are
    counted apart, so the page can say so.
    """
    current = (
        select(CohortMember.user_id)
        .join(User, User.id == CohortMember.user_id)
        .where(
            CohortMember.cohort_id == access.cohort.id,
            CohortMember.role == CohortRole.LEARNER.value,
            User.active.is_(True),
        )
    )
    is_current = Attendance.user_id.in_(current)
    counts = (
        select(
            Attendance.session_id,
            *(
                func.sum(
                    case((is_current & (Attendance.status == status.value), 1), else_=0)
                ).label(name)
                for name, status in (
                    ("p", AttendanceStatus.PRESENT),
                    ("a", AttendanceStatus.APOLOGIES),
                    ("x", AttendanceStatus.ABSENT),
                )
            ),
            func.sum(case((is_current, 0), else_=1)).label("f"),
        )
        .group_by(Attendance.session_id)
        .subquery()
    )
    rows = db.session.execute(
        select(CohortSession, counts.c.p, counts.c.a, counts.c.x, counts.c.f)
        .outerjoin(counts, counts.c.session_id == CohortSession.id)
        .where(CohortSession.cohort_id == access.cohort.id)
        .order_by(CohortSession.starts_at)
    ).all()
    return [SessionRow(s, p or 0, a or 0, x or 0, f or 0) for s, p, a, x, f in rows]


@dataclass(frozen=True)
class SessionDetails:
    """What a manager enters for a session: times in UTC, a place or an https link (or both)."""

    title: str
    kind: SessionKind
    starts_at: datetime
    ends_at: datetime
    location: str = ""
    online_url: str = ""
    joining_instructions: str = ""
    #: A learning set's own meeting; None: the whole cohort.
    set_id: int | None = None


def cohort_sets(access: CohortAccess) -> list[tuple[int, str]]:
    """The cohort's learning sets (id, name), for the "who it is for" choice."""
    return [
        (i, n)
        for i, n in db.session.execute(
            select(LearningSet.id, LearningSet.name)
            .where(LearningSet.cohort_id == access.cohort.id)
            .order_by(LearningSet.name)
        )
    ]


def _check_set(access: CohortAccess, set_id: int | None) -> None:
    if set_id is not None and set_id not in {i for i, _ in cohort_sets(access)}:
        abort(400)


def _apply(session: CohortSession, details: SessionDetails) -> None:
    session.title = details.title.strip()
    session.kind = details.kind.value
    session.starts_at = details.starts_at
    session.ends_at = details.ends_at
    session.location = details.location.strip()
    session.online_url = details.online_url.strip()
    session.joining_instructions = details.joining_instructions.strip()
    session.set_id = details.set_id


def _when(details: SessionDetails) -> str:
    start, end = details.starts_at.astimezone(UK), details.ends_at.astimezone(UK)
    return f"{start:%d %b %Y %H:%M}–{end:%H:%M} UK time"


@uow.transactional
def add_session(
    access: CohortAccess,
    details: SessionDetails,
    *,
    actor: audit.Ref,
    form_key: str | None = None,
) -> CohortSession:
    """Add a session. The same form submitted twice (``form_key``) adds it once."""
    _check_set(access, details.set_id)
    if form_key is not None:
        existing = _by_form_key(access, form_key)
        if existing is not None:
            return existing
    session = CohortSession(cohort_id=access.cohort.id, form_key=form_key, sequence=0)
    _apply(session, details)
    try:
        with db.session.begin_nested():
            db.session.add(session)
    except IntegrityError:
        # Another request with the same form key got there first: that one is the session.
        existing = _by_form_key(access, form_key) if form_key else None
        if existing is None:
            raise
        return existing
    audit.record(
        audit.Action.SESSION_ADDED,
        actor=actor,
        cohort=access.cohort,
        detail=f"{session.title} ({details.kind.label.lower()}), {_when(details)}",
    )
    return session


def _by_form_key(access: CohortAccess, form_key: str) -> CohortSession | None:
    return db.session.execute(
        select(CohortSession).where(
            CohortSession.form_key == form_key, CohortSession.cohort_id == access.cohort.id
        )
    ).scalar_one_or_none()


@dataclass(frozen=True)
class Change:
    """What saving a session did: whether anything changed, and who was emailed about it."""

    changed: bool
    told: int = 0


@uow.transactional
def update_session(
    access: CohortAccess,
    session: CohortSession,
    details: SessionDetails,
    *,
    actor: audit.Ref,
    tell: bool = True,
) -> Change:
    """Save a changed session; its calendar entry's SEQUENCE goes up.

    With ``tell``, the people it is for are emailed the new details (through the outbox, in this
    transaction) when what they see changed (title, times, place, link, instructions or which set)
    and the session has not ended.
    """
    _check_set(access, details.set_id)
    before = _snapshot(session)
    _apply(session, details)
    after = _snapshot(session)
    if after == before:
        return Change(False)
    session.sequence = (session.sequence or 0) + 1
    seen = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b and i != 1]
    over = as_utc(session.ends_at or session.starts_at) <= utcnow()
    told = session_changes.tell_changed(access, session) if tell and seen and not over else []
    audit.record(
        audit.Action.SESSION_CHANGED,
        actor=actor,
        cohort=access.cohort,
        detail=f"{session.title}, {_when(details)}"
        + (f"; {len(told)} people told by email" if told else "; no one emailed"),
    )
    return Change(True, len(told))


def _snapshot(session: CohortSession) -> tuple:
    """What a change compares. Index 1 (the kind) is the only part people are not told about."""
    return (
        session.title,
        session.kind,
        as_utc(session.starts_at),
        as_utc(session.ends_at),
        session.location,
        session.online_url,
        session.joining_instructions,
        session.set_id,
    )


def session_of(access: CohortAccess, session_id: int) -> CohortSession:
    session = db.session.get(CohortSession, session_id)
    if session is None or session.cohort_id != access.cohort.id:
        abort(404)
    return session


def has_started(session: CohortSession, now: datetime | None = None) -> bool:
    return as_utc(session.starts_at) <= (now or utcnow())


def why_no_register(session: CohortSession) -> str | None:
    """Why attendance cannot be taken for this session now, or None if it can."""
    if session.is_cancelled:
        return f"{session.title} was cancelled, so it has no register."
    if not has_started(session):
        return (
            f"{session.title} has not started yet. You can take attendance once it starts, "
            f"on {govuk_datetime(session.starts_at)}."
        )
    return None


def set_member_ids(set_id: int) -> set[int]:
    return set(
        db.session.execute(
            select(LearningSetMember.user_id).where(LearningSetMember.set_id == set_id)
        ).scalars()
    )


def register(access: CohortAccess, session: CohortSession) -> tuple[list[Person], dict[int, str]]:
    """The learners to mark (a set meeting: that set's members), and their marks so far."""
    learners = people(access, CohortRole.LEARNER, taking_part=True)
    if session.set_id is not None:
        members = set_member_ids(session.set_id)
        learners = [p for p in learners if p.user_id in members]
    marks = dict(
        db.session.execute(
            select(Attendance.user_id, Attendance.status).where(Attendance.session_id == session.id)
        ).all()
    )
    return learners, marks


@uow.transactional
def record_attendance(
    access: CohortAccess,
    session: CohortSession,
    marks: Mapping[int, AttendanceStatus],
    *,
    actor: audit.Ref,
) -> int:
    """Save the register in one transaction (upserts). Only the cohort's learners can be marked.

    Audited: one entry for each learner whose mark is new or changed. A session that has not
    started, or was cancelled, takes no marks; a set meeting takes only that set's members.
    """
    refusal = why_no_register(session)
    if refusal:
        raise NotApplicable(refusal)
    allowed = set(
        db.session.execute(
            select(CohortMember.user_id)
            .join(User, User.id == CohortMember.user_id)
            .where(
                CohortMember.cohort_id == access.cohort.id,
                CohortMember.role == CohortRole.LEARNER.value,
                User.active.is_(True),
            )
        ).scalars()
    )
    if session.set_id is not None:
        allowed &= set_member_ids(session.set_id)
    if not access.sees_everyone:
        allowed &= {p.user_id for p in people(access, CohortRole.LEARNER, taking_part=True)}
    unknown = set(marks) - allowed
    if unknown:
        abort(400)
    before = dict(
        db.session.execute(
            select(Attendance.user_id, Attendance.status).where(Attendance.session_id == session.id)
        ).all()
    )
    for user_id, status in marks.items():
        if before.get(user_id) != status.value:
            was = (
                f" (was {AttendanceStatus(before[user_id]).label.lower()})"
                if user_id in before
                else ""
            )
            audit.record(
                audit.Action.ATTENDANCE_MARKED,
                actor=actor,
                cohort=access.cohort,
                subject=user_id,
                detail=f"{session.title}: {status.label.lower()}{was}",
            )
        stmt = insert(Attendance).values(
            session_id=session.id, user_id=user_id, status=status.value
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=["session_id", "user_id"], set_={"status": stmt.excluded.status}
        )
        db.session.execute(stmt)
    return len(marks)
