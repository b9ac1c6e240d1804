"""The learner's journey: what the lesson page needs, in a fixed number of queries, and the writes.

Progress (lesson states, figures, the view upsert) is in progress.py and knowledge checks in
quizzes.py; this module puts the lesson page together and keeps completions and reflections. The
views reach all three through this module.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, func, select, update

from leaders import audit
from leaders.audit import Action
from leaders.catalogue.model import Catalogue, Course, Lesson, Module, Quiz
from leaders.extensions import db, rowcount
from leaders.learning import completion
from leaders.learning.journal import render_reflection
from leaders.learning.models import JournalEntry, LessonProgress, Visibility
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
    submit_quiz,
)
from leaders.learning.reflections import cohort_for_writing
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


_entries_query = select(
    JournalEntry.prompt_key,
    JournalEntry.body,
    JournalEntry.visibility,
    JournalEntry.quote_consent,
    JournalEntry.cohort_id,
    JournalEntry.updated_at,
).where(
    JournalEntry.user_id == bindparam("user_id"),
    JournalEntry.prompt_key.in_(bindparam("keys", expanding=True)),
)


def _entries(user_id: int, lesson: Lesson) -> dict[str, Any]:
    """The learner's entries for the lesson's prompts, by prompt id (rows: body, visibility, …)."""
    if not lesson.prompts:
        return {}
    keys = [k for prompt in lesson.prompts for k in fragment_keys(lesson, prompt.id)]
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
    quizzes = quiz_records(user_id, lesson)
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
