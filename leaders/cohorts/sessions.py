"""Workshops and learning set meetings, and their attendance registers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from flask import abort
from sqlalchemy import case, func, select

from leaders import audit, uow
from leaders.auth.models import User
from leaders.cohorts.access import CohortAccess
from leaders.cohorts.models import (
    Attendance,
    AttendanceStatus,
    CohortMember,
    CohortRole,
    CohortSession,
    SessionKind,
)
from leaders.cohorts.services import Person, people
from leaders.extensions import db
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


@uow.transactional
def add_session(
    access: CohortAccess,
    title: str,
    kind: SessionKind,
    starts_at: datetime,
    location: str,
    *,
    actor: audit.Ref,
) -> CohortSession:
    session = CohortSession(
        cohort_id=access.cohort.id,
        title=title.strip(),
        kind=kind.value,
        starts_at=starts_at,
        location=location.strip(),
    )
    db.session.add(session)
    audit.record(
        audit.Action.SESSION_ADDED,
        actor=actor,
        cohort=access.cohort,
        detail=f"{session.title} ({kind.label.lower()}), {starts_at:%d %b %Y %H:%M}",
    )
    return session


def session_of(access: CohortAccess, session_id: int) -> CohortSession:
    session = db.session.get(CohortSession, session_id)
    if session is None or session.cohort_id != access.cohort.id:
        abort(404)
    return session


def register(access: CohortAccess, session: CohortSession) -> tuple[list[Person], dict[int, str]]:
    """The learners to mark, and what is recorded for each so far (two queries)."""
    learners = people(access, CohortRole.LEARNER, taking_part=True)
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

    Audited: one entry for each learner whose mark is new or changed.
    """
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
