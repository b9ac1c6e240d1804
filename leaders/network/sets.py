"""Action learning sets for a cohort: propose a mixed split, let the manager adjust it, confirm it.

A proposal is kept in the manager's session (a few dozen ids) until they confirm it; confirming
replaces the cohort's sets in one transaction. Membership of a set is also a tie in the network.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import session
from sqlalchemy import delete, select

from leaders import audit, uow
from leaders.cohorts.models import LearningSet, LearningSetMember
from leaders.extensions import db, rowcount
from leaders.network import allocation as alloc
from leaders.network.graph import Person
from leaders.network.services import cohort_people


@dataclass(frozen=True)
class Proposal:
    allocation: alloc.Allocation
    score_random: float
    score_greedy: float

    @property
    def people(self) -> dict[int, Person]:
        return {p.id: p for p in self.allocation.people}


def _key(cohort_id: int) -> str:
    return f"sets-proposal-{cohort_id}"


def _baselines(people: list[Person], n_sets: int) -> tuple[float, float]:
    randoms = sorted(
        alloc.score(alloc.random_split(people, n_sets, seed), people) for seed in range(5)
    )
    return randoms[len(randoms) // 2], alloc.score(alloc.greedy_split(people, n_sets), people)


def _save(cohort_id: int, allocation: alloc.Allocation) -> None:
    session[_key(cohort_id)] = {
        "sets": [list(members) for members in allocation.sets],
        "pinned": {str(k): v for k, v in allocation.pinned.items()},
    }


def current_proposal(cohort_id: int) -> Proposal | None:
    """The proposal in progress, if it still matches the cohort's learners."""
    stored = session.get(_key(cohort_id))
    if not stored:
        return None
    people = cohort_people(cohort_id)
    ids = sorted(p.id for p in people)
    sets = tuple(tuple(members) for members in stored["sets"])
    if sorted(i for members in sets for i in members) != ids:
        session.pop(_key(cohort_id), None)  # someone joined or left: start again
        return None
    pinned = {int(k): v for k, v in stored["pinned"].items()}
    allocation = alloc.Allocation(sets, alloc.score(sets, people), tuple(people), 5, 8, pinned)
    return Proposal(allocation, *_baselines(people, len(sets)))


def propose(cohort_id: int) -> Proposal:
    """A new proposal, keeping anyone the manager pinned. ValueError says what to change."""
    people = cohort_people(cohort_id)
    previous = current_proposal(cohort_id)
    pinned = dict(previous.allocation.pinned) if previous else {}
    allocation = alloc.allocate(people, pinned=pinned, seed=len(pinned))
    _save(cohort_id, allocation)
    return Proposal(allocation, *_baselines(people, len(allocation.sets)))


def move(cohort_id: int, person_id: int, to_set: int) -> Proposal:
    proposal = current_proposal(cohort_id)
    if proposal is None:
        raise ValueError("There is no proposal to change. Propose sets first.")
    allocation = alloc.move(proposal.allocation, person_id, to_set)
    allocation = alloc.Allocation(
        allocation.sets,
        allocation.score,
        allocation.people,
        allocation.set_size_min,
        allocation.set_size_max,
        {**allocation.pinned, person_id: to_set},
    )
    _save(cohort_id, allocation)
    return Proposal(allocation, proposal.score_random, proposal.score_greedy)


@uow.transactional
def confirm(cohort_id: int, *, actor: audit.Ref) -> int:
    """Replace the cohort's sets with the proposal (one transaction). Returns the number of sets."""
    proposal = current_proposal(cohort_id)
    if proposal is None:
        raise ValueError("There is no proposal to confirm. Propose sets first.")
    db.session.execute(delete(LearningSetMember).where(LearningSetMember.cohort_id == cohort_id))
    replaced = db.session.execute(delete(LearningSet).where(LearningSet.cohort_id == cohort_id))
    sets, people = proposal.allocation.sets, sum(len(m) for m in proposal.allocation.sets)
    audit.record(
        audit.Action.SETS_CONFIRMED,
        actor=actor,
        cohort=cohort_id,
        detail=f"{len(sets)} sets, {people} people; {rowcount(replaced)} sets replaced",
    )
    for number, members in enumerate(proposal.allocation.sets, start=1):
        learning_set = LearningSet(cohort_id=cohort_id, name=f"Set {number}")
        db.session.add(learning_set)
        db.session.flush()
        for user_id in members:
            db.session.add(
                LearningSetMember(cohort_id=cohort_id, set_id=learning_set.id, user_id=user_id)
            )
    session.pop(_key(cohort_id), None)
    return len(proposal.allocation.sets)


@dataclass(frozen=True)
class ConfirmedSet:
    name: str
    members: list[Person]
    mix: alloc.SetMix


def confirmed(cohort_id: int) -> list[ConfirmedSet]:
    people = {p.id: p for p in cohort_people(cohort_id)}
    rows = db.session.execute(
        select(LearningSet.name, LearningSetMember.user_id)
        .join(LearningSetMember, LearningSetMember.set_id == LearningSet.id)
        .where(LearningSet.cohort_id == cohort_id)
        .order_by(LearningSet.id)
    ).all()
    grouped: dict[str, list[int]] = {}
    for name, user_id in rows:
        if user_id in people:
            grouped.setdefault(name, []).append(user_id)
    return [
        ConfirmedSet(name, [people[i] for i in ids], alloc.explain(ids, people.values()))
        for name, ids in grouped.items()
    ]
