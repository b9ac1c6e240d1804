"""What a bulk action or a message leaves behind: the claim that makes its confirmation count once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from leaders.db_types import UTCDateTime
from leaders.extensions import Model
from leaders.timeutil import utcnow


class BulkRun(Model):
    """One confirmed bulk action or message. The confirmation page carries a fresh token; the
    unique index lets only the first POST with it through, so a double click or a replayed form
    does the work once."""

    __tablename__ = "bulk_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    #: ``remind``, ``resend``, ``move``, ``remove``, ``due-offset`` or ``message``.
    action: Mapped[str] = mapped_column(String(20))
    #: How many people it was done to.
    count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
