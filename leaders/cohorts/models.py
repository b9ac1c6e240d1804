"""Cohorts: one run of a course, its release schedule, members, sessions and attendance."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from leaders.db_types import UTCDateTime
from leaders.extensions import Model
from leaders.timeutil import utcnow


class CohortRole(StrEnum):
    """What a person does in one cohort (their global role is separate)."""

    LEARNER = "learner"
    FACILITATOR = "facilitator"
    PROGRAMME_MANAGER = "programme_manager"
    ORGANISATION_LEAD = "organisation_lead"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @classmethod
    def parse(cls, text: str) -> CohortRole | None:
        """A role from a spreadsheet cell: 'Learner', 'programme manager', 'Organisation lead'…"""
        key = text.strip().lower().replace("-", " ").replace("_", " ")
        return next((role for role in cls if role.value.replace("_", " ") == key), None)


#: Roles that see the cohort's dashboard and its people.
STAFF_ROLES = frozenset({CohortRole.PROGRAMME_MANAGER, CohortRole.FACILITATOR})


class Cohort(Model):
    __tablename__ = "cohort"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The catalogue key of the course this cohort takes.
    course_key: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: When a manager archived the cohort: read-only from then on, and out of the default lists.
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (CheckConstraint("ends_on >= starts_on", name="ends_after_start"),)


class CohortModule(Model):
    """When a module opens to the cohort's learners and when it is due. No row: open from the start."""

    __tablename__ = "cohort_module"
    __table_args__ = (
        UniqueConstraint("cohort_id", "module_key"),
        CheckConstraint(
            "due_on IS NULL OR opens_on IS NULL OR due_on >= opens_on", name="due_after_open"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"))
    #: ``course/module``.
    module_key: Mapped[str] = mapped_column(String(200))
    opens_on: Mapped[date | None] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date)


class CohortMember(Model):
    __tablename__ = "cohort_member"
    __table_args__ = (
        UniqueConstraint("cohort_id", "user_id"),
        Index("ix_cohort_member_user", "user_id"),
        CheckConstraint(
            "role IN ('learner', 'facilitator', 'programme_manager', 'organisation_lead')",
            name="role_known",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(32), default=CohortRole.LEARNER.value)
    #: When the person joined the cohort: late joiners' due dates count from here.
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: Days added to every due date for this person, set by a manager; None: follow the join date.
    due_offset_days: Mapped[int | None] = mapped_column()


class SessionKind(StrEnum):
    WORKSHOP = "workshop"
    LEARNING_SET = "learning_set"

    @property
    def label(self) -> str:
        return {"workshop": "Workshop", "learning_set": "Learning set meeting"}[self.value]


class CohortSession(Model):
    """A workshop or a learning set meeting, with an attendance register."""

    __tablename__ = "cohort_session"
    __table_args__ = (
        CheckConstraint("kind IN ('workshop', 'learning_set')", name="kind_known"),
        Index("ix_cohort_session_cohort_starts", "cohort_id", "starts_at"),
        CheckConstraint("ends_at IS NULL OR ends_at > starts_at", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default=SessionKind.WORKSHOP.value)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: None only for sessions added before end times were asked for.
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: The place (a room, an address); empty for an online session.
    location: Mapped[str] = mapped_column(String(200), default="")
    #: The https link to join online; empty for a session in a room.
    online_url: Mapped[str] = mapped_column(String(500), default="")
    joining_instructions: Mapped[str] = mapped_column(Text, default="")
    #: A meeting of one learning set, with a register of that set's members; None: the whole cohort.
    set_id: Mapped[int | None] = mapped_column(ForeignKey("learning_set.id", ondelete="CASCADE"))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: The iCalendar SEQUENCE: one more at each change, so calendars take the new version.
    sequence: Mapped[int] = mapped_column(default=0)
    #: The add form's one-time key: a second submit of the same form finds this session.
    form_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class AttendanceStatus(StrEnum):
    PRESENT = "present"
    APOLOGIES = "apologies"
    ABSENT = "absent"

    @property
    def label(self) -> str:
        return {"present": "Present", "apologies": "Sent apologies", "absent": "Absent"}[self.value]


class Attendance(Model):
    __tablename__ = "attendance"
    __table_args__ = (
        UniqueConstraint("session_id", "user_id"),
        CheckConstraint("status IN ('present', 'apologies', 'absent')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("cohort_session.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(12))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PendingImport(Model):
    """A validated spreadsheet waiting for the manager to confirm new organisations. Kept a day."""

    __tablename__ = "pending_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"))
    created_by: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(255))
    #: The parsed rows, already validated.
    rows: Mapped[list] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ReminderLog(Model):
    """One reminder sent, so the daily job never sends the same one twice in a week."""

    __tablename__ = "reminder_log"
    __table_args__ = (UniqueConstraint("user_id", "cohort_id", "kind", "week"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"))
    #: ``at-risk`` or ``digest``.
    kind: Mapped[str] = mapped_column(String(20))
    #: ISO year and week, e.g. ``2026-W48``.
    week: Mapped[str] = mapped_column(String(8))
    detail: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LearningSet(Model):
    """An action learning set: a small cross-organisation group within a cohort."""

    __tablename__ = "learning_set"
    __table_args__ = (UniqueConstraint("cohort_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: Who runs the set: a facilitator of the cohort (checked when it is chosen).
    facilitator_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )


class LearningSetMember(Model):
    __tablename__ = "learning_set_member"
    __table_args__ = (UniqueConstraint("cohort_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Repeated from the set so that "one set per person per cohort" is a constraint, not a hope.
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"))
    set_id: Mapped[int] = mapped_column(ForeignKey("learning_set.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))


class CalendarFeed(Model):
    """A learner's private calendar feed: only a hash of its secret token is kept."""

    __tablename__ = "calendar_feed"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    #: SHA-256 of the token, hex.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
