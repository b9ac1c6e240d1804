"""Action learning sets for a cohort: propose a mixed split, adjust it, name it, confirm it.

A proposal is a saved draft (`SetDraft`, one per cohort): it survives signing out, and every
manager of the cohort sees and changes the same one, with who proposed it and who changed it last.
Each change is audited and raises the draft's version; a form carries the version its page showed,
and a change sent from a page a colleague has overtaken is refused (`StaleDraft`), not applied.
Confirming replaces the cohort's sets in one transaction. Membership of a set is also a tie in the
network, a layer made by the programme that never enters the reported figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from leaders import audit, uow
from leaders.cohorts.models import Attendance, CohortSession, LearningSet, LearningSetMember
from leaders.extensions import db, rowcount
from leaders.network import allocation as alloc
from leaders.network.graph import Person
from leaders.network.models import SetDraft
from leaders.network.services import cohort_people
from leaders.network.set_details import check_details, names_of
from leaders.timeutil import utcnow


class StaleDraft(ValueError):
    """The change was made on a page showing an older draft (or none): nothing is changed."""

    def __init__(self) -> None:
        super().__init__(
            "Someone changed this proposal after you opened the page, so your change was not "
            "made. The page now shows the proposal as it is: check it and try again."
        )


@dataclass(frozen=True)
class Proposal:
    allocation: alloc.Allocation
    score_random: float
    score_greedy: float
    #: Each set's name and facilitator (a user id, or None), in the order of allocation.sets.
    names: tuple[str, ...] = ()
    facilitators: tuple[int | None, ...] = ()
    version: int = 0
    proposed_by: str | None = None
    proposed_at: datetime | None = None
    changed_by: str | None = None
    changed_at: datetime | None = None

    @property
    def people(self) -> dict[int, Person]:
        return {p.id: p for p in self.allocation.people}


def _default_name(index: int) -> str:
    return f"Set {index + 1}"


def _plan(allocation: alloc.Allocation, names: list[str], facilitators: list[int | None]) -> dict:
    n = len(allocation.sets)
    return {
        "sets": [list(members) for members in allocation.sets],
        "pinned": {str(k): v for k, v in allocation.pinned.items()},
        "names": [names[i] if i < len(names) else _default_name(i) for i in range(n)],
        "facilitators": [facilitators[i] if i < len(facilitators) else None for i in range(n)],
    }


def _draft(cohort_id: int) -> SetDraft | None:
    return db.session.execute(
        select(SetDraft).where(SetDraft.cohort_id == cohort_id)
    ).scalar_one_or_none()


def _baselines(people: list[Person], n_sets: int) -> tuple[float, float]:
    randoms = sorted(
        alloc.score(alloc.random_split(people, n_sets, seed), people) for seed in range(5)
    )
    return randoms[len(randoms) // 2], alloc.score(alloc.greedy_split(people, n_sets), people)


def _matches(draft: SetDraft, people: list[Person]) -> bool:
    members = sorted(i for members in draft.plan["sets"] for i in members)
    return members == sorted(p.id for p in people)


def draft_version(cohort_id: int) -> int:
    """The saved draft's version, 0 if there is none: what the page's forms carry."""
    version = db.session.execute(
        select(SetDraft.version).where(SetDraft.cohort_id == cohort_id)
    ).scalar_one_or_none()
    return version or 0


def is_stale(cohort_id: int) -> bool:
    """A draft is saved but no longer fits the cohort's learners (someone joined or left)."""
    draft = _draft(cohort_id)
    return draft is not None and not _matches(draft, cohort_people(cohort_id))


def current_proposal(cohort_id: int) -> Proposal | None:
    """The saved draft, if there is one and it still matches the cohort's learners."""
    draft = _draft(cohort_id)
    if draft is None:
        return None
    people = cohort_people(cohort_id)
    if not _matches(draft, people):
        return None  # the page says so (is_stale); proposing again replaces it
    plan = draft.plan
    sets = tuple(tuple(members) for members in plan["sets"])
    pinned = {int(k): v for k, v in plan["pinned"].items()}
    allocation = alloc.Allocation(sets, alloc.score(sets, people), tuple(people), 5, 8, pinned)
    names = names_of(draft.created_by, draft.updated_by)
    return Proposal(
        allocation,
        *_baselines(people, len(sets)),
        names=tuple(plan["names"]),
        facilitators=tuple(plan["facilitators"]),
        version=draft.version,
        proposed_by=names.get(draft.created_by) if draft.created_by else None,
        proposed_at=draft.created_at,
        changed_by=names.get(draft.updated_by) if draft.updated_by else None,
        changed_at=draft.updated_at,
    )


def _save(cohort_id: int, plan: dict, *, version: int, actor: int, new: bool) -> None:
    """Store the plan if the draft is still at ``version`` (0: there was none); else StaleDraft."""
    now = utcnow()
    if new:
        if version != 0:
            raise StaleDraft()
        try:
            with db.session.begin_nested():  # two first proposals at once: one wins
                db.session.add(
                    SetDraft(
                        cohort_id=cohort_id,
                        plan=plan,
                        version=1,
                        created_by=actor,
                        created_at=now,
                        updated_by=actor,
                        updated_at=now,
                    )
                )
        except IntegrityError:
            raise StaleDraft() from None
        return
    changed = db.session.execute(
        update(SetDraft)
        .where(SetDraft.cohort_id == cohort_id, SetDraft.version == version)
        .values(plan=plan, version=SetDraft.version + 1, updated_by=actor, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if rowcount(changed) != 1:
        raise StaleDraft()
    db.session.expire_all()


@uow.transactional
def propose(cohort_id: int, *, version: int, actor: int) -> Proposal:
    """A new proposal, keeping anyone pinned and each set's name and facilitator.

    ValueError says what to change (too few people); StaleDraft if the page was overtaken.
    """
    people = cohort_people(cohort_id)
    draft = _draft(cohort_id)
    fits = draft is not None and _matches(draft, people)
    plan = draft.plan if draft is not None and fits else None
    if draft is not None and draft.version != version:
        raise StaleDraft()
    pinned = {int(k): v for k, v in plan["pinned"].items()} if plan else {}
    allocation = alloc.allocate(people, pinned=pinned, seed=len(pinned) + (version or 0))
    new_plan = _plan(
        allocation,
        list(plan["names"]) if plan else [],
        list(plan["facilitators"]) if plan else [],
    )
    _save(cohort_id, new_plan, version=version, actor=actor, new=draft is None)
    audit.record(
        audit.Action.SETS_PROPOSED,
        actor=actor,
        cohort=cohort_id,
        detail=f"{len(allocation.sets)} sets, {len(people)} people"
        + ("" if fits or draft is None else "; the old draft no longer fitted the cohort"),
    )
    proposal = current_proposal(cohort_id)
    assert proposal is not None
    return proposal


def _editable(cohort_id: int, version: int) -> Proposal:
    proposal = current_proposal(cohort_id)
    if proposal is None:
        if is_stale(cohort_id):
            raise ValueError(
                "The saved proposal no longer fits the cohort: someone joined or left. "
                "Propose again."
            )
        raise ValueError("There is no proposal to change. Propose sets first.")
    if proposal.version != version:
        raise StaleDraft()
    return proposal


@uow.transactional
def move(cohort_id: int, person_id: int, to_set: int, *, version: int, actor: int) -> None:
    """Move someone to another set of the draft and pin them there. ValueError if impossible."""
    proposal = _editable(cohort_id, version)
    allocation = alloc.move(proposal.allocation, person_id, to_set)
    pinned = {**allocation.pinned, person_id: to_set}
    allocation = alloc.Allocation(
        allocation.sets,
        allocation.score,
        allocation.people,
        allocation.set_size_min,
        allocation.set_size_max,
        pinned,
    )
    plan = _plan(allocation, list(proposal.names), list(proposal.facilitators))
    _save(cohort_id, plan, version=version, actor=actor, new=False)
    audit.record(
        audit.Action.SETS_DRAFT_CHANGED,
        actor=actor,
        cohort=cohort_id,
        subject=person_id,
        detail=f"moved to {plan['names'][to_set]}",
    )


@uow.transactional
def name_sets(
    cohort_id: int, details: list[tuple[str, int | None]], *, version: int, actor: int
) -> None:
    """Set each draft set's name and facilitator. ValueError (nothing changes) if one is wrong."""
    proposal = _editable(cohort_id, version)
    if len(details) != len(proposal.allocation.sets):
        raise StaleDraft()
    problem = next((p for p in check_details(cohort_id, details) if p), None)
    if problem:
        raise ValueError(problem)
    names = [name.strip() for name, _ in details]
    plan = _plan(proposal.allocation, names, [f for _, f in details])
    _save(cohort_id, plan, version=version, actor=actor, new=False)
    audit.record(
        audit.Action.SETS_DRAFT_CHANGED,
        actor=actor,
        cohort=cohort_id,
        detail="named the sets: " + ", ".join(names),
    )


@dataclass(frozen=True)
class LostMeeting:
    """A meeting of a set that confirming a smaller proposal deletes, with its register."""

    set_name: str
    title: str
    starts_at: datetime
    marks: int


def meetings_lost(cohort_id: int, sets_in_proposal: int) -> list[LostMeeting]:
    """The meetings `confirm` deletes with the sets beyond the proposal's number (the newest sets,
    as it drops them), each with how many attendance marks its register holds: the confirmation
    page names them before anyone says yes."""
    ids = list(
        db.session.execute(
            select(LearningSet.id)
            .where(LearningSet.cohort_id == cohort_id)
            .order_by(LearningSet.id)
            .offset(sets_in_proposal)
        ).scalars()
    )
    if not ids:
        return []
    marks = (
        select(func.count())
        .where(Attendance.session_id == CohortSession.id)
        .correlate(CohortSession)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(LearningSet.name, CohortSession.title, CohortSession.starts_at, marks)
        .join(CohortSession, CohortSession.set_id == LearningSet.id)
        .where(LearningSet.id.in_(ids))
        .order_by(LearningSet.id, CohortSession.starts_at)
    ).all()
    return [LostMeeting(*row) for row in rows]


@uow.transactional
def confirm(cohort_id: int, *, version: int | None = None, actor: audit.Ref) -> int:
    """Replace the cohort's sets with the draft (one transaction). Returns the number of sets.

    The set rows are kept and refilled where they can be (so anything that points at a set, such
    as its meetings, still does); sets beyond the new number are deleted, with their meetings and
    registers (`meetings_lost` lists them for the confirmation page; the audit entry counts them).
    """
    proposal = current_proposal(cohort_id)
    if proposal is None:
        if is_stale(cohort_id):
            raise ValueError(
                "The saved proposal no longer fits the cohort: someone joined or left. "
                "Propose again, then confirm."
            )
        raise ValueError("There is no proposal to confirm. Propose sets first.")
    if version is not None and proposal.version != version:
        raise StaleDraft()
    details = list(zip(proposal.names, proposal.facilitators, strict=True))
    problem = next((p for p in check_details(cohort_id, details) if p), None)
    if problem:
        raise ValueError(f"{problem}, then confirm.")
    existing = list(
        db.session.execute(
            select(LearningSet).where(LearningSet.cohort_id == cohort_id).order_by(LearningSet.id)
        ).scalars()
    )
    sets = proposal.allocation.sets
    people = sum(len(m) for m in sets)
    lost = meetings_lost(cohort_id, len(sets))
    audit.record(
        audit.Action.SETS_CONFIRMED,
        actor=actor,
        cohort=cohort_id,
        detail=f"{len(sets)} sets, {people} people; {len(existing)} sets replaced"
        + (
            f"; {len(lost)} meetings of the sets removed deleted, with "
            f"{sum(m.marks for m in lost)} attendance marks"
            if lost
            else ""
        ),
    )
    db.session.execute(delete(LearningSetMember).where(LearningSetMember.cohort_id == cohort_id))
    for surplus in existing[len(sets) :]:
        db.session.delete(surplus)
    kept = existing[: len(sets)]
    for row in kept:  # free the names first: the new sets may swap them
        row.name = f"~ being replaced {row.id}"
    db.session.flush()
    for index, members in enumerate(sets):
        name, facilitator = details[index]
        if index < len(kept):
            learning_set = kept[index]
            learning_set.name, learning_set.facilitator_id = name, facilitator
        else:
            learning_set = LearningSet(cohort_id=cohort_id, name=name, facilitator_id=facilitator)
            db.session.add(learning_set)
        db.session.flush()
        for user_id in members:
            db.session.add(
                LearningSetMember(cohort_id=cohort_id, set_id=learning_set.id, user_id=user_id)
            )
    db.session.execute(delete(SetDraft).where(SetDraft.cohort_id == cohort_id))
    return len(sets)


@uow.transactional
def discard(cohort_id: int, *, version: int, actor: int) -> None:
    """Throw the draft away (the confirmed sets stay as they are)."""
    removed = db.session.execute(
        delete(SetDraft).where(SetDraft.cohort_id == cohort_id, SetDraft.version == version)
    )
    if rowcount(removed) != 1:
        raise StaleDraft()
    audit.record(audit.Action.SETS_DRAFT_CHANGED, actor=actor, cohort=cohort_id, detail="discarded")
