"""Learner state, keyed by catalogue keys (never the content itself)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from leaders.db_types import UTCDateTime
from leaders.extensions import Model
from leaders.timeutil import utcnow


class LessonProgress(Model):
    """One learner's progress on one lesson. Written only by upserts, so it is safe under races."""

    __tablename__ = "lesson_progress"
    __table_args__ = (
        UniqueConstraint("user_id", "lesson_key"),
        # Covers the dashboard's aggregate: completions per learner per lesson.
        Index("ix_lesson_progress_user_lesson_completed", "user_id", "lesson_key", "completed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    #: ``course/module/lesson``: the canonical key when written (old rows may hold an alias).
    lesson_key: Mapped[str] = mapped_column(String(300))
    first_viewed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_viewed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: When the learner first marked it complete; None if not yet.
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: The lesson version they completed, to tell them when it has changed since.
    version_completed: Mapped[str | None] = mapped_column(String(40))


class QuizAttempt(Model):
    """One submitted knowledge check, marked on the server. Every attempt is kept."""

    __tablename__ = "quiz_attempt"
    __table_args__ = (Index("ix_quiz_attempt_user_quiz", "user_id", "quiz_key", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    #: ``<lesson key>#<quiz id>``.
    quiz_key: Mapped[str] = mapped_column(String(300))
    #: The quiz version marked against, so feedback stays true to the questions asked.
    quiz_version: Mapped[str] = mapped_column(String(40))
    #: Chosen option indexes per question, e.g. ``[[0], [1, 2]]``.
    answers: Mapped[list] = mapped_column(JSON)
    #: Questions answered exactly right.
    score: Mapped[int]
    total: Mapped[int]
    #: Whether it reached the pass mark; None when the quiz has none.
    passed: Mapped[bool | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def percent(self) -> int:
        return round(100 * self.score / self.total) if self.total else 0


class Visibility(StrEnum):
    """Who may read a journal entry besides its author. Private unless the author chooses.

    Every level is scoped to the cohort the entry was written in; the rule is written once, in
    leaders/learning/reflections.py. Programme managers, organisation leads and admins read none.
    """

    PRIVATE = "private"
    FACILITATORS = "facilitators"
    LEARNING_SET = "learning_set"
    COHORT = "cohort"

    @property
    def label(self) -> str:
        return VISIBILITY_LABELS[self]

    @property
    def readers(self) -> str:
        """Who can read an entry, as a sentence."""
        return {
            Visibility.PRIVATE: "Only you can read it.",
            Visibility.FACILITATORS: "You and your cohort's facilitators can read it.",
            Visibility.LEARNING_SET: "You and the other learners in your learning set can read it.",
            Visibility.COHORT: "The learners and facilitators of your cohort can read it.",
        }[self]

    @property
    def hint(self) -> str:
        """Exactly who the choice lets in, under its radio button."""
        return {
            Visibility.PRIVATE: "Nobody else: not facilitators, programme managers or admins.",
            Visibility.FACILITATORS: "The facilitators of your cohort. Not programme managers "
            "or organisation leads.",
            Visibility.LEARNING_SET: "The other learners in your learning set. Not facilitators.",
            Visibility.COHORT: "The learners and facilitators of your cohort.",
        }[self]


VISIBILITY_LABELS = {
    Visibility.PRIVATE: "Only me",
    Visibility.FACILITATORS: "Me and my cohort's facilitators",
    Visibility.LEARNING_SET: "Me and my learning set",
    Visibility.COHORT: "Everyone in my cohort",
}


class JournalEntry(Model):
    """A learner's answer to one reflection prompt. Theirs: shown to others only as they choose."""

    __tablename__ = "journal_entry"
    __table_args__ = (
        UniqueConstraint("user_id", "prompt_key"),
        CheckConstraint(
            "visibility IN ('private', 'facilitators', 'learning_set', 'cohort')",
            name="visibility_known",
        ),
        Index("ix_journal_entry_cohort", "cohort_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    #: The cohort the entry was written in: whoever it is shared with is in this cohort. None (no
    #: cohort when written, or the cohort was deleted): nobody but the author reads it.
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohort.id", ondelete="SET NULL"))
    #: ``<lesson key>#<prompt id>``.
    prompt_key: Mapped[str] = mapped_column(String(300))
    #: What the learner wrote, in Markdown.
    body: Mapped[str] = mapped_column(Text)
    #: ``body`` rendered and sanitised with nh3 when saved.
    body_html: Mapped[str] = mapped_column(Text)
    visibility: Mapped[str] = mapped_column(String(20), default=Visibility.PRIVATE.value)
    #: The author agreed it "may be quoted anonymously in programme reports" (leaders/reports):
    #: without their name or organisation. Off unless they tick it; they can withdraw it any time.
    quote_consent: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
