"""Completing a lesson: the write, and announcing completions (leaders.signals), once each and only
after they are committed.

Both statements are built once (per database kind, and per number of lesson keys) and run on the
session's connection with parameters: building an upsert with its `excluded` columns, and an ORM
count, took a third of a completion's time under bench/load.py (py-spy).
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any

from flask import current_app
from sqlalchemy import Integer, String, bindparam, func, select

from leaders import signals, uow
from leaders.catalogue.model import Lesson
from leaders.catalogue.store import get_catalogue
from leaders.db_types import UTCDateTime
from leaders.extensions import db
from leaders.learning.models import LessonProgress
from leaders.learning.reflections import cohort_for_writing
from leaders.sqlkeys import in_keys, key_values
from leaders.upsert import insert, per_database


def record(user_id: int, lesson: Lesson, now: datetime) -> bool:
    """Mark the lesson complete at its current version, keeping the first completion time (an
    upsert: safe under double submits and races). True if this was the first completion."""
    params = {"user_id": user_id, "lesson_key": lesson.key, "now": now, "version": lesson.version}
    completed_at = db.session.connection().execute(_upsert(), params).scalar()
    return bool(completed_at == now)


@per_database
def _upsert(dialect: str) -> Any:
    """The completion's upsert for the session's database."""
    now = bindparam("now", type_=UTCDateTime())
    values = insert(LessonProgress).values(
        user_id=bindparam("user_id", type_=Integer),
        lesson_key=bindparam("lesson_key", type_=String),
        first_viewed_at=now,
        last_viewed_at=now,
        completed_at=now,
        version_completed=bindparam("version", type_=String),
    )
    existing = LessonProgress.__table__.c
    return values.on_conflict_do_update(
        index_elements=["user_id", "lesson_key"],
        set_={
            "completed_at": func.coalesce(existing.completed_at, values.excluded.completed_at),
            "version_completed": values.excluded.version_completed,
            "last_viewed_at": values.excluded.last_viewed_at,
        },
    ).returning(existing.completed_at)


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
    if not keys:
        return
    params = {"user_id": user_id, **key_values("key", keys)}
    done = db.session.connection().execute(_completed_count(len(keys)), params).scalar()
    if done == len(keys):
        uow.after_commit(
            lambda: signals.course_completed.send(
                app, user_id=user_id, course_key=lesson.course_key
            )
        )


@lru_cache(maxsize=16)
def _completed_count(keys: int) -> Any:
    """How many of these lessons the learner has completed; built once per number of keys
    (leaders.sqlkeys)."""
    return (
        select(func.count())
        .select_from(LessonProgress)
        .where(
            LessonProgress.user_id == bindparam("user_id", type_=Integer),
            LessonProgress.completed_at.is_not(None),
            in_keys(LessonProgress.lesson_key, "key", keys),
        )
    )
