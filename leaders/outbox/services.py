"""Reading the outbox for the Emails pages, and sending an email again."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import func, select

from leaders.extensions import db
from leaders.outbox.enqueue import queue
from leaders.outbox.models import ERASED_NAME, Email, Status

PER_PAGE = 50


@dataclass
class Filters:
    status: Status | None = None
    page: int = 1
    errors: list[dict] = field(default_factory=list)

    def query_args(self, page: int | None = None) -> dict[str, str | int]:
        args: dict[str, str | int] = {}
        if self.status:
            args["status"] = self.status.value
        if page and page > 1:
            args["page"] = page
        return args


def read_filters(args: Mapping[str, str]) -> Filters:
    filters = Filters()
    status = args.get("status", "")
    if status:
        try:
            filters.status = Status(status)
        except ValueError:
            filters.errors.append({"text": "Choose a status from the list", "href": "#status"})
    page = args.get("page", "1")
    filters.page = int(page) if page.isdigit() and 0 < int(page) < 10**6 else 1
    return filters


@dataclass
class EmailPage:
    emails: list[Email]
    total: int
    page: int
    pages: int
    counts: dict[str, int]


def page_of(filters: Filters, cohort_id: int | None = None) -> EmailPage:
    """Newest first; ``cohort_id`` None: every email (the admins' page)."""
    where = [] if cohort_id is None else [Email.cohort_id == cohort_id]
    counts = dict(
        db.session.execute(
            select(Email.status, func.count()).where(*where).group_by(Email.status)
        ).all()
    )
    if filters.status:
        where.append(Email.status == filters.status.value)
    total = db.session.scalar(select(func.count()).select_from(Email).where(*where)) or 0
    pages = max(1, -(-total // PER_PAGE))
    page = min(filters.page, pages)
    emails = db.session.scalars(
        select(Email)
        .where(*where)
        .order_by(Email.queued_at.desc(), Email.id.desc())
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    ).all()
    return EmailPage(
        list(emails), total, page, pages, {s.value: counts.get(s.value, 0) for s in Status}
    )


def find(email_id: int, cohort_id: int | None = None) -> Email | None:
    email = db.session.get(Email, email_id)
    if email is None or (cohort_id is not None and email.cohort_id != cohort_id):
        return None
    return email


def can_send_again(email: Email) -> bool:
    """Sent and failed emails can be sent again; queued and retrying ones are on their way. An
    email whose recipient's data was erased has no address or words left to send."""
    if email.user_id is None and email.to_name == ERASED_NAME and not email.text:
        return False
    return email.status in (Status.SENT.value, Status.FAILED.value)


def send_again(email: Email) -> Email:
    """Queue a copy of this email, same words and links (no commit: it commits with its audit record)."""
    return queue(
        to=email.to_address,
        to_name=email.to_name,
        subject=email.subject,
        text=email.text,
        html=email.html,
        kind=email.kind,
        cohort=email.cohort_id,
        user=email.user_id,
    )
