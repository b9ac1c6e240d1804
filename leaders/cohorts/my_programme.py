"""What a learner's home shows of their programme: the next session, and their learning set."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from leaders.cohorts import set_people
from leaders.cohorts.calendar import DEFAULT_LENGTH, ends_at, sessions_for
from leaders.cohorts.models import (
    Cohort,
    CohortSession,
    LearningSet,
)
from leaders.extensions import db
from leaders.timeutil import utcnow


@dataclass(frozen=True)
class NextSession:
    session: CohortSession
    cohort_name: str
    ends_at: datetime
    #: The set it is for, if it is one set's meeting.
    set_name: str | None = None


@dataclass(frozen=True)
class SetMember:
    name: str
    organisation: str
    job_title: str
    is_you: bool


@dataclass(frozen=True)
class MySet:
    name: str
    cohort_name: str
    members: list[SetMember]
    facilitators: list[str]
    next_meeting: NextSession | None


def _upcoming(query, now: datetime, limit: int = 5) -> list[CohortSession]:
    """Sessions not cancelled and not yet over, soonest first."""
    rows = db.session.execute(
        query.where(
            CohortSession.cancelled_at.is_(None),
            # A session without an end time is taken to last DEFAULT_LENGTH; none lasts a day.
            CohortSession.starts_at >= now - max(DEFAULT_LENGTH, timedelta(hours=24)),
        )
        .order_by(CohortSession.starts_at)
        .limit(limit + 20)
    ).scalars()
    return [s for s in rows if ends_at(s) > now][:limit]


def _next(session: CohortSession | None) -> NextSession | None:
    if session is None:
        return None
    cohort_name = db.session.scalar(select(Cohort.name).where(Cohort.id == session.cohort_id))
    set_name = (
        db.session.scalar(select(LearningSet.name).where(LearningSet.id == session.set_id))
        if session.set_id
        else None
    )
    return NextSession(session, cohort_name or "", ends_at(session), set_name)


def next_session(user_id: int, now: datetime | None = None) -> NextSession | None:
    """The learner's next session: a workshop of their cohorts, or their set's meeting."""
    upcoming = _upcoming(sessions_for(user_id), now or utcnow(), limit=1)
    return _next(upcoming[0] if upcoming else None)


def my_set(user_id: int, now: datetime | None = None) -> MySet | None:
    """The learner's learning set (in their most recent cohort), its members and next meeting:
    members and facilitator by the one rule in `set_people`, as the set's own page shows them."""
    row = db.session.execute(set_people.sets_of_learner(user_id).limit(1)).first()
    if row is None:
        return None
    members = [
        SetMember(m.name, m.organisation or "", m.job_title, m.id == user_id)
        for m in set_people.members_of([row.id]).get(row.id, [])
    ]
    meeting = _upcoming(
        select(CohortSession).where(CohortSession.set_id == row.id), now or utcnow(), 1
    )
    return MySet(
        row.name,
        row.cohort_name,
        members,
        # The set's own facilitator, chosen when the sets were confirmed; none yet: "Not yet named".
        [row.facilitator_name] if row.facilitator_id else [],
        _next(meeting[0] if meeting else None),
    )
