"""Confirmed learning sets as their people see them: the manager, the set's facilitator, a learner.

- `confirmed(cohort_id)`: the cohort's sets with their mix, for its managers.
- `facilitated_sets(user_id)`: the sets a person runs, in cohorts where they are still a
  facilitator, with members and the set's sessions.
- `learning_set_for(user_id, cohort_id)`: a learner's own set, its members and facilitator (the
  learner's home shows it too).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import aliased

from leaders.auth.models import User
from leaders.cohorts.models import (
    Cohort,
    CohortSession,
    LearningSet,
    LearningSetMember,
)
from leaders.cohorts.set_people import Member, members_of, sets_of_learner, sets_query
from leaders.extensions import db
from leaders.network import allocation as alloc
from leaders.network.graph import Person
from leaders.network.services import cohort_people


@dataclass(frozen=True)
class ConfirmedSet:
    id: int
    name: str
    members: list[Person]
    mix: alloc.SetMix
    facilitator: str | None = None


def confirmed(cohort_id: int) -> list[ConfirmedSet]:
    """The cohort's sets, in the order they were made, with their learners and mix (three queries)."""
    people = {p.id: p for p in cohort_people(cohort_id)}
    facilitator = aliased(User)
    sets = db.session.execute(
        select(LearningSet.id, LearningSet.name, facilitator.name)
        .outerjoin(facilitator, facilitator.id == LearningSet.facilitator_id)
        .where(LearningSet.cohort_id == cohort_id)
        .order_by(LearningSet.id)
    ).all()
    grouped: dict[int, list[int]] = {set_id: [] for set_id, _, _ in sets}
    for set_id, user_id in db.session.execute(
        select(LearningSetMember.set_id, LearningSetMember.user_id).where(
            LearningSetMember.cohort_id == cohort_id
        )
    ):
        if user_id in people and set_id in grouped:
            grouped[set_id].append(user_id)
    return [
        ConfirmedSet(
            set_id,
            name,
            sorted((people[i] for i in grouped[set_id]), key=lambda p: p.name),
            alloc.explain(grouped[set_id], people.values()),
            facilitator_name,
        )
        for set_id, name, facilitator_name in sets
    ]


@dataclass(frozen=True)
class SetMeeting:
    id: int
    title: str
    starts_at: datetime


@dataclass(frozen=True)
class SetView:
    id: int
    name: str
    cohort_id: int
    cohort_name: str
    members: list[Member]
    facilitator: Member | None
    #: The set's own sessions, with registers (empty until sessions carry a set).
    meetings: list[SetMeeting]


def _meetings(set_ids: list[int]) -> dict[int, list[SetMeeting]]:
    """Sessions held for one set (CohortSession.set_id), soonest first; none while sessions have
    no set column."""
    column = CohortSession.__table__.c.get("set_id")
    if column is None or not set_ids:
        return {}
    grouped: dict[int, list[SetMeeting]] = {}
    for set_id, session_id, title, starts_at in db.session.execute(
        select(column, CohortSession.id, CohortSession.title, CohortSession.starts_at)
        .where(column.in_(set_ids))
        .order_by(CohortSession.starts_at)
    ):
        grouped.setdefault(set_id, []).append(SetMeeting(session_id, title, starts_at))
    return grouped


def _views(rows) -> list[SetView]:
    ids = [row.id for row in rows]
    members, meetings = members_of(ids), _meetings(ids)
    return [
        SetView(
            row.id,
            row.name,
            row.cohort_id,
            row.cohort_name,
            members.get(row.id, []),
            Member(
                row.facilitator_id,
                row.facilitator_name,
                row.facilitator_org,
                row.facilitator_job or "",
            )
            if row.facilitator_id
            else None,
            meetings.get(row.id, []),
        )
        for row in rows
    ]


def facilitated_sets(user_id: int) -> list[SetView]:
    """The sets this person runs, in cohorts where they are (still) a facilitator."""
    rows = db.session.execute(
        sets_query()
        .where(LearningSet.facilitator_id == user_id)
        .order_by(Cohort.starts_on.desc(), LearningSet.id)
    ).all()
    return [view for view in _views(rows) if view.facilitator is not None]


def learning_set_for(user_id: int, cohort_id: int) -> SetView | None:
    """The learner's set in the cohort, with its members (themselves included) and facilitator;
    None if they are not a learner in a confirmed set of the cohort."""
    views = _views(db.session.execute(sets_of_learner(user_id, cohort_id).limit(1)).all())
    return views[0] if views else None


def facilitator_of(set_id: int) -> str:
    """The set's facilitator's id as a form value ("" for none)."""
    value = db.session.execute(
        select(LearningSet.facilitator_id).where(LearningSet.id == set_id)
    ).scalar_one_or_none()
    return str(value) if value else ""
