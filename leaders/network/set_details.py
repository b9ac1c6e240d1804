"""A learning set's name and facilitator: the rules, written once for drafts and confirmed sets.

A name is needed, fits the column, and no other set of the cohort has it (case aside); a
facilitator must be a facilitator of the cohort (a forged id, a learner or another cohort's
facilitator is refused).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select

from leaders import audit, uow
from leaders.auth.models import User
from leaders.cohorts.models import CohortMember, CohortRole, LearningSet
from leaders.extensions import db

#: The longest set name (the column's size).
NAME_MAX = 100


def names_of(*user_ids: int | None) -> dict[int, str]:
    ids = {i for i in user_ids if i is not None}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())


def facilitator_ids(cohort_id: int) -> set[int]:
    """The cohort's facilitators: the only people who may run one of its sets."""
    return set(
        db.session.execute(
            select(CohortMember.user_id).where(
                CohortMember.cohort_id == cohort_id,
                CohortMember.role == CohortRole.FACILITATOR.value,
            )
        ).scalars()
    )


def facilitator_choices(cohort_id: int) -> list[tuple[int, str]]:
    return list(
        db.session.execute(
            select(User.id, User.name)
            .join(CohortMember, CohortMember.user_id == User.id)
            .where(
                CohortMember.cohort_id == cohort_id,
                CohortMember.role == CohortRole.FACILITATOR.value,
            )
            .order_by(func.lower(User.name))
        ).all()
    )


def check_details(
    cohort_id: int, details: list[tuple[str, int | None]], *, taken: Iterable[str] = ()
) -> list[str | None]:
    """Each set's problem (or None): a name that is empty, too long or used twice, or a
    facilitator who is not a facilitator of this cohort. ``taken``: names other sets keep."""
    allowed = facilitator_ids(cohort_id)
    seen = {name.casefold() for name in taken}
    problems: list[str | None] = []
    for name, facilitator in details:
        name = name.strip()
        if not name:
            problems.append("Enter a name for the set")
        elif len(name) > NAME_MAX:
            problems.append(f"Set name must be {NAME_MAX} characters or fewer")
        elif name.casefold() in seen:
            problems.append(f"Another set in this cohort is called {name}: choose another name")
        elif facilitator is not None and facilitator not in allowed:
            problems.append("Choose a facilitator of this cohort")
        else:
            problems.append(None)
        seen.add(name.casefold())
    return problems


@uow.transactional
def edit_set(
    cohort_id: int, set_id: int, name: str, facilitator: int | None, *, actor: int
) -> None:
    """Rename a confirmed set and choose its facilitator. ValueError (nothing changes) if wrong."""
    learning_set = db.session.get(LearningSet, set_id)
    if learning_set is None or learning_set.cohort_id != cohort_id:
        raise ValueError("That set is not in this cohort.")
    others = set(
        db.session.execute(
            select(LearningSet.name).where(
                LearningSet.cohort_id == cohort_id, LearningSet.id != set_id
            )
        ).scalars()
    )
    problem = check_details(cohort_id, [(name, facilitator)], taken=others)[0]
    if problem:
        raise ValueError(problem)
    changes = []
    if learning_set.name != name.strip():
        changes.append(f"renamed {learning_set.name} to {name.strip()}")
    if learning_set.facilitator_id != facilitator:
        who = names_of(facilitator).get(facilitator) if facilitator else None
        changes.append(f"facilitator: {who or 'none'}")
    if not changes:
        return
    learning_set.name, learning_set.facilitator_id = name.strip(), facilitator
    audit.record(
        audit.Action.SET_CHANGED,
        actor=actor,
        cohort=cohort_id,
        subject=facilitator,
        detail=f"{learning_set.name}: " + "; ".join(changes),
    )
