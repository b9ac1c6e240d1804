"""Issued credentials, and the decisions a programme manager made by hand."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from leaders.db_types import UTCDateTime
from leaders.extensions import Model
from leaders.timeutil import utcnow


class Credential(Model):
    """One certificate issued to one learner for one course, and its signed VC-JWT.

    ``id`` is the public identifier (in the verification URL). Erasure blanks the name and the
    signed token and revokes it, so the page still answers "revoked" and names no one.
    """

    __tablename__ = "credential"
    __table_args__ = (
        Index("ix_credential_user_course", "user_id", "course_key"),
        UniqueConstraint("status_index", name="uq_credential_status_index"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    course_key: Mapped[str] = mapped_column(String(100))
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohort.id", ondelete="SET NULL"))
    recipient_name: Mapped[str] = mapped_column(String(200))
    #: The course and cohort as they were named when it was issued.
    course_title: Mapped[str] = mapped_column(String(200))
    cohort_name: Mapped[str] = mapped_column(String(200), default="")
    #: This credential's bit in the status list.
    status_index: Mapped[int]
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    valid_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: The signed credential (compact JWS); empty once the learner's data is erased.
    token: Mapped[str] = mapped_column(Text, default="")
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_reason: Mapped[str] = mapped_column(Text, default="")
    revoked_by: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))


class AwardDecision(Model):
    """A programme manager's decision, with a reason: award without the rule, or withhold."""

    __tablename__ = "award_decision"
    __table_args__ = (UniqueConstraint("user_id", "course_key", name="uq_award_decision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    course_key: Mapped[str] = mapped_column(String(100))
    #: "award" or "withhold".
    decision: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
