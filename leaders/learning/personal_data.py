"""What learning holds about a person: progress, knowledge checks and the reflective journal."""

from __future__ import annotations

from sqlalchemy import delete, select

from leaders import personal_data
from leaders.auth.models import User
from leaders.catalogue.store import get_catalogue
from leaders.cohorts.models import Cohort
from leaders.extensions import db
from leaders.learning import overview
from leaders.learning.models import JournalEntry, LessonProgress, QuizAttempt
from leaders.learning.reflections import readers
from leaders.timeutil import utcnow

_COUNTS = "kept without a name: they make up the cohort's figures"


def _journal(user_id: int) -> list[dict]:
    # Every entry, private ones too: they are the author's own.
    entries = personal_data.rows(
        select(
            JournalEntry.prompt_key,
            JournalEntry.body,
            JournalEntry.visibility,
            JournalEntry.quote_consent,
            JournalEntry.cohort_id,
            Cohort.name.label("cohort"),
            JournalEntry.created_at,
            JournalEntry.updated_at,
        )
        .outerjoin(Cohort, Cohort.id == JournalEntry.cohort_id)
        .where(JournalEntry.user_id == user_id)
    )
    return [
        {**row, "who_can_read": readers(row["visibility"], row["cohort_id"])} for row in entries
    ]


def _journal_markdown(user_id: int) -> str:
    user = db.session.get(User, user_id)
    assert user is not None
    sections = overview.journal(user_id, get_catalogue())
    return overview.journal_markdown(user.name, sections, utcnow())


def _erase_journal(user_id: int) -> None:
    db.session.execute(delete(JournalEntry).where(JournalEntry.user_id == user_id))


personal_data.register(
    "progress.json",
    tables=["lesson_progress"],
    shown_as="progress",
    export=lambda user_id: personal_data.rows(
        select(
            LessonProgress.lesson_key,
            LessonProgress.first_viewed_at,
            LessonProgress.last_viewed_at,
            LessonProgress.completed_at,
            LessonProgress.version_completed,
        ).where(LessonProgress.user_id == user_id)
    ),
    kept=_COUNTS,
)
personal_data.register(
    "knowledge_checks.json",
    tables=["quiz_attempt"],
    shown_as="knowledge checks",
    export=lambda user_id: personal_data.rows(
        select(
            QuizAttempt.quiz_key,
            QuizAttempt.answers,
            QuizAttempt.score,
            QuizAttempt.total,
            QuizAttempt.passed,
            QuizAttempt.created_at,
        ).where(QuizAttempt.user_id == user_id)
    ),
    kept="scores kept without a name: they make up the cohort's figures",
)
personal_data.register(
    "journal.json",
    tables=["journal_entry"],
    export=_journal,
    erase=_erase_journal,
    shown_as="your journal",
)
personal_data.register(
    "journal.md", export=_journal_markdown, shown_as="your journal again as a Markdown document"
)
