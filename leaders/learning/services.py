"""The learner's journey: what each page needs, in a fixed number of queries, and the writes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Date, Integer, String, bindparam, func, literal, select

from leaders.catalogue.model import Catalogue, Course, Lesson, Module, Quiz
from leaders.db_types import UTCDateTime
from leaders.extensions import db
from leaders.learning import completion
from leaders.learning.journal import render_reflection
from leaders.learning.models import JournalEntry, LessonProgress, QuizAttempt, Visibility
from leaders.learning.reflections import cohort_for_writing
from leaders.timeutil import uk_today, utcnow
from leaders.uow import transactional
from leaders.upsert import insert


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


# Lesson page ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuizRecord:
    """A learner's attempts at one quiz."""

    quiz: Quiz
    attempts: tuple[Attempt, ...] = ()

    @property
    def latest(self) -> Attempt | None:
        return self.attempts[-1] if self.attempts else None

    @property
    def best(self) -> Attempt | None:
        return max(self.attempts, key=lambda a: (a.score, a.created_at)) if self.attempts else None

    @property
    def passed(self) -> bool:
        return any(a.passed for a in self.attempts)


@dataclass(frozen=True)
class LessonPage:
    lesson: Lesson
    module: Module
    course: Course
    state: LessonState
    quizzes: Mapping[str, QuizRecord]
    entries: Mapping[str, Any]
    previous: Lesson | None
    next: Lesson | None
    blocked_by: tuple[Quiz, ...] = field(default=())

    @property
    def can_complete(self) -> bool:
        return not self.blocked_by


def _all_keys(lesson: Lesson) -> tuple[str, ...]:
    return (lesson.key, *lesson.aliases)


def _fragment_keys(lesson: Lesson, fragment: str) -> list[str]:
    return [f"{key}#{fragment}" for key in _all_keys(lesson)]


_PROGRESS_COLUMNS = (
    LessonProgress.first_viewed_at,
    LessonProgress.last_viewed_at,
    LessonProgress.completed_at,
    LessonProgress.version_completed,
)
_view_upserts: dict[tuple[str, bool], Any] = {}


class NotOpen(Exception):
    """The learner may not open this lesson (no cohort on its course, or its module is not open)."""


def _view_upsert(gated: bool) -> Any:
    """The upsert a lesson view runs, built once per database kind (it is on every lesson page).

    Gated, it inserts only if one of the learner's cohorts on the course has the lesson's module
    open today (INSERT … SELECT … WHERE EXISTS), so checking access costs no extra query.
    """
    dialect = db.session.get_bind().dialect.name
    stmt = _view_upserts.get((dialect, gated))
    if stmt is None:
        now = bindparam("now", type_=UTCDateTime())
        columns = ["user_id", "lesson_key", "first_viewed_at", "last_viewed_at"]
        if gated:
            source = select(
                bindparam("user_id", type_=Integer),
                bindparam("lesson_key", type_=String),
                now,
                now,
            ).where(_module_open_for_learner())
            values = insert(LessonProgress).from_select(columns, source)
        else:
            values = insert(LessonProgress).values(
                user_id=bindparam("user_id"),
                lesson_key=bindparam("lesson_key"),
                first_viewed_at=now,
                last_viewed_at=now,
            )
        stmt = _view_upserts[(dialect, gated)] = values.on_conflict_do_update(
            index_elements=["user_id", "lesson_key"],
            set_={"last_viewed_at": values.excluded.last_viewed_at},
        ).returning(*_PROGRESS_COLUMNS)
    return stmt


def _module_open_for_learner() -> Any:
    """EXISTS: the user is in a cohort on this course that has this module open (or is staff in it)."""
    from leaders.cohorts.models import Cohort, CohortMember, CohortModule

    schedule = CohortModule.__table__.alias("schedule")
    return (
        select(literal(1))
        .select_from(CohortMember)
        .join(Cohort, Cohort.id == CohortMember.cohort_id)
        .outerjoin(
            schedule,
            (schedule.c.cohort_id == Cohort.id)
            & (schedule.c.module_key == bindparam("module_key")),
        )
        .where(
            CohortMember.user_id == bindparam("member_id"),
            Cohort.course_key == bindparam("course_key"),
            (CohortMember.role != "learner")
            | schedule.c.opens_on.is_(None)
            | (schedule.c.opens_on <= bindparam("today", type_=Date)),
        )
        .exists()
    )


def record_view(user_id: int, lesson: Lesson, *, gated: bool = False) -> LessonState:
    """Note that the learner opened the lesson (an upsert: safe under double loads and races).

    With ``gated``, raise NotOpen (and write nothing) unless a cohort opens the lesson to them.
    """
    now = utcnow()
    params = {"user_id": user_id, "lesson_key": lesson.key, "now": now}
    if gated:
        params |= {
            "member_id": user_id,
            "course_key": lesson.course_key,
            "module_key": lesson.module_key,
            "today": uk_today(now),
        }
    row = db.session.connection().execute(_view_upsert(gated), params).first()
    if row is None:
        raise NotOpen(lesson.key)
    state = LessonState(*row)
    if lesson.aliases:  # progress kept under an old name counts too (one more query, rare)
        for old in db.session.execute(
            select(*_PROGRESS_COLUMNS).where(
                LessonProgress.user_id == user_id, LessonProgress.lesson_key.in_(lesson.aliases)
            )
        ).all():
            state = state.merged(LessonState(*old))
    return state


@dataclass(frozen=True)
class Attempt:
    """A quiz attempt as pages show it (read as plain columns: lesson pages load many)."""

    id: int
    quiz_key: str
    quiz_version: str
    answers: list
    score: int
    total: int
    passed: bool | None
    created_at: datetime

    @property
    def percent(self) -> int:
        return round(100 * self.score / self.total) if self.total else 0


# Lesson pages run these on every view: built once, with parameters.
_attempts_query = (
    select(
        QuizAttempt.id,
        QuizAttempt.quiz_key,
        QuizAttempt.quiz_version,
        QuizAttempt.answers,
        QuizAttempt.score,
        QuizAttempt.total,
        QuizAttempt.passed,
        QuizAttempt.created_at,
    )
    .where(
        QuizAttempt.user_id == bindparam("user_id"),
        QuizAttempt.quiz_key.in_(bindparam("keys", expanding=True)),
    )
    .order_by(QuizAttempt.created_at, QuizAttempt.id)
)
_entries_query = select(
    JournalEntry.prompt_key,
    JournalEntry.body,
    JournalEntry.visibility,
    JournalEntry.cohort_id,
    JournalEntry.updated_at,
).where(
    JournalEntry.user_id == bindparam("user_id"),
    JournalEntry.prompt_key.in_(bindparam("keys", expanding=True)),
)


def _quiz_records(user_id: int, lesson: Lesson) -> dict[str, QuizRecord]:
    if not lesson.quizzes:
        return {}
    keys = [k for quiz in lesson.quizzes for k in _fragment_keys(lesson, quiz.id)]
    rows = db.session.connection().execute(_attempts_query, {"user_id": user_id, "keys": keys})
    by_id: dict[str, list[Attempt]] = {quiz.id: [] for quiz in lesson.quizzes}
    for attempt in (Attempt(*row) for row in rows):
        by_id[attempt.quiz_key.partition("#")[2]].append(attempt)
    return {quiz.id: QuizRecord(quiz, tuple(by_id[quiz.id])) for quiz in lesson.quizzes}


def _entries(user_id: int, lesson: Lesson) -> dict[str, Any]:
    """The learner's entries for the lesson's prompts, by prompt id (rows: body, visibility, …)."""
    if not lesson.prompts:
        return {}
    keys = [k for prompt in lesson.prompts for k in _fragment_keys(lesson, prompt.id)]
    rows = db.session.connection().execute(_entries_query, {"user_id": user_id, "keys": keys})
    return {row.prompt_key.partition("#")[2]: row for row in rows}


@transactional
def lesson_page(
    user_id: int, catalogue: Catalogue, lesson: Lesson, *, gated: bool = False
) -> LessonPage:
    """Everything the lesson page shows; records the view. At most three queries.

    With ``gated`` (learners), NotOpen if no cohort of theirs has the lesson's module open.
    """
    state = record_view(user_id, lesson, gated=gated)
    quizzes = _quiz_records(user_id, lesson)
    entries = _entries(user_id, lesson)
    return LessonPage(
        lesson=lesson,
        module=catalogue.modules[lesson.module_key],
        course=catalogue.courses[lesson.course_key],
        state=state,
        quizzes=quizzes,
        entries=entries,
        previous=catalogue.previous_lesson(lesson.key),
        next=catalogue.next_lesson(lesson.key),
        blocked_by=_blocking_quizzes(lesson, quizzes),
    )


def _blocking_quizzes(lesson: Lesson, records: Mapping[str, QuizRecord]) -> tuple[Quiz, ...]:
    """Quizzes with a pass mark that the learner has not yet passed."""
    return tuple(
        quiz
        for quiz in lesson.quizzes
        if quiz.pass_mark is not None and not (quiz.id in records and records[quiz.id].passed)
    )


# Writes ---------------------------------------------------------------------------------------


class NotYetPassed(Exception):
    """The lesson has a knowledge check with a pass mark that the learner has not reached."""

    def __init__(self, quizzes: tuple[Quiz, ...]) -> None:
        self.quizzes = quizzes
        super().__init__(", ".join(q.title for q in quizzes))


@transactional
def complete_lesson(user_id: int, lesson: Lesson) -> None:
    """Mark the lesson complete at its current version. Idempotent; keeps the first completion time.

    Refused (NotYetPassed) while a knowledge check with a pass mark has not been passed.
    """
    blocking = _blocking_quizzes(lesson, _quiz_records(user_id, lesson))
    if blocking:
        raise NotYetPassed(blocking)
    now = utcnow()
    stmt = insert(LessonProgress).values(
        user_id=user_id,
        lesson_key=lesson.key,
        first_viewed_at=now,
        last_viewed_at=now,
        completed_at=now,
        version_completed=lesson.version,
    )
    existing = LessonProgress.__table__.c
    stmt = stmt.on_conflict_do_update(
        index_elements=["user_id", "lesson_key"],
        set_={
            "completed_at": func.coalesce(existing.completed_at, stmt.excluded.completed_at),
            "version_completed": stmt.excluded.version_completed,
            "last_viewed_at": stmt.excluded.last_viewed_at,
        },
    ).returning(LessonProgress.completed_at)
    if db.session.execute(stmt).scalar() == now:  # the first completion, not a repeat
        completion.announce(user_id, lesson)


class AnswerError(ValueError):
    """The submitted answers cannot be marked: the message says what to do, by question."""

    def __init__(self, missing: list[int]) -> None:
        self.missing = missing
        super().__init__(", ".join(map(str, missing)))


def mark(quiz: Quiz, answers: Mapping[int, frozenset[int]]) -> tuple[int, list[list[int]]]:
    """Score answers (question index → chosen option indexes) against the catalogue."""
    missing = [q.index for q in quiz.questions if not answers.get(q.index)]
    if missing:
        raise AnswerError(missing)
    score = sum(1 for q in quiz.questions if answers[q.index] == q.correct_indexes)
    return score, [sorted(answers[q.index]) for q in quiz.questions]


@transactional
def submit_quiz(
    user_id: int, lesson: Lesson, quiz: Quiz, answers: Mapping[int, frozenset[int]]
) -> QuizAttempt:
    """Mark and keep an attempt; AnswerError if a question is unanswered."""
    score, stored = mark(quiz, answers)
    total = len(quiz.questions)
    passed = None if quiz.pass_mark is None else 100 * score >= quiz.pass_mark * total
    attempt = QuizAttempt(
        user_id=user_id,
        quiz_key=quiz.key,
        quiz_version=quiz.version,
        answers=stored,
        score=score,
        total=total,
        passed=passed,
    )
    db.session.add(attempt)
    return attempt


@transactional
def save_reflection(user_id: int, prompt_key: str, body: str, visibility: Visibility) -> int | None:
    """Create or replace the learner's entry for a prompt (an upsert); returns the entry's cohort.

    A new entry belongs to the learner's current cohort on the course; editing it later keeps the
    cohort it was first written in, so re-enrolling elsewhere never shows it to new people.
    """
    now = utcnow()
    stmt = insert(JournalEntry).values(
        user_id=user_id,
        prompt_key=prompt_key,
        cohort_id=cohort_for_writing(user_id, prompt_key.partition("/")[0]),
        body=body,
        body_html=render_reflection(body),
        visibility=visibility.value,
        created_at=now,
        updated_at=now,
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["user_id", "prompt_key"],
        set_={
            "cohort_id": func.coalesce(JournalEntry.__table__.c.cohort_id, stmt.excluded.cohort_id),
            "body": stmt.excluded.body,
            "body_html": stmt.excluded.body_html,
            "visibility": stmt.excluded.visibility,
            "updated_at": stmt.excluded.updated_at,
        },
    ).returning(JournalEntry.cohort_id)
    return db.session.execute(stmt).scalar()
