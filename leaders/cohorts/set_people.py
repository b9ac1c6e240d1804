"""Who is in a confirmed learning set, and who runs it: the one rule every page that shows a set
reads (the learner's home, their set's page, the facilitator's sets).

A member is a learner of the set's cohort whose account is open; a facilitator is named on the
set, still facilitates its cohort, and has an open account. Anyone else is left out, not shown
with a note: a removed or erased person is no longer in the set as its people see it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import aliased

from leaders.auth.models import User
from leaders.cohorts.models import Cohort, CohortMember, CohortRole, LearningSet, LearningSetMember
from leaders.extensions import db
from leaders.organisations.models import Organisation


@dataclass(frozen=True)
class Member:
    id: int
    name: str
    organisation: str | None
    job_title: str


def members_of(set_ids: Iterable[int]) -> dict[int, list[Member]]:
    """Each set's members, by name (one query)."""
    ids = list(set_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(LearningSetMember.set_id, User.id, User.name, Organisation.name, User.job_title)
        .join(User, User.id == LearningSetMember.user_id)
        .join(
            CohortMember,
            (CohortMember.user_id == User.id)
            & (CohortMember.cohort_id == LearningSetMember.cohort_id),
        )
        .outerjoin(Organisation, Organisation.id == User.organisation_id)
        .where(
            LearningSetMember.set_id.in_(ids),
            CohortMember.role == CohortRole.LEARNER.value,
            User.active.is_(True),
        )
        .order_by(func.lower(User.name), User.id)
    ).all()
    grouped: dict[int, list[Member]] = {}
    for set_id, user_id, name, organisation, job_title in rows:
        grouped.setdefault(set_id, []).append(Member(user_id, name, organisation, job_title or ""))
    return grouped


def sets_query() -> Select:
    """Sets with their cohort's name and their facilitator (id, name, organisation, job title:
    all None when no one who may run it is named). Callers add the WHERE and ORDER BY."""
    facilitator = aliased(User)
    facilitator_org = aliased(Organisation)
    # A facilitator who has left the cohort, or whose account is closed, no longer runs its sets.
    still_there = aliased(CohortMember)
    return (
        select(
            LearningSet.id,
            LearningSet.name,
            LearningSet.cohort_id,
            Cohort.name.label("cohort_name"),
            facilitator.id.label("facilitator_id"),
            facilitator.name.label("facilitator_name"),
            facilitator_org.name.label("facilitator_org"),
            facilitator.job_title.label("facilitator_job"),
        )
        .join(Cohort, Cohort.id == LearningSet.cohort_id)
        .outerjoin(
            still_there,
            (still_there.cohort_id == LearningSet.cohort_id)
            & (still_there.user_id == LearningSet.facilitator_id)
            & (still_there.role == CohortRole.FACILITATOR.value),
        )
        .outerjoin(
            facilitator, (facilitator.id == still_there.user_id) & facilitator.active.is_(True)
        )
        .outerjoin(facilitator_org, facilitator_org.id == facilitator.organisation_id)
    )


def sets_of_learner(user_id: int, cohort_id: int | None = None) -> Select:
    """`sets_query` narrowed to the sets this person is a learner in (in one cohort if given),
    newest cohort first."""
    query = (
        sets_query()
        .join(LearningSetMember, LearningSetMember.set_id == LearningSet.id)
        .join(
            CohortMember,
            (CohortMember.cohort_id == LearningSet.cohort_id)
            & (CohortMember.user_id == LearningSetMember.user_id),
        )
        .where(LearningSetMember.user_id == user_id, CohortMember.role == CohortRole.LEARNER.value)
        .order_by(Cohort.starts_on.desc(), LearningSet.id)
    )
    return query if cohort_id is None else query.where(LearningSet.cohort_id == cohort_id)
