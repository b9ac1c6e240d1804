"""`queue()`: put an email in the outbox; it is enqueued for delivery only once that commits.

`queue()` adds an `Email` row to the current database session and commits nothing. Only when that
session commits does a SQLAlchemy ``after_commit`` hook enqueue the delivery job, with the row's
id: an email about a change that was rolled back is never queued, let alone sent. If the process
dies between the commit and the enqueue, the row is still there, and the sweeper finds it.
"""

from __future__ import annotations

import uuid

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from leaders.extensions import db
from leaders.outbox.models import Email
from leaders.outbox.tasks import deliver

_PENDING_KEY = "outbox.pending"
_IDS_KEY = "outbox.ids"


def queue(
    *,
    to: str,
    subject: str,
    text: str,
    kind: str,
    html: str | None = None,
    to_name: str = "",
    cohort: object = None,
    user: object = None,
    key: str | None = None,
) -> Email:
    """Put an email in the outbox (no commit). It is enqueued for delivery once the session commits.

    ``cohort`` and ``user`` are ids or objects with an ``id``. A ``key`` makes it idempotent: a second
    email with the same key is not added (the first is returned).
    """
    if key is not None:
        existing = db.session.execute(
            select(Email).where(Email.idempotency_key == key)
        ).scalar_one_or_none()
        if existing is not None:
            return existing
    email = Email(
        to_address=to,
        to_name=to_name,
        subject=subject,
        text=text,
        html=html,
        kind=kind,
        cohort_id=_id(cohort),
        user_id=_id(user),
        idempotency_key=key or uuid.uuid4().hex,
    )
    db.session.add(email)
    db.session().info.setdefault(_PENDING_KEY, []).append(email)
    return email


def _id(thing: object) -> int | None:
    if thing is None or isinstance(thing, int):
        return thing
    return thing.id  # type: ignore[attr-defined]  # any model with an id


@event.listens_for(Session, "before_commit")
def _collect_ids(session: Session) -> None:
    pending = session.info.pop(_PENDING_KEY, None)
    if pending:
        session.flush()
        session.info.setdefault(_IDS_KEY, []).extend(e.id for e in pending)


@event.listens_for(Session, "after_commit")
def _enqueue_committed(session: Session) -> None:
    ids = session.info.pop(_IDS_KEY, None)
    if ids:
        for email_id in ids:
            deliver(email_id)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop(_PENDING_KEY, None)
    session.info.pop(_IDS_KEY, None)
