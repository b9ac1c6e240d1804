"""A cohort on the sample course, and a learner who has completed it (through learning's service)."""

from __future__ import annotations

import pytest

from leaders.auth.models import Role
from leaders.catalogue.store import get_catalogue
from leaders.extensions import db
from leaders.learning import services as learning
from leaders.learning.models import QuizAttempt
from tests.factories import enrol, make_cohort, make_user

COURSE = "sample-course"


def pass_quizzes(user_id: int, percent: int = 100) -> None:
    for lesson in get_catalogue().lessons_in(COURSE):
        for quiz in lesson.quizzes:
            total = len(quiz.questions)
            score = round(total * percent / 100)
            db.session.add(
                QuizAttempt(
                    user_id=user_id,
                    quiz_key=quiz.key,
                    quiz_version=quiz.version,
                    answers=[],
                    score=score,
                    total=total,
                    passed=None
                    if quiz.pass_mark is None
                    else 100 * score >= quiz.pass_mark * total,
                )
            )
    db.session.commit()


def complete_course(user_id: int, *, skip_last: bool = False) -> None:
    lessons = get_catalogue().lessons_in(COURSE)
    for lesson in lessons[:-1] if skip_last else lessons:
        learning.complete_lesson(user_id, lesson)


@pytest.fixture
def cohort(app):
    return make_cohort(COURSE, name="Sample 2026")


@pytest.fixture
def learner(cohort):
    user = make_user(name="Ann Learner", email="ann@example.org")
    enrol(cohort, user)
    return user


@pytest.fixture
def admin(app):
    return make_user(name="Ada Admin", role=Role.ADMIN)


@pytest.fixture
def graduate(learner):
    """Ann, who has passed the knowledge checks and completed every lesson (so was issued one)."""
    pass_quizzes(learner.id)
    complete_course(learner.id)
    return learner
