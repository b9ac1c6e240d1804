"""The audit log: who did what, to whom, in which cohort, and when.

Shared plumbing at the bottom of the layers: any feature records an event with `record`, which only
adds the row to the current session, so it is committed (or rolled back) with the change it
describes. Events with no change of their own (a failed sign-in, a refused page) use `record_now`.
Reading the log is `leaders.privacy.audit_log`'s job.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

import click
from flask import current_app, has_request_context, request
from flask.cli import AppGroup
from sqlalchemy import ForeignKey, Index, String, Text, delete, select
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.exceptions import HTTPException

from leaders import uow
from leaders.db_types import UTCDateTime
from leaders.extensions import Model, db, rowcount
from leaders.timeutil import utcnow


class Action(StrEnum):
    """Every kind of event the log holds. The values are stored; the labels are shown."""

    # Personal data seen or taken
    VIEWED_LEARNER = "viewed-learner"
    EXPORTED = "exported"
    DOWNLOADED_OWN_DATA = "downloaded-own-data"
    REQUESTED_ERASURE = "requested-erasure"
    ERASED = "erased"
    ACCESS_REFUSED = "access-refused"
    # Cohorts and their people
    COHORT_CREATED = "cohort-created"
    COHORT_CHANGED = "cohort-changed"
    COHORT_COPIED = "cohort-copied"
    COHORT_ARCHIVED = "cohort-archived"
    COHORT_UNARCHIVED = "cohort-unarchived"
    ADDED = "added"
    IMPORTED = "imported"
    ROLE_CHANGED = "role-changed"
    INVITATION_RESENT = "invitation-resent"
    EMAIL_SENT_AGAIN = "email-sent-again"
    REMOVED = "removed"
    SCHEDULE_CHANGED = "schedule-changed"
    SESSION_ADDED = "session-added"
    ATTENDANCE_MARKED = "attendance-marked"
    DUE_DATES_CHANGED = "changed-due-dates"
    REMINDED = "reminded"
    MOVED = "moved-cohort"
    MESSAGE_SENT = "message-sent"
    # The network
    SETS_CONFIRMED = "sets-confirmed"
    SETS_PROPOSED = "sets-proposed"
    SETS_DRAFT_CHANGED = "sets-draft-changed"
    SET_CHANGED = "set-changed"
    WAVE_OPENED = "wave-opened"
    WAVE_CLOSED = "wave-closed"
    # Organisations
    ORGANISATIONS_MERGED = "organisations-merged"
    # Certificates
    CREDENTIAL_ISSUED = "credential-issued"
    CREDENTIAL_REVOKED = "credential-revoked"
    CERTIFICATE_AWARDED = "certificate-awarded"
    CERTIFICATE_WITHHELD = "certificate-withheld"
    # Signing in
    SIGN_IN_FAILED = "sign-in-failed"
    LOCKED_OUT = "locked-out"
    # Accounts (the admin's user pages)
    ACCOUNT_ROLE_CHANGED = "account-role-changed"
    ACCOUNT_DEACTIVATED = "account-deactivated"
    ACCOUNT_REACTIVATED = "account-reactivated"
    PASSWORD_RESET_SENT = "password-reset-sent"  # noqa: S105 (an action, not a password)
    # Sessions and calendars
    SESSION_CHANGED = "session-changed"
    SESSION_CANCELLED = "session-cancelled"
    SESSION_DELETED = "session-deleted"
    CALENDAR_LINK_MADE = "calendar-link-made"
    SIGNED_IN = "signed-in"
    PROVIDER_LINKED = "provider-linked"
    PROVIDER_ADDED = "provider-added"
    PROVIDER_CHANGED = "provider-changed"
    MFA_SET_UP = "mfa-set-up"
    MFA_TURNED_OFF = "mfa-turned-off"
    MFA_FAILED = "mfa-failed"
    RECOVERY_CODE_USED = "recovery-code-used"
    RECOVERY_CODES_MADE = "recovery-codes-made"
    SESSIONS_ENDED = "sessions-ended"
    PASSWORD_CHANGED = "password-changed"  # noqa: S105  # an action's name, not a password
    # Reports
    QUOTE_CONSENT_WITHDRAWN = "quote-consent-withdrawn"
    REPORT_DOWNLOADED = "report-downloaded"

    @property
    def label(self) -> str:
        return LABELS[self]


LABELS: dict[Action, str] = {
    Action.VIEWED_LEARNER: "Viewed a learner's record",
    Action.EXPORTED: "Downloaded a report",
    Action.DOWNLOADED_OWN_DATA: "Downloaded their own data",
    Action.REQUESTED_ERASURE: "Asked for their data to be erased",
    Action.ERASED: "Erased a learner's personal data",
    Action.ACCESS_REFUSED: "Was refused learners' data",
    Action.COHORT_CREATED: "Set up a cohort",
    Action.COHORT_CHANGED: "Changed a cohort's details",
    Action.COHORT_COPIED: "Copied a cohort",
    Action.COHORT_ARCHIVED: "Archived a cohort",
    Action.COHORT_UNARCHIVED: "Brought a cohort back from the archive",
    Action.ADDED: "Added someone to a cohort",
    Action.IMPORTED: "Added someone by import",
    Action.ROLE_CHANGED: "Changed someone's cohort role",
    Action.INVITATION_RESENT: "Sent a new invitation",
    Action.EMAIL_SENT_AGAIN: "Sent an email again",
    Action.REMOVED: "Removed someone from a cohort",
    Action.SCHEDULE_CHANGED: "Changed the schedule",
    Action.SESSION_ADDED: "Added a session",
    Action.ATTENDANCE_MARKED: "Marked attendance",
    Action.DUE_DATES_CHANGED: "Changed a learner's due dates",
    Action.REMINDED: "Sent a reminder",
    Action.MOVED: "Moved someone to another cohort",
    Action.MESSAGE_SENT: "Sent a message",
    Action.SETS_CONFIRMED: "Confirmed learning sets",
    Action.SETS_PROPOSED: "Proposed learning sets",
    Action.SETS_DRAFT_CHANGED: "Changed proposed learning sets",
    Action.SET_CHANGED: "Changed a learning set",
    Action.WAVE_OPENED: "Opened a network survey",
    Action.WAVE_CLOSED: "Closed a network survey",
    Action.ORGANISATIONS_MERGED: "Merged organisations",
    Action.CREDENTIAL_ISSUED: "Issued a certificate",
    Action.CREDENTIAL_REVOKED: "Revoked a certificate",
    Action.CERTIFICATE_AWARDED: "Awarded a certificate by hand",
    Action.CERTIFICATE_WITHHELD: "Withheld a certificate",
    Action.SIGN_IN_FAILED: "Sign-in failed",
    Action.LOCKED_OUT: "Account locked",
    Action.ACCOUNT_ROLE_CHANGED: "Changed someone's role",
    Action.ACCOUNT_DEACTIVATED: "Deactivated an account",
    Action.ACCOUNT_REACTIVATED: "Reactivated an account",
    Action.PASSWORD_RESET_SENT: "Sent a password reset link",
    Action.SESSION_CHANGED: "Changed a session",
    Action.SESSION_CANCELLED: "Cancelled a session",
    Action.SESSION_DELETED: "Deleted a session",
    Action.CALENDAR_LINK_MADE: "Made a new calendar link",
    Action.SIGNED_IN: "Signed in",
    Action.PROVIDER_LINKED: "Linked an organisation sign-in",
    Action.PROVIDER_ADDED: "Added an identity provider",
    Action.PROVIDER_CHANGED: "Changed an identity provider",
    Action.MFA_SET_UP: "Set up two-factor authentication",
    Action.MFA_TURNED_OFF: "Turned off two-factor authentication",
    Action.MFA_FAILED: "Two-factor code refused",
    Action.RECOVERY_CODE_USED: "Used a recovery code",
    Action.RECOVERY_CODES_MADE: "Made new recovery codes",
    Action.SESSIONS_ENDED: "Ended signed-in sessions",
    Action.PASSWORD_CHANGED: "Changed their password",
    Action.QUOTE_CONSENT_WITHDRAWN: "Withdrew consent to quote a reflection",
    Action.REPORT_DOWNLOADED: "Downloaded an impact report",
}


def label(value: str) -> str:
    """The label for a stored action; an action no longer known is shown as stored."""
    try:
        return Action(value).label
    except ValueError:
        return value.replace("-", " ")


class AuditEvent(Model):
    """One event: who did it (actor), to whom (subject), in which cohort. Written with the change."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_created_at", "created_at"),
        Index("ix_audit_event_cohort_created", "cohort_id", "created_at"),
        Index("ix_audit_event_actor_created", "actor_id", "created_at"),
        Index("ix_audit_event_action_created", "action", "created_at"),
        Index("ix_audit_event_subject_id", "subject_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Who did it; None when no one was signed in (a failed sign-in) or the account is gone.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    #: One of `Action`'s values.
    action: Mapped[str] = mapped_column(String(40))
    #: The person affected, if one is.
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohort.id", ondelete="SET NULL"))
    #: What exactly, in words ("W1 workshop: absent", "progress.csv, 30 rows").
    detail: Mapped[str] = mapped_column(Text, default="")
    #: The address the request came from.
    ip: Mapped[str | None] = mapped_column(String(45))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class HasId(Protocol):
    @property
    def id(self) -> int: ...


#: What `record` takes for the actor, cohort and subject: a row (or signed-in user), an id, or nothing.
Ref = HasId | int | None


def _id(value: Ref) -> int | None:
    return value if value is None or isinstance(value, int) else value.id


def record(
    action: Action,
    *,
    actor: Ref,
    cohort: Ref = None,
    subject: Ref = None,
    detail: str = "",
) -> AuditEvent:
    """Add an event to the current session, without committing: it commits with the change.

    ``actor``, ``cohort`` and ``subject`` are ids or objects with an ``id``.
    """
    event = AuditEvent(
        actor_id=_id(actor),
        action=Action(action).value,
        subject_id=_id(subject),
        cohort_id=_id(cohort),
        detail=detail[:500],
        ip=request.remote_addr[:45] if has_request_context() and request.remote_addr else None,
    )
    db.session.add(event)
    return event


def record_now(
    action: Action,
    *,
    actor: Ref,
    cohort: Ref = None,
    subject: Ref = None,
    detail: str = "",
) -> None:
    """Record and commit an event that has no change of its own to share a transaction with."""
    record(action, actor=actor, cohort=cohort, subject=subject, detail=detail)
    uow.commit_now()  # kept even when the unit it sits in goes on to fail (a refusal's 403)


def _exists(table: str, row_id: object) -> bool:
    if not isinstance(row_id, int):
        return False
    column = db.metadata.tables[table].c.id
    return db.session.execute(select(column).where(column == row_id)).first() is not None


@contextmanager
def refusals(
    actor: Ref, *, cohort: int | None = None, subject: int | None = None, what: str
) -> Iterator[None]:
    """Record a 403 or 404 raised inside the block as a refused look at learners' data."""
    try:
        yield
    except HTTPException as error:
        if error.code in (403, 404) and _id(actor) is not None:
            db.session.rollback()
            known_cohort = cohort if _exists("cohort", cohort) else None
            known_subject = subject if _exists("user", subject) else None
            missing = []
            if cohort is not None and known_cohort is None:
                missing.append(f"cohort {cohort} does not exist")
            if subject is not None and known_subject is None:
                missing.append(f"person {subject} does not exist")
            record_now(
                Action.ACCESS_REFUSED,
                actor=actor,
                cohort=known_cohort,
                subject=known_subject,
                detail="; ".join([f"{what}: {error.code}", *missing]),
            )
        raise


# Retention -------------------------------------------------------------------------------------


@uow.transactional
def prune(days: int, now: datetime | None = None) -> int:
    """Delete events older than ``days`` days; the number deleted."""
    cutoff = (now or utcnow()) - timedelta(days=days)
    result = db.session.execute(delete(AuditEvent).where(AuditEvent.created_at < cutoff))
    return rowcount(result)


audit_cli = AppGroup("audit", help="The audit log.")


@audit_cli.command("prune")
@click.option(
    "--days",
    type=click.IntRange(min=1),
    default=None,
    help="Keep this many days (default: the AUDIT_RETENTION_DAYS setting).",
)
def prune_command(days: int | None) -> None:
    """Delete audit entries older than the retention period. Safe to run daily."""
    keep = days or current_app.config["AUDIT_RETENTION_DAYS"]
    deleted = prune(keep)
    click.echo(
        f"Deleted {deleted} audit {'entry' if deleted == 1 else 'entries'} older than {keep} days."
    )
