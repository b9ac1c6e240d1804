"""Issue the certificate when a learner completes the course (leaders.signals.course_completed).

The signal comes after the completion is committed; issuing opens its own unit of work. A learner
who has not met the rest of the rule yet (a knowledge check, attendance) gets nothing now: the
``flask credentials award-earned`` command (or a later completion) checks again.
"""

from __future__ import annotations

import logging
from typing import Any

from leaders import signals, uow
from leaders.credentials import services

log = logging.getLogger(__name__)


@signals.course_completed.connect
def on_course_completed(sender: Any, *, user_id: int, course_key: str, **_: Any) -> None:
    result = services.outcome(user_id, course_key)
    if not result.earned:
        log.info(
            "Course %s completed by user %s; certificate not earned: %s",
            course_key,
            user_id,
            "; ".join(result.unmet),
        )
        return
    try:
        with uow.transaction():
            services.issue(user_id, course_key)
    except Exception:  # the learner's completion is committed; issuing again is a command away
        log.exception("Could not issue the %s certificate to user %s", course_key, user_id)


def award_earned(course_key: str) -> list[str]:
    """Recompute for every learner in a cohort on the course; issue to those who earned it."""
    from sqlalchemy import select

    from leaders.cohorts.models import Cohort, CohortMember, CohortRole
    from leaders.extensions import db

    learners = db.session.scalars(
        select(CohortMember.user_id)
        .join(Cohort, Cohort.id == CohortMember.cohort_id)
        .where(Cohort.course_key == course_key, CohortMember.role == CohortRole.LEARNER.value)
        .distinct()
    ).all()
    issued = []
    for user_id in learners:
        if (
            services.current(user_id, course_key) is None
            and services.outcome(user_id, course_key).earned
        ):
            with uow.transaction():
                issued.append(services.issue(user_id, course_key).id)
    return issued
