"""All the cohorts of one course side by side, for a programme manager (issue 14 point 11).

Which cohorts: an admin sees every cohort of the course; anyone else the cohorts where they are a
programme manager or facilitator (the roles that see every learner; an organisation lead's view of
a cohort is their own staff, so it is not a cohort's figure and is left out).

The figures per cohort are the dashboard's, over every learner on the programme: learners,
lessons completed, attendance at the sessions held so far (present marks over learners times sessions
held), learners at risk, and the network's new cross-sector ties between the first and the latest
survey wave, from reported ties only (survey answers; leaders.network.metrics.compare), so a
cohort with fewer than two waves has no figure yet.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from leaders.auth import rules
from leaders.auth.models import UserLike
from leaders.catalogue.model import Catalogue
from leaders.cohorts.access import CohortAccess
from leaders.cohorts.models import Cohort, CohortMember, CohortRole
from leaders.extensions import db
from leaders.network import services as network
from leaders.network.cohort_network import membership
from leaders.network.metrics import compare
from leaders.oversight import dashboard
from leaders.tables import DESCENDING, Page, TableState, sort_rows

#: The cohort roles whose dashboard shows every learner.
SEES_EVERYONE = (CohortRole.PROGRAMME_MANAGER.value, CohortRole.FACILITATOR.value)


@dataclass(frozen=True)
class CohortFigures:
    cohort: Cohort
    learners: int
    completion_percent: int
    #: None before any session has been held.
    attendance_percent: int | None
    at_risk: int
    #: None until the cohort has two survey waves to compare.
    new_cross_sector_ties: int | None
    #: "baseline to end": the waves compared, or "" when there are not two.
    waves_compared: str


SORTS = {
    "cohort": lambda f: f.cohort.name,
    "starts": lambda f: f.cohort.starts_on,
    "learners": lambda f: f.learners,
    "completion": lambda f: f.completion_percent,
    "attendance": lambda f: f.attendance_percent,
    "at-risk": lambda f: f.at_risk,
    "ties": lambda f: f.new_cross_sector_ties,
}


def visible(user: UserLike, course_key: str) -> list[CohortAccess]:
    """The course's cohorts this person may compare, each with their access to it (one query)."""
    is_admin = rules.can_administer(user)
    query = (
        select(Cohort, CohortMember.role)
        .outerjoin(
            CohortMember,
            (CohortMember.cohort_id == Cohort.id) & (CohortMember.user_id == user.id),
        )
        .where(Cohort.course_key == course_key)
        .order_by(Cohort.starts_on.desc(), Cohort.id.desc())
    )
    if not is_admin:
        query = query.where(CohortMember.role.in_(SEES_EVERYONE))
    return [
        CohortAccess(cohort, CohortRole(role) if role else None, is_admin)
        for cohort, role in db.session.execute(query).all()
    ]


def _ties(cohort_id: int) -> tuple[int | None, str]:
    waves = network.waves(cohort_id)
    if len(waves) < 2:
        return None, ""
    people, _not_joined = membership(cohort_id)
    first, last = waves[0], waves[-1]
    change = compare(network.wave_ties(first), network.wave_ties(last), people)
    return change.new_cross_sector_ties, f"{first.name} to {last.name}"


def figures(access: CohortAccess, catalogue: Catalogue) -> CohortFigures:
    board = dashboard.build(access, catalogue)
    rows = board.learners
    possible = board.sessions_held * len(rows)
    attended = sum(r.attended for r in rows)
    ties, compared = _ties(access.cohort.id)
    return CohortFigures(
        access.cohort,
        len(rows),
        board.completion_percent,
        round(100 * attended / possible) if possible else None,
        len(board.at_risk),
        ties,
        compared,
    )


def table(
    user: UserLike,
    course_key: str,
    catalogue: Catalogue,
    args: MultiDict[str, str] | Mapping[str, Any],
) -> Page[CohortFigures]:
    """Every cohort's figures, sorted as the address asks (newest first by default)."""
    state = TableState.read(args, sorts=SORTS, default_sort="starts", default_direction=DESCENDING)
    rows = [figures(access, catalogue) for access in visible(user, course_key)]
    return state.paged(sort_rows(rows, state, SORTS))
