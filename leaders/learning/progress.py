"""A learner's progress through lessons: their states, the figures pages show, and lesson views.

`record_view` is on every lesson page. It reads the learner's row for the lesson first (one
query, which for learners also asks whether a cohort of theirs has the lesson's module open), and
writes only when the view is news: a first view, a view of another lesson since, or a last view
more than `VIEW_RESOLUTION` ago. A write is an upsert (built once per database kind) that checks
the same rule. So a learner re-reading the lesson they are on takes no write lock on the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any

from sqlalchemy import Date, Integer, String, bindparam, exists, select
from sqlalchemy.orm import aliased

from leaders.catalogue.model import Catalogue, Course, Lesson
from leaders.cohorts.access import module_open
from leaders.db_types import UTCDateTime
from leaders.extensions import db
from leaders.learning.models import LessonProgress
from leaders.timeutil import as_utc, uk_today, utcnow
from leaders.upsert import insert, per_database


class Status(StrEnum):
    NOT_STARTED = "Not started"
    IN_PROGRESS = "In progress"
    COMPLETED = "Completed"


@dataclass(frozen=True)
class LessonState:
    """What the learner has done with one lesson."""

    first_viewed_at: datetime | None = None
    last_viewed_at: datetime | None = None
    completed_at: datetime | None = None
    version_completed: str | None = None

    @property
    def status(self) -> Status:
        if self.completed_at:
            return Status.COMPLETED
        return Status.IN_PROGRESS if self.first_viewed_at else Status.NOT_STARTED

    def changed_since_completed(self, lesson: Lesson) -> bool:
        return bool(self.completed_at) and self.version_completed != lesson.version

    def merged(self, other: LessonState) -> LessonState:
        """Combine rows for one lesson stored under its current key and an old alias."""
        return LessonState(
            first_viewed_at=_earliest(self.first_viewed_at, other.first_viewed_at),
            last_viewed_at=_latest(self.last_viewed_at, other.last_viewed_at),
            completed_at=_earliest(self.completed_at, other.completed_at),
            version_completed=self.version_completed or other.version_completed,
        )


def _earliest(a: datetime | None, b: datetime | None) -> datetime | None:
    return min(x for x in (a, b) if x) if (a or b) else None


def _latest(a: datetime | None, b: datetime | None) -> datetime | None:
    return max(x for x in (a, b) if x) if (a or b) else None


@dataclass(frozen=True)
class Progress:
    """A learner's states for a set of lessons, and the figures pages show about them."""

    lessons: tuple[Lesson, ...]
    states: Mapping[str, LessonState]

    def state(self, lesson: Lesson) -> LessonState:
        return self.states.get(lesson.key, LessonState())

    @property
    def completed(self) -> int:
        return sum(1 for lesson in self.lessons if self.state(lesson).completed_at)

    @property
    def total(self) -> int:
        return len(self.lessons)

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.total) if self.total else 0

    @property
    def minutes_left(self) -> int:
        return sum(lesson.minutes for lesson in self.lessons if not self.state(lesson).completed_at)

    @property
    def status(self) -> Status:
        if self.total and self.completed == self.total:
            return Status.COMPLETED
        if any(self.state(lesson).first_viewed_at for lesson in self.lessons):
            return Status.IN_PROGRESS
        return Status.NOT_STARTED

    def of(self, lessons: Iterable[Lesson]) -> Progress:
        return Progress(tuple(lessons), self.states)


def lesson_states(user_id: int, catalogue: Catalogue, key_prefix: str) -> dict[str, LessonState]:
    """Every progress row of the learner under a key prefix, mapped to current keys (one query)."""
    rows = db.session.execute(
        select(
            LessonProgress.lesson_key,
            LessonProgress.first_viewed_at,
            LessonProgress.last_viewed_at,
            LessonProgress.completed_at,
            LessonProgress.version_completed,
        ).where(LessonProgress.user_id == user_id, LessonProgress.lesson_key.startswith(key_prefix))
    ).all()
    states: dict[str, LessonState] = {}
    for key, first, last, completed, version in rows:
        canonical = catalogue.canonical_key(key)
        if canonical is None:
            continue  # progress on a lesson that no longer exists: kept, not shown
        state = LessonState(first, last, completed, version)
        states[canonical] = states[canonical].merged(state) if canonical in states else state
    return states


def course_progress(user_id: int, catalogue: Catalogue, course: Course) -> Progress:
    prefix = f"{course.key}/"
    # Aliases may point outside the prefix only if a lesson moved between courses; authors don't.
    return Progress(course.lessons, lesson_states(user_id, catalogue, prefix))


_PROGRESS_COLUMNS = (
    LessonProgress.first_viewed_at,
    LessonProgress.last_viewed_at,
    LessonProgress.completed_at,
    LessonProgress.version_completed,
)

#: How stale `last_viewed_at` may be for the lesson a learner is on: re-reading it within this
#: long writes nothing (the same resolution as a session's `last_seen_at`). Opening any other
#: lesson in between always writes, so "continue where you left off" follows every move.
VIEW_RESOLUTION = timedelta(minutes=5)


class NotOpen(Exception):
    """The learner may not open this lesson (no cohort on its course, or its module is not open)."""


def _module_open_here() -> Any:
    """`module_open` for the learner, course, module and day a lesson view passes as parameters."""
    return module_open(
        bindparam("member_id", type_=Integer),
        bindparam("course_key", type_=String),
        bindparam("module_key", type_=String),
        bindparam("today", type_=Date),
    )


@per_database
def _view_upsert(dialect: str, gated: bool) -> Any:
    """The upsert a lesson view runs when it writes, for the session's database.

    Gated, it inserts only if one of the learner's cohorts on the course has the lesson's module
    open today (INSERT … SELECT … WHERE EXISTS), so checking access costs no extra query.
    """
    now = bindparam("now", type_=UTCDateTime())
    columns = ["user_id", "lesson_key", "first_viewed_at", "last_viewed_at"]
    if gated:
        source = select(
            bindparam("user_id", type_=Integer),
            bindparam("lesson_key", type_=String),
            now,
            now,
        ).where(_module_open_here())
        values = insert(LessonProgress).from_select(columns, source)
    else:
        values = insert(LessonProgress).values(
            user_id=bindparam("user_id"),
            lesson_key=bindparam("lesson_key"),
            first_viewed_at=now,
            last_viewed_at=now,
        )
    return values.on_conflict_do_update(
        index_elements=["user_id", "lesson_key"],
        set_={"last_viewed_at": values.excluded.last_viewed_at},
    ).returning(*_PROGRESS_COLUMNS)


@lru_cache(maxsize=2)
def _view_read(gated: bool) -> Any:
    """The learner's row for the lesson, whether they have viewed another lesson since, and
    (gated) whether a cohort opens it to them today: no row if they have never opened it."""
    other = aliased(LessonProgress)
    later_elsewhere = exists().where(
        other.user_id == LessonProgress.user_id,
        other.last_viewed_at > LessonProgress.last_viewed_at,
    )
    columns: list[Any] = [*_PROGRESS_COLUMNS, later_elsewhere.label("superseded")]
    if gated:
        columns.append(_module_open_here().label("open"))
    return select(*columns).where(
        LessonProgress.user_id == bindparam("user_id", type_=Integer),
        LessonProgress.lesson_key == bindparam("lesson_key", type_=String),
    )


def record_view(user_id: int, lesson: Lesson, *, gated: bool = False) -> LessonState:
    """Note that the learner opened the lesson (an upsert: safe under double loads and races).

    With ``gated``, raise NotOpen (and write nothing) unless a cohort opens the lesson to them.
    A view that is not news (see the module's docstring) reads the row and writes nothing.
    """
    now = utcnow()
    params: dict[str, Any] = {"user_id": user_id, "lesson_key": lesson.key, "now": now}
    if gated:
        params |= {
            "member_id": user_id,
            "course_key": lesson.course_key,
            "module_key": lesson.module_key,
            "today": uk_today(now),
        }
    connection = db.session.connection()
    seen = connection.execute(_view_read(gated), params).first()
    if seen is not None and gated and not seen.open:
        raise NotOpen(lesson.key)
    if seen is not None and not seen.superseded and _recent(seen.last_viewed_at, now):
        row: Any = seen
    else:
        row = connection.execute(_view_upsert(gated), params).first()
        if row is None:
            raise NotOpen(lesson.key)
    state = LessonState(*row[: len(_PROGRESS_COLUMNS)])
    if lesson.aliases:  # progress kept under an old name counts too (one more query, rare)
        for old in db.session.execute(
            select(*_PROGRESS_COLUMNS).where(
                LessonProgress.user_id == user_id, LessonProgress.lesson_key.in_(lesson.aliases)
            )
        ).all():
            state = state.merged(LessonState(*old))
    return state


def _recent(last_viewed_at: datetime | None, now: datetime) -> bool:
    last = as_utc(last_viewed_at)
    return last is not None and now - last < VIEW_RESOLUTION
