"""lesson_completed and course_completed (leaders.signals): once each, and only after the commit."""

from contextlib import contextmanager

import pytest
from sqlalchemy import select

from leaders import signals, uow
from leaders.catalogue.store import get_catalogue
from leaders.extensions import db
from leaders.learning import services
from leaders.learning.models import LessonProgress, QuizAttempt
from tests.helpers import form_token

COURSE = "sample-course"
WELCOME = f"/courses/{COURSE}/first-steps/welcome"


@contextmanager
def listening():
    """Every lesson_completed and course_completed sent in the block, with what each listener saw."""
    heard: list[tuple] = []

    def on_lesson(sender, **payload):
        # Read on a connection of its own: the completion must already be committed.
        with db.engine.connect() as conn:
            committed = conn.execute(
                select(LessonProgress.completed_at).where(
                    LessonProgress.user_id == payload["user_id"],
                    LessonProgress.lesson_key == payload["lesson_key"],
                )
            ).scalar()
        heard.append(("lesson", payload, committed is not None))

    def on_course(sender, **payload):
        heard.append(("course", payload, None))

    signals.lesson_completed.connect(on_lesson)
    signals.course_completed.connect(on_course)
    try:
        yield heard
    finally:
        signals.lesson_completed.disconnect(on_lesson)
        signals.course_completed.disconnect(on_course)


def _pass_the_quiz(user_id, lesson):
    quiz = lesson.quizzes[0]
    db.session.add(
        QuizAttempt(
            user_id=user_id,
            quiz_key=quiz.key,
            quiz_version=quiz.version,
            answers=[],
            score=len(quiz.questions),
            total=len(quiz.questions),
            passed=True,
        )
    )
    db.session.commit()


def test_completing_a_lesson_sends_one_signal_after_the_commit(learner_client, learner, cohort):
    with listening() as heard:
        page = learner_client.get(WELCOME)
        learner_client.post(f"{WELCOME}/complete", data={"csrf_token": form_token(page)})
        page = learner_client.get(WELCOME)
        learner_client.post(f"{WELCOME}/complete", data={"csrf_token": form_token(page)})
    assert heard == [
        (
            "lesson",
            {
                "user_id": learner.id,
                "lesson_key": f"{COURSE}/first-steps/welcome",
                "course_key": COURSE,
                "cohort_id": cohort.id,
            },
            True,
        )
    ]


def test_the_last_lesson_sends_course_completed_once(app, learner):
    lessons = get_catalogue().lessons_in(COURSE)
    assert len(lessons) == 4
    with listening() as heard:
        for lesson in lessons:
            if lesson.quizzes:
                _pass_the_quiz(learner.id, lesson)
            services.complete_lesson(learner.id, lesson)
        services.complete_lesson(learner.id, lessons[-1])  # again: nothing new
        services.complete_lesson(learner.id, lessons[0])
    assert [kind for kind, _, _ in heard] == ["lesson"] * 4 + ["course"]
    assert [payload["lesson_key"] for _, payload, _ in heard[:4]] == [x.key for x in lessons]
    assert heard[-1][1] == {"user_id": learner.id, "course_key": COURSE}
    assert all(committed for kind, _, committed in heard if kind == "lesson")


def _complete_then_fail(user_id, lesson, heard):
    with uow.transaction():
        services.complete_lesson(user_id, lesson)  # joins the unit: no commit yet
        assert heard == []
        raise RuntimeError("the request failed after the completion")


def test_a_completion_rolled_back_sends_nothing(app, learner):
    lesson = get_catalogue().lessons_in(COURSE)[0]
    with listening() as heard:
        with pytest.raises(RuntimeError, match="failed"):
            _complete_then_fail(learner.id, lesson, heard)
        assert db.session.scalar(select(LessonProgress.completed_at)) is None
        services.complete_lesson(learner.id, lesson)  # done again for real: announced now
    assert [payload["lesson_key"] for _, payload, _ in heard] == [lesson.key]
