"""A lesson view writes only when it is news (progress.record_view).

A first view writes; so does a view after another lesson (so "continue where you left off" follows
every move) and a view more than VIEW_RESOLUTION after the last. Re-reading the lesson the learner
is on reads their row and writes nothing. Gated views refuse a closed module either way.
"""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from leaders.catalogue.store import get_catalogue
from leaders.cohorts.models import CohortModule
from leaders.extensions import db
from leaders.learning import services
from leaders.learning.models import LessonProgress
from leaders.learning.overview import continue_lesson
from leaders.learning.progress import VIEW_RESOLUTION, Progress, lesson_states
from leaders.timeutil import as_utc, uk_today, utcnow
from tests.factories import enrol, make_cohort, make_user

COURSE = "sample-course"


@pytest.fixture
def lessons(app):
    return get_catalogue().lessons_in(COURSE)


@pytest.fixture
def cohort(app):
    return make_cohort(COURSE)


@pytest.fixture
def learner(cohort):
    user = make_user()
    enrol(cohort, user)
    return user


def _row(user, lesson) -> LessonProgress:
    db.session.expire_all()
    return db.session.scalars(
        select(LessonProgress).where(
            LessonProgress.user_id == user.id, LessonProgress.lesson_key == lesson.key
        )
    ).one()


def _view(user, lesson, gated=True):
    state = services.record_view(user.id, lesson, gated=gated)
    db.session.commit()
    return state


def _set_last_viewed(user, lesson, ago: timedelta) -> None:
    when = utcnow() - ago
    db.session.execute(
        update(LessonProgress)
        .where(LessonProgress.user_id == user.id, LessonProgress.lesson_key == lesson.key)
        .values(last_viewed_at=when, first_viewed_at=when - timedelta(days=1))
    )
    db.session.commit()


def _writes(statements) -> list[str]:
    return [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE"))]


def test_a_first_view_writes_the_row(learner, lessons, count_queries):
    with count_queries() as queries:
        state = _view(learner, lessons[0])
    assert len(_writes(queries.statements)) == 1
    row = _row(learner, lessons[0])
    assert as_utc(row.first_viewed_at) == as_utc(row.last_viewed_at) == state.last_viewed_at


def test_re_reading_the_lesson_you_are_on_writes_nothing(learner, lessons, count_queries):
    _view(learner, lessons[0])
    _set_last_viewed(learner, lessons[0], VIEW_RESOLUTION / 2)
    before = _row(learner, lessons[0]).last_viewed_at
    with count_queries() as queries:
        state = _view(learner, lessons[0])
    assert _writes(queries.statements) == []
    assert len(queries) == 1  # the read, which also checked the module is open
    assert _row(learner, lessons[0]).last_viewed_at == before
    assert state.last_viewed_at == as_utc(before)
    assert state.first_viewed_at is not None


def test_a_view_after_the_resolution_moves_last_viewed_and_keeps_first(learner, lessons):
    _view(learner, lessons[0])
    _set_last_viewed(learner, lessons[0], VIEW_RESOLUTION + timedelta(seconds=5))
    first = as_utc(_row(learner, lessons[0]).first_viewed_at)
    started = utcnow()
    _view(learner, lessons[0])
    row = _row(learner, lessons[0])
    assert as_utc(row.last_viewed_at) >= started
    assert as_utc(row.first_viewed_at) == first


def test_going_back_to_a_lesson_writes_so_continue_follows_you(learner, lessons):
    first, second = lessons[0], lessons[1]
    _view(learner, first)
    _view(learner, second)
    _set_last_viewed(learner, first, timedelta(seconds=60))
    _set_last_viewed(learner, second, timedelta(seconds=30))
    _view(learner, first)  # well inside the resolution, but the learner moved in between

    assert _row(learner, first).last_viewed_at > _row(learner, second).last_viewed_at
    course = get_catalogue().courses[COURSE]
    progress = Progress(course.lessons, lesson_states(learner.id, get_catalogue(), f"{COURSE}/"))
    assert continue_lesson(course, progress) == first


def test_a_closed_module_refuses_a_learner_who_viewed_it_before(cohort, learner, lessons):
    lesson = lessons[0]
    _view(learner, lesson)
    _set_last_viewed(learner, lesson, timedelta(seconds=10))  # a view that would write nothing
    before = _row(learner, lesson).last_viewed_at
    db.session.add(
        CohortModule(
            cohort_id=cohort.id,
            module_key=lesson.module_key,
            opens_on=uk_today() + timedelta(days=1),
        )
    )
    db.session.commit()

    with pytest.raises(services.NotOpen):
        services.record_view(learner.id, lesson, gated=True)
    db.session.rollback()
    assert _row(learner, lesson).last_viewed_at == before

    # Staff previewing (ungated) still see it, and a stale view still writes for them.
    _set_last_viewed(learner, lesson, VIEW_RESOLUTION * 2)
    _view(learner, lesson, gated=False)
    assert as_utc(_row(learner, lesson).last_viewed_at) > utcnow() - timedelta(minutes=1)
