"""Delivery jobs: claim an outbox row, hand it to the mail server, record what the server said.

At least once, and in practice exactly once. A job first *claims* its row (one UPDATE … WHERE the
row is pending and unclaimed, RETURNING), commits the claim, sends, and marks the row sent right
after the server's 250. Two jobs for one row (a re-enqueue, two consumers) cannot both send it: only
one claim succeeds, and the other reschedules itself for when that claim would expire.

The honest window: if a consumer dies after the mail server has accepted the message (its reply to
DATA) but before "sent" is committed — a few milliseconds per message — the claim expires
(``QUEUE_CLAIM_SECONDS``), the row is delivered again, and the person gets it twice. A kill at any
other moment (before DATA ends, while connecting, between messages) loses nothing and duplicates
nothing. SMTP itself offers no way to close that window.

Temporary failures (4xx replies, connection refused, timeouts, a dropped connection) are retried
with exponential back-off, ``QUEUE_RETRY_BASE_SECONDS`` times 2 to the power of the attempts so far (at most an hour), up to
``QUEUE_MAX_ATTEMPTS``; permanent ones (5xx, an address the message cannot carry) stop at once.
Every attempt is recorded in ``email_attempt``.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta

from flask import current_app
from huey import crontab
from sqlalchemy import or_, select, update

from leaders import mail, uow
from leaders.extensions import db
from leaders.outbox.jobs import huey, in_app
from leaders.outbox.models import PENDING, Email, EmailAttempt, Status
from leaders.timeutil import utcnow

log = logging.getLogger(__name__)

#: A pending row whose next attempt is this overdue has lost its job; the sweeper enqueues it again.
SWEEP_AFTER = timedelta(minutes=5)
MAX_DELAY = 60 * 60


@huey.task(name="outbox.deliver")
@in_app
def deliver(email_id: int) -> None:
    deliver_now(email_id)


def deliver_now(email_id: int) -> str:
    """Try to deliver one email; return what happened (sent, retrying, failed, busy or skipped)."""
    config = current_app.config
    now = utcnow()
    claimed = db.session.execute(
        update(Email)
        .where(
            Email.id == email_id,
            Email.status.in_(PENDING),
            Email.next_attempt_at <= now,
            or_(Email.claimed_until.is_(None), Email.claimed_until < now),
        )
        .values(
            claimed_until=now + timedelta(seconds=config["QUEUE_CLAIM_SECONDS"]),
            attempts=Email.attempts + 1,
        )
        .returning(Email.id)
    ).first()
    uow.commit()  # each step durable before the next (the worker is outside any unit)
    if claimed is None:
        return _not_claimed(email_id)
    email = db.session.get(Email, email_id)
    assert email is not None
    message = mail.Message(
        to=email.to_address,
        to_name=email.to_name,
        subject=email.subject,
        text=email.text,
        html=email.html,
        message_id=f"<email-{email.id}.{email.idempotency_key[:32]}@place-leaders>",
    )
    try:
        mail.send(message)
    except Exception as error:  # every failure is recorded on the row, none is lost in a log
        temporary, reason = classify(error)
        return _failed(email, temporary, reason)
    email.status = Status.SENT.value
    email.sent_at = utcnow()
    email.claimed_until = None
    email.last_error = ""
    db.session.add(EmailAttempt(email_id=email.id, outcome="sent"))
    uow.commit()
    return "sent"


def _not_claimed(email_id: int) -> str:
    email = db.session.get(Email, email_id)
    now = utcnow()
    if email is None or email.status not in PENDING:
        return "skipped"  # sent already, given up, or rolled back before it was ever committed
    if email.claimed_until is not None and email.claimed_until >= now:
        # Another job holds it: look again when its claim would expire, in case that job died.
        deliver.schedule((email_id,), eta=email.claimed_until + timedelta(seconds=1))
        return "busy"
    return "skipped"  # not due yet: the job scheduled for its next attempt will send it


def _failed(email: Email, temporary: bool, reason: str) -> str:
    config = current_app.config
    reason = reason[:500]
    email.claimed_until = None
    email.last_error = reason
    give_up = not temporary or email.attempts >= config["QUEUE_MAX_ATTEMPTS"]
    db.session.add(
        EmailAttempt(
            email_id=email.id, outcome="temporary" if temporary else "permanent", detail=reason
        )
    )
    if give_up:
        email.status = Status.FAILED.value
        uow.commit()
        log.warning("Email %s failed after %s attempts: %s", email.id, email.attempts, reason)
        return "failed"
    delay = min(config["QUEUE_RETRY_BASE_SECONDS"] * 2 ** (email.attempts - 1), MAX_DELAY)
    email.status = Status.RETRYING.value
    email.next_attempt_at = utcnow() + timedelta(seconds=delay)
    uow.commit()
    deliver.schedule((email.id,), delay=delay)
    return "retrying"


def classify(error: BaseException) -> tuple[bool, str]:
    """(temporary?, the reason to show) for a failure to send."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        replies = list(error.recipients.values())
        temporary = all(400 <= code < 500 for code, _ in replies)
        return temporary, "; ".join(f"{code} {_text(text)}" for code, text in replies)
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500, f"{error.smtp_code} {_text(error.smtp_error)}"
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return True, f"The mail server closed the connection: {error}"
    if isinstance(error, TimeoutError):
        return True, "The mail server did not answer in time"
    if isinstance(error, ConnectionRefusedError):
        return True, "The mail server refused the connection"
    if isinstance(error, OSError):
        return True, f"Could not reach the mail server: {error}"
    return False, f"The message could not be sent: {error}"


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def sweep() -> int:
    """Enqueue every pending email whose job was lost (the consumer died, or the enqueue failed)."""
    overdue = utcnow() - SWEEP_AFTER
    ids = db.session.scalars(
        select(Email.id).where(
            Email.status.in_(PENDING),
            Email.next_attempt_at < overdue,
            or_(Email.claimed_until.is_(None), Email.claimed_until < utcnow()),
        )
    ).all()
    for email_id in ids:
        deliver(email_id)
    return len(ids)


def requeue_pending() -> int:
    """At a consumer's start: a job for every pending email (a duplicate job is harmless)."""
    ids = db.session.scalars(select(Email.id).where(Email.status.in_(PENDING))).all()
    for email_id in ids:
        deliver(email_id)
    return len(ids)


@huey.periodic_task(crontab(minute="*/5"), name="outbox.sweep")
@in_app
def sweep_task() -> None:
    found = sweep()
    if found:
        log.info("Re-enqueued %s emails whose delivery job was lost", found)
