""" "Is this module open for this learner" is one SQL expression (cohorts.access.module_open):
the course access check and the lesson-view upsert give the same answer, case by case."""

from datetime import date, timedelta

import pytest

from leaders.catalogue.store import get_catalogue
from leaders.cohorts.access import course_access
from leaders.cohorts.models import CohortModule
from leaders.extensions import db
from leaders.learning import services
from leaders.timeutil import uk_today
from tests.factories import enrol, make_cohort, make_user


def _schedule(cohort, module_key: str, opens_on: date | None) -> None:
    db.session.add(CohortModule(cohort_id=cohort.id, module_key=module_key, opens_on=opens_on))
    db.session.commit()


def _both_answers(user, lesson) -> tuple[bool, bool]:
    by_check = course_access(user, lesson.course_key).is_open(lesson.module_key)
    try:
        services.record_view(user.id, lesson, gated=True)
        by_upsert = True
    except services.NotOpen:
        by_upsert = False
    db.session.rollback()
    return by_check, by_upsert


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
def test_the_check_and_the_upsert_agree(app, cohorts, role, expected):
    lesson = get_catalogue().lessons_in("sample-course")[0]
    user = make_user()
    opens = {TODAY: uk_today(), TOMORROW: uk_today() + timedelta(days=1), UNSET: None}
    for when in cohorts:
        cohort = make_cohort()
        enrol(cohort, user, role=role)
        if when != NO_ROW:
            _schedule(cohort, lesson.module_key, opens[when])
    assert _both_answers(user, lesson) == (expected, expected)
