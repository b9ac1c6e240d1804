""" "Is this module open for this learner" is one SQL expression (cohorts.access.module_open):
the course access check, the lesson-view upsert (a first view) and the lesson-view read (a repeat
view, which writes nothing) give the same answer, case by case."""

from datetime import date, timedelta

import pytest

from leaders.catalogue.store import get_catalogue
from leaders.cohorts.access import course_access
from leaders.cohorts.models import CohortModule
from leaders.extensions import db
from leaders.learning import services
from leaders.learning.models import LessonProgress
from leaders.timeutil import uk_today, utcnow
from tests.factories import enrol, make_cohort, make_user


def _schedule(cohort, module_key: str, opens_on: date | None) -> None:
    db.session.add(CohortModule(cohort_id=cohort.id, module_key=module_key, opens_on=opens_on))
    db.session.commit()


def _both_answers(user, lesson) -> tuple[bool, bool]:
    by_check = course_access(user, lesson.course_key).is_open(lesson.module_key)
    try:
        services.record_view(user.id, lesson, gated=True)
        by_view = True
    except services.NotOpen:
        by_view = False
    db.session.rollback()
    return by_check, by_view


TODAY = "today"
TOMORROW = "tomorrow"
UNSET = "no opening date"
NO_ROW = "not in the schedule"


@pytest.mark.parametrize(
    ("cohorts", "role", "expected"),
    [
        ([TODAY], "learner", True),
        ([TOMORROW], "learner", False),
        ([UNSET], "learner", True),
        ([NO_ROW], "learner", True),
        ([TOMORROW, TODAY], "learner", True),
        ([TOMORROW, TOMORROW], "learner", False),
        ([TOMORROW], "facilitator", True),
        ([], "learner", False),
    ],
)
@pytest.mark.parametrize("viewed_before", [False, True], ids=["first view", "repeat view"])
def test_the_check_and_the_view_agree(app, cohorts, role, expected, viewed_before):
    lesson = get_catalogue().lessons_in("sample-course")[0]
    user = make_user()
    opens = {TODAY: uk_today(), TOMORROW: uk_today() + timedelta(days=1), UNSET: None}
    for when in cohorts:
        cohort = make_cohort()
        enrol(cohort, user, role=role)
        if when != NO_ROW:
            _schedule(cohort, lesson.module_key, opens[when])
    if viewed_before:  # a view a moment ago: this one is decided by the read, not the upsert
        db.session.add(
            LessonProgress(user_id=user.id, lesson_key=lesson.key, last_viewed_at=utcnow())
        )
        db.session.commit()
    assert _both_answers(user, lesson) == (expected, expected)
