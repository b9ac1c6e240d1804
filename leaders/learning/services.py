"""The learner's journey: what the lesson page needs, in a fixed number of queries, and the writes.

Progress (lesson states, figures, recording a view) is in progress.py and knowledge checks in
quizzes.py; this module puts the lesson page together and keeps completions and reflections. The
views reach all three through this module.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import (
    bindparam,
    func,
    literal,
    null,
    select,
    type_coerce,
    union_all,
    update,
)

from leaders import audit
from leaders.audit import Action
from leaders.catalogue.model import Catalogue, Course, Lesson, Module, Quiz
from leaders.extensions import db, rowcount
from leaders.learning import completion
from leaders.learning.journal import render_reflection
from leaders.learning.models import JournalEntry, QuizAttempt, Visibility
from leaders.learning.progress import (
    LessonState,
    NotOpen,
    Progress,
    Status,
    course_progress,
    lesson_states,
    record_view,
)
from leaders.learning.quizzes import (
    AnswerError,
    Attempt,
    NotYetPassed,
    QuizRecord,
    blocking_quizzes,
    fragment_keys,
    mark,
    quiz_records,
    records_of,
    submit_quiz,
)
from leaders.learning.reflections import cohort_for_writing
from leaders.sqlkeys import in_keys, key_values
from leaders.timeutil import utcnow
from leaders.uow import transactional
from leaders.upsert import insert

__all__ = [
    "AnswerError",
    "Attempt",
    "LessonPage",
    "LessonState",
    "NotOpen",
    "NotYetPassed",
    "Progress",
    "QuizRecord",
    "Status",
    "complete_lesson",
    "course_progress",
    "lesson_page",
    "lesson_states",
    "mark",
    "record_view",
    "save_reflection",
    "submit_quiz",
]


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


_ATTEMPT, _ENTRY = "a", "e"


def _blank(column: Any) -> Any:
    """NULL with the column's type, so the other branch of the union reads back as that type."""
    return type_coerce(null(), column.type)


# The learner's attempts at a lesson's checks and entries for its prompts: one statement (the page
# reads both on every view), built once per number of keys (leaders.sqlkeys).
@lru_cache(maxsize=64)
def _records_query(quiz_keys: int, prompt_keys: int) -> Any:
    records = union_all(
        select(
            literal(_ATTEMPT).label("kind"),
            QuizAttempt.quiz_key.label("key"),
            QuizAttempt.id,
            QuizAttempt.quiz_version,
            QuizAttempt.answers,
            QuizAttempt.score,
            QuizAttempt.total,
            QuizAttempt.passed,
            QuizAttempt.created_at.label("at"),
            _blank(JournalEntry.body).label("body"),
            _blank(JournalEntry.visibility).label("visibility"),
            _blank(JournalEntry.quote_consent).label("quote_consent"),
            _blank(JournalEntry.cohort_id).label("cohort_id"),
        ).where(
            QuizAttempt.user_id == bindparam("user_id"),
            in_keys(QuizAttempt.quiz_key, "quiz_key", quiz_keys),
        ),
        select(
            literal(_ENTRY),
            JournalEntry.prompt_key,
            _blank(QuizAttempt.id),
            _blank(QuizAttempt.quiz_version),
            _blank(QuizAttempt.answers),
            _blank(QuizAttempt.score),
            _blank(QuizAttempt.total),
            _blank(QuizAttempt.passed),
            JournalEntry.updated_at,
            JournalEntry.body,
            JournalEntry.visibility,
            JournalEntry.quote_consent,
            JournalEntry.cohort_id,
        ).where(
            JournalEntry.user_id == bindparam("user_id"),
            in_keys(JournalEntry.prompt_key, "prompt_key", prompt_keys),
        ),
    )
    order = records.selected_columns
    return records.order_by(order.kind, order.at, order.id)


class Entry(NamedTuple):
    """A journal entry as the lesson page shows it."""

    prompt_key: str
    body: str
    visibility: str
    quote_consent: bool
    cohort_id: int | None
    updated_at: datetime


def _learner_records(
    user_id: int, lesson: Lesson
) -> tuple[dict[str, QuizRecord], dict[str, Entry]]:
    """The learner's records of the lesson's checks, and their entries by prompt id (one query)."""
    if not (lesson.quizzes or lesson.prompts):
        return {}, {}
    quiz_keys = [k for quiz in lesson.quizzes for k in fragment_keys(lesson, quiz.id)]
    prompt_keys = [k for prompt in lesson.prompts for k in fragment_keys(lesson, prompt.id)]
    attempts: list[Attempt] = []
    entries: dict[str, Entry] = {}
    params = {
        "user_id": user_id,
        **key_values("quiz_key", quiz_keys),
        **key_values("prompt_key", prompt_keys),
    }
    rows = db.session.connection().execute(_records_query(len(quiz_keys), len(prompt_keys)), params)
    for row in rows:
        if row.kind == _ATTEMPT:
            attempts.append(
                Attempt(
                    row.id,
                    row.key,
                    row.quiz_version,
                    row.answers,
                    row.score,
                    row.total,
                    row.passed,
                    row.at,
                )
            )
        else:
            entry = Entry(
                row.key, row.body, row.visibility, row.quote_consent, row.cohort_id, row.at
            )
            entries[row.key.partition("#")[2]] = entry
    return records_of(lesson, attempts), entries


@transactional
def lesson_page(
    user_id: int, catalogue: Catalogue, lesson: Lesson, *, gated: bool = False
) -> LessonPage:
    """Everything the lesson page shows; records the view. Two queries, three on a view that
    writes (see progress.record_view), one more for a lesson with old names.

    With ``gated`` (learners), NotOpen if no cohort of theirs has the lesson's module open.
    """
    state = record_view(user_id, lesson, gated=gated)
    quizzes, entries = _learner_records(user_id, lesson)
    return LessonPage(
        lesson=lesson,
        module=catalogue.modules[lesson.module_key],
        course=catalogue.courses[lesson.course_key],
        state=state,
        quizzes=quizzes,
        entries=entries,
        previous=catalogue.previous_lesson(lesson.key),
        next=catalogue.next_lesson(lesson.key),
        blocked_by=blocking_quizzes(lesson, quizzes),
    )


# Writes ---------------------------------------------------------------------------------------


@transactional
def complete_lesson(user_id: int, lesson: Lesson) -> None:
    """Mark the lesson complete at its current version. Idempotent; keeps the first completion time.

    Refused (NotYetPassed) while a knowledge check with a pass mark has not been passed.
    """
    blocking = blocking_quizzes(lesson, quiz_records(user_id, lesson))
    if blocking:
        raise NotYetPassed(blocking)
    if completion.record(user_id, lesson, utcnow()):  # the first completion, not a repeat
        completion.announce(user_id, lesson)


@transactional
def save_reflection(
    user_id: int,
    prompt_key: str,
    body: str,
    visibility: Visibility,
    quote_consent: bool = False,
) -> int | None:
    """Create or replace the learner's entry for a prompt (an upsert); returns the entry's cohort.

    `quote_consent` is the author's answer each time they save: unticking it withdraws consent.

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
        quote_consent=quote_consent,
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
            "quote_consent": stmt.excluded.quote_consent,
            "updated_at": stmt.excluded.updated_at,
        },
    ).returning(JournalEntry.cohort_id)
    return db.session.execute(stmt).scalar()


@transactional
def withdraw_quote_consent(user_id: int, entry_id: int) -> bool:
    """The author takes back "may be quoted": later reports leave the entry out. False if the
    entry is not theirs or was not marked (nothing changes)."""
    done = db.session.execute(
        update(JournalEntry)
        .where(
            JournalEntry.id == entry_id,
            JournalEntry.user_id == user_id,
            JournalEntry.quote_consent.is_(True),
        )
        .values(quote_consent=False)
    )
    if not rowcount(done):
        return False
    audit.record(
        Action.QUOTE_CONSENT_WITHDRAWN, actor=user_id, subject=user_id, detail=f"entry {entry_id}"
    )
    return True
