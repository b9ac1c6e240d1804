"""Erasure requests. (The audit log's model is in leaders.audit.)"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from leaders.db_types import UTCDateTime
from leaders.extensions import Model
from leaders.timeutil import utcnow


class ErasureRequest(Model):
    """A learner asked for their personal data to be erased; an admin carries it out."""

    __tablename__ = "erasure_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    completed_by: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
