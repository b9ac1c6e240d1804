"""What a learner's home shows of their programme: the next session, and their learning set."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from leaders.auth.models import User
from leaders.cohorts.calendar import DEFAULT_LENGTH, ends_at, sessions_for
from leaders.cohorts.models import (
    Cohort,
    CohortMember,
    CohortRole,
    CohortSession,
    LearningSet,
    LearningSetMember,
)
from leaders.extensions import db
from leaders.organisations.models import Organisation
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
    """The learner's learning set (in their most recent cohort), its members and next meeting."""
    row = db.session.execute(
        select(LearningSet, Cohort.name)
        .join(LearningSetMember, LearningSetMember.set_id == LearningSet.id)
        .join(Cohort, Cohort.id == LearningSet.cohort_id)
        .where(LearningSetMember.user_id == user_id)
        .order_by(Cohort.starts_on.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    learning_set, cohort_name = row
    members = [
        SetMember(name, organisation or "", job_title or "", uid == user_id)
        for uid, name, organisation, job_title in db.session.execute(
            select(User.id, User.name, Organisation.name, User.job_title)
            .join(LearningSetMember, LearningSetMember.user_id == User.id)
            .outerjoin(Organisation, Organisation.id == User.organisation_id)
            .where(LearningSetMember.set_id == learning_set.id, User.active.is_(True))
            .order_by(func.lower(User.name))
        )
    ]
    # The set's own facilitator, chosen when the sets were confirmed; none yet: "Not yet named".
    facilitators = _set_facilitator(learning_set)
    meeting = _upcoming(
        select(CohortSession).where(CohortSession.set_id == learning_set.id), now or utcnow(), 1
    )
    return MySet(
        learning_set.name,
        cohort_name,
        members,
        facilitators,
        _next(meeting[0] if meeting else None),
    )


def _set_facilitator(learning_set: LearningSet) -> list[str]:
    """The set's facilitator, if one is named and still facilitates the cohort."""
    if learning_set.facilitator_id is None:
        return []
    return list(
        db.session.execute(
            select(User.name)
            .join(CohortMember, CohortMember.user_id == User.id)
            .where(
                User.id == learning_set.facilitator_id,
                CohortMember.cohort_id == learning_set.cohort_id,
                CohortMember.role == CohortRole.FACILITATOR.value,
                User.active.is_(True),
            )
        ).scalars()
    )
