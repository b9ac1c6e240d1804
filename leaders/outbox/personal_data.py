"""What the outbox holds about a person: the emails sent to them, and each try at sending one."""

from __future__ import annotations

from sqlalchemy import select, update

from leaders import personal_data
from leaders.extensions import db
from leaders.outbox.models import ERASED_NAME, PENDING, Email, EmailAttempt, Status


def _emails(user_id: int) -> list[dict]:
    """The person's own emails: what each was about and how it went (never a body: links in it)."""
    return personal_data.rows(
        select(Email.subject, Email.kind, Email.status, Email.queued_at, Email.sent_at)
        .where(Email.user_id == user_id)
        .order_by(Email.queued_at, Email.id)
    )


def _erase_emails(user_id: int) -> None:
    """Address, name and words go, and the account link; the row stays for the cohort's counts.

    An email still on its way is stopped (failed, saying why), so nothing goes to an erased person.
    """
    mine = select(Email.id).where(Email.user_id == user_id).scalar_subquery()
    db.session.execute(
        update(EmailAttempt).where(EmailAttempt.email_id.in_(mine)).values(detail="")
    )
    db.session.execute(
        update(Email)
        .where(Email.user_id == user_id, Email.status.in_(PENDING))
        .values(status=Status.FAILED.value, last_error="Not sent: the recipient's data was erased.")
    )
    db.session.execute(
        update(Email)
        .where(Email.user_id == user_id)
        .values(
            user_id=None,
            to_address=f"erased-{user_id}@erased.invalid",
            to_name=ERASED_NAME,
            text="",
            html=None,
        )
    )


personal_data.register(
    "emails.json",
    # email_attempt refers to a person only through its email: the server's replies may quote
    # the address, so erasure blanks them too.
    tables=["email", "email_attempt"],
    shown_as="the emails sent to you",
    export=_emails,
    erase=_erase_emails,
)
