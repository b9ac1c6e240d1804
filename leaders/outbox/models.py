"""The outbox: every email as a row, written in the same transaction as the change that causes it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from leaders.db_types import UTCDateTime
from leaders.extensions import Model
from leaders.timeutil import utcnow


class Status(StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    RETRYING = "retrying"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return self.value.capitalize()


#: Statuses a delivery job may still act on.
PENDING = (Status.QUEUED.value, Status.RETRYING.value)

#: The name an email keeps once its recipient's data is erased (leaders/outbox/personal_data.py).
ERASED_NAME = "Erased learner"


class Email(Model):
    """One email to one person: what it says, and where its delivery stands."""

    __tablename__ = "email"
    __table_args__ = (
        Index("ix_email_status_next_attempt_at", "status", "next_attempt_at"),
        Index("ix_email_cohort_id_queued_at", "cohort_id", "queued_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The cohort it is about, if any (its programme managers see it on the cohort's Emails page).
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohort.id", ondelete="SET NULL"))
    #: The account it was sent to, if any (so erasure can find it).
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    to_address: Mapped[str] = mapped_column(String(320))
    to_name: Mapped[str] = mapped_column(String(200), default="")
    subject: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str | None] = mapped_column(Text)
    #: What sort of email: invitation, password-reset, at-risk, survey, digest, resend…
    kind: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default=Status.QUEUED.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    #: The mail server's reason for the last failure ("" when none).
    last_error: Mapped[str] = mapped_column(String(500), default="")
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: When the next delivery attempt is due.
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: A delivery job holds the row until then; after it, the job is presumed dead.
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: One email per key: queueing the same key twice queues it once.
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)

    @property
    def status_label(self) -> str:
        return Status(self.status).label


class EmailAttempt(Model):
    """One try at handing an email to the mail server, and what the server said."""

    __tablename__ = "email_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    email_id: Mapped[int] = mapped_column(ForeignKey("email.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: sent, temporary (will retry) or permanent (gave up).
    outcome: Mapped[str] = mapped_column(String(20))
    detail: Mapped[str] = mapped_column(String(500), default="")
