"""Announcing completions (leaders.signals), once each and only after they are committed."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import func, select

from leaders import signals, uow
from leaders.catalogue.model import Lesson
from leaders.catalogue.store import get_catalogue
from leaders.extensions import db
from leaders.learning.models import LessonProgress
from leaders.learning.reflections import cohort_for_writing


def announce(user_id: int, lesson: Lesson) -> None:
    """Queue lesson_completed (and course_completed if it was the last one) for after the commit.

    Called only for a first completion. One query for the course (how many of its lessons this
    learner has now completed); one more for the cohort, only when something listens.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # the sender, not the proxy
    cohort_id = (
        cohort_for_writing(user_id, lesson.course_key)
        if signals.lesson_completed.receivers
        else None
    )
    uow.after_commit(
        lambda: signals.lesson_completed.send(
            app,
            user_id=user_id,
            lesson_key=lesson.key,
            course_key=lesson.course_key,
            cohort_id=cohort_id,
        )
    )
    keys = [each.key for each in get_catalogue().lessons_in(lesson.course_key)]
    done = db.session.scalar(
        select(func.count())
        .select_from(LessonProgress)
        .where(
            LessonProgress.user_id == user_id,
            LessonProgress.completed_at.is_not(None),
            LessonProgress.lesson_key.in_(keys),
        )
    )
    if keys and done == len(keys):
        uow.after_commit(
            lambda: signals.course_completed.send(
                app, user_id=user_id, course_key=lesson.course_key
            )
        )
