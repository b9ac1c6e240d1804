"""Which cohorts a viewer may put in a report: to compare with, or across a course."""

from __future__ import annotations

from sqlalchemy import exists, select

from leaders.auth import rules
from leaders.auth.models import UserLike
from leaders.cohorts.models import Cohort, CohortMember, CohortRole
from leaders.extensions import db

#: The cohort roles whose holders get a report (an organisation lead's is restricted).
REPORT_ROLES = (CohortRole.PROGRAMME_MANAGER.value, CohortRole.ORGANISATION_LEAD.value)


def of_course(course_key: str) -> list[Cohort]:
    return list(
        db.session.execute(
            select(Cohort)
            .where(Cohort.course_key == course_key)
            .order_by(Cohort.starts_on, Cohort.id)
        ).scalars()
    )


def _with_role(user: UserLike, course_key: str, roles: tuple[str, ...]) -> list[Cohort]:
    if rules.can_administer(user):
        return of_course(course_key)
    member = exists().where(
        CohortMember.cohort_id == Cohort.id,
        CohortMember.user_id == user.id,
        CohortMember.role.in_(roles),
    )
    return list(
        db.session.execute(
            select(Cohort)
            .where(Cohort.course_key == course_key, member)
            .order_by(Cohort.starts_on, Cohort.id)
        ).scalars()
    )


def comparable(user: UserLike, course_key: str, cohort_id: int | None) -> list[Cohort]:
    """The other cohorts of the course whose report the viewer may see."""
    return [c for c in _with_role(user, course_key, REPORT_ROLES) if c.id != cohort_id]


def managed(user: UserLike, course_key: str) -> list[Cohort]:
    """The course's cohorts in a course report: those the viewer manages (admins: every one)."""
    return _with_role(user, course_key, (CohortRole.PROGRAMME_MANAGER.value,))
