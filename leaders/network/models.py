"""The cohort network: declared ties, survey waves and their answers.

Action learning sets are cohort groupings: their models are in leaders/cohorts/models.py (learning
reads them for reflection visibility, and learning sits below network); they are re-exported here."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from leaders.cohorts.models import LearningSet, LearningSetMember  # noqa: F401  (re-exported)
from leaders.db_types import UTCDateTime
from leaders.extensions import Model
from leaders.timeutil import utcnow


class TieKind(StrEnum):
    WORKED_TOGETHER = "worked_together"
    MET_AT_SESSION = "met_at_session"
    INTRODUCED = "introduced"
    MENTORING = "mentoring"

    @property
    def label(self) -> str:
        return {
            "worked_together": "We have worked together",
            "met_at_session": "We met at a programme session",
            "introduced": "The programme introduced us",
            "mentoring": "Mentoring",
        }[self.value]


class Tie(Model):
    """A connection a learner declared with someone in their cohort. Undirected: both see it."""

    __tablename__ = "tie"
    __table_args__ = (
        UniqueConstraint("cohort_id", "user_a_id", "user_b_id", "kind"),
        CheckConstraint("user_a_id < user_b_id", name="ordered_pair"),
        CheckConstraint(
            "kind IN ('worked_together', 'met_at_session', 'introduced', 'mentoring')",
            name="kind_known",
        ),
        Index("ix_tie_user_b", "user_b_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"))
    #: The pair, smaller id first, so one connection is one row whoever records it.
    user_a_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    user_b_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    #: Optional, written by whoever recorded it; both people see it.
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class WaveName(StrEnum):
    BASELINE = "baseline"
    MIDPOINT = "midpoint"
    END = "end"

    @property
    def label(self) -> str:
        return {"baseline": "Baseline", "midpoint": "Midpoint", "end": "End of programme"}[
            self.value
        ]


class SurveyWave(Model):
    """A network survey a programme manager opens; closing it freezes its answers."""

    __tablename__ = "survey_wave"
    __table_args__ = (
        UniqueConstraint("cohort_id", "name"),
        CheckConstraint("name IN ('baseline', 'midpoint', 'end')", name="name_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(10))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SurveyResponse(Model):
    """That a learner answered a wave (their answers may name nobody)."""

    __tablename__ = "survey_response"
    __table_args__ = (UniqueConstraint("wave_id", "respondent_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("survey_wave.id", ondelete="CASCADE"))
    respondent_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SurveyAnswer(Model):
    """One person a respondent named in a wave: knew before the programme, and/or worked with lately."""

    __tablename__ = "survey_answer"
    __table_args__ = (
        UniqueConstraint("wave_id", "respondent_id", "other_id"),
        CheckConstraint("respondent_id <> other_id", name="not_self"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("survey_wave.id", ondelete="CASCADE"))
    respondent_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    other_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    knew_before: Mapped[bool] = mapped_column(default=False)
    worked_with: Mapped[bool] = mapped_column(default=False)


class SetDraft(Model):
    """A cohort's proposed learning sets, saved until a manager confirms them (one per cohort).

    Every manager of the cohort sees and changes the same draft. ``plan`` holds the sets (member
    ids), who the manager pinned where, and each set's name and facilitator. ``version`` goes up
    with every change, so a form from a page that was overtaken (a colleague changed the draft
    since) is refused rather than applied to a draft its sender never saw.
    """

    __tablename__ = "set_draft"
    __table_args__ = (UniqueConstraint("cohort_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"))
    plan: Mapped[dict] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(default=1)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
