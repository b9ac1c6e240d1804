"""Delivery through the real queue: a consumer process, a real SMTP server, no mock of smtplib."""

from __future__ import annotations

import random
import time
from collections import Counter

from sqlalchemy import func, select

from leaders import outbox
from leaders.extensions import db
from leaders.outbox.models import Email, EmailAttempt
from tests.queue.consumer import wait_for


def _queue(n: int = 1, prefix: str = "person") -> list[int]:
    emails = [
        outbox.queue(
            to=f"{prefix}{i}@example.org",
            to_name=f"Person {i}",
            subject=f"Hello {i}",
            text="Plain words.",
            html="<p>Plain words.</p>",
            kind="test",
        )
        for i in range(n)
    ]
    db.session.commit()
    return [e.id for e in emails]


def _statuses() -> Counter:
    db.session.expire_all()
    return Counter(db.session.scalars(select(Email.status)).all())


def test_a_committed_email_is_delivered_and_a_rolled_back_one_never_is(app, smtp, consumers):
    outbox.queue(to="never@example.org", subject="Rolled back", text="No.", kind="test")
    db.session.rollback()
    [email_id] = _queue(1)
    consumers()
    wait_for(lambda: _statuses() == Counter(sent=1), what="the email to be sent")
    assert smtp.handler.recipients() == ["person0@example.org"]
    email = db.session.get(Email, email_id)
    assert email.attempts == 1
    assert email.sent_at is not None
    assert email.last_error == ""
    assert smtp.handler.received[0]["message_id"].startswith(f"<email-{email_id}.")


def test_temporary_refusals_are_retried_with_back_off_and_each_attempt_recorded(
    app, smtp, consumers
):
    smtp.handler.replies = ["451 4.3.0 Mailbox busy, try later", "421 4.7.0 Too many connections"]
    [email_id] = _queue(1)
    consumers(QUEUE_RETRY_BASE_SECONDS=1)
    wait_for(lambda: _statuses() == Counter(sent=1), timeout=30, what="the third attempt")
    email = db.session.get(Email, email_id)
    assert email.attempts == 3
    attempts = db.session.scalars(
        select(EmailAttempt).where(EmailAttempt.email_id == email_id).order_by(EmailAttempt.id)
    ).all()
    assert [a.outcome for a in attempts] == ["temporary", "temporary", "sent"]
    assert attempts[0].detail == "451 4.3.0 Mailbox busy, try later"
    # Back-off: 1 s after the first failure, 2 s after the second.
    assert (attempts[2].at - attempts[1].at).total_seconds() >= 1.9
    assert (attempts[1].at - attempts[0].at).total_seconds() >= 0.9
    assert smtp.handler.recipients() == ["person0@example.org"]


def test_a_permanent_refusal_stops_at_once_with_the_servers_reason(app, smtp, consumers):
    smtp.handler.replies = ["550 5.1.1 No such user here"]
    [email_id] = _queue(1)
    consumers(QUEUE_RETRY_BASE_SECONDS=1)
    wait_for(lambda: _statuses() == Counter(failed=1), what="the email to fail")
    time.sleep(1.5)  # long enough for a retry, if there were one
    email = db.session.get(Email, email_id)
    assert (email.status, email.attempts) == ("failed", 1)
    assert email.last_error == "550 5.1.1 No such user here"
    assert smtp.handler.received == []


def test_a_mail_server_that_is_down_is_waited_for(app, smtp, consumers):
    smtp.stop()
    _queue(3)
    consumers(QUEUE_RETRY_BASE_SECONDS=1)
    wait_for(lambda: _statuses() == Counter(retrying=3), what="the refusals")
    db.session.expire_all()
    assert set(db.session.scalars(select(Email.last_error))) == {
        "The mail server refused the connection"
    }
    smtp.start()
    wait_for(lambda: _statuses() == Counter(sent=3), timeout=30, what="delivery once it is up")
    assert sorted(smtp.handler.recipients()) == [f"person{i}@example.org" for i in range(3)]


def test_a_consumer_killed_mid_batch_and_started_again_delivers_each_email_exactly_once(
    app, smtp, consumers
):
    smtp.handler.rcpt_delay = 0.15  # each send takes a while, so the kill lands inside one
    ids = _queue(24)
    first = consumers(workers=2, QUEUE_CLAIM_SECONDS=2)
    wait_for(lambda: len(smtp.handler.received) >= random.randint(3, 10), what="some deliveries")
    # SIGKILL while a message is in the middle of its SMTP conversation (claimed, not yet sent).
    wait_for(smtp.handler.holding.is_set, what="a send in progress")
    first.kill()
    delivered_before = len(smtp.handler.received)
    assert 0 < delivered_before < len(ids)
    consumers(workers=2, QUEUE_CLAIM_SECONDS=2)
    wait_for(lambda: _statuses() == Counter(sent=len(ids)), timeout=60, what="every email")
    counts = Counter(smtp.handler.recipients())
    assert sorted(counts) == sorted(f"person{i}@example.org" for i in range(len(ids)))
    assert set(counts.values()) == {1}, "an email arrived twice"
    assert db.session.scalar(select(func.count()).select_from(EmailAttempt)) == len(ids)
