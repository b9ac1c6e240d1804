"""Changing, cancelling and deleting sessions, and who is told: the cohort's learners, or the set's
members."""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template, url_for
from sqlalchemy import delete, func, select

from leaders import audit, outbox, uow
from leaders.auth.models import User
from leaders.auth.rules import NotApplicable
from leaders.cohorts.access import CohortAccess
from leaders.cohorts.models import (
    Attendance,
    CohortMember,
    CohortRole,
    CohortSession,
    LearningSet,
    LearningSetMember,
)
from leaders.extensions import db
from leaders.filters import govuk_datetime
from leaders.timeutil import utcnow


@dataclass(frozen=True)
class Attendee:
    user_id: int
    name: str
    email: str


def attendees(session: CohortSession) -> list[Attendee]:
    """Who the session is for: a set's members, or all the cohort's learners (open accounts)."""
    query = (
        select(User.id, User.name, User.email)
        .join(CohortMember, CohortMember.user_id == User.id)
        .where(
            CohortMember.cohort_id == session.cohort_id,
            CohortMember.role == CohortRole.LEARNER.value,
            User.active.is_(True),
        )
        .order_by(func.lower(User.name))
    )
    if session.set_id is not None:
        query = query.join(
            LearningSetMember,
            (LearningSetMember.user_id == User.id) & (LearningSetMember.set_id == session.set_id),
        )
    return [Attendee(*row) for row in db.session.execute(query)]


def set_name(session: CohortSession) -> str | None:
    if session.set_id is None:
        return None
    return db.session.scalar(select(LearningSet.name).where(LearningSet.id == session.set_id))


def marks_recorded(session: CohortSession) -> int:
    return (
        db.session.scalar(
            select(func.count()).select_from(Attendance).where(Attendance.session_id == session.id)
        )
        or 0
    )


def tell_changed(access: CohortAccess, session: CohortSession) -> list[Attendee]:
    """Queue an email with a changed session's new details to each person it is for (sent after
    the caller's commit). One per person per change: the key carries the calendar SEQUENCE."""
    told = attendees(session)
    when = govuk_datetime(session.starts_at)
    for person in told:
        outbox.queue(
            to=person.email,
            to_name=person.name,
            subject=f"Changed: {session.title} on {when}",
            text=render_template(
                "cohorts/session_changed_email.txt",
                person=person,
                session=session,
                cohort=access.cohort,
                ics=url_for("cohorts.session_ics", session_id=session.id, _external=True),
                home=url_for("main.home", _external=True),
            ),
            kind="session-changed",
            cohort=access.cohort,
            user=person.user_id,
            key=f"session-changed-{session.id}-{session.sequence}-{person.user_id}",
        )
    return told


@uow.transactional
def cancel_session(
    access: CohortAccess, session: CohortSession, *, actor: audit.Ref
) -> list[Attendee]:
    """Cancel a session and queue an email to each attendee (sent after the commit).

    The calendar entry's SEQUENCE goes up and its STATUS becomes CANCELLED, so calendars drop it.
    """
    if session.is_cancelled:
        raise NotApplicable(f"{session.title} is already cancelled.")
    session.cancelled_at = utcnow()
    session.sequence = (session.sequence or 0) + 1
    told = attendees(session)
    for person in told:
        context = {
            "person": person,
            "session": session,
            "cohort": access.cohort,
            "when": govuk_datetime(session.starts_at),
            "home": url_for("main.home", _external=True),
        }
        outbox.queue(
            to=person.email,
            to_name=person.name,
            subject=f"Cancelled: {session.title} on {govuk_datetime(session.starts_at)}",
            text=render_template("cohorts/session_cancelled_email.txt", **context),
            kind="session-cancelled",
            cohort=access.cohort,
            user=person.user_id,
            key=f"session-cancelled-{session.id}-{person.user_id}",
        )
    audit.record(
        audit.Action.SESSION_CANCELLED,
        actor=actor,
        cohort=access.cohort,
        detail=f"{session.title}, {govuk_datetime(session.starts_at)}; "
        f"{len(told)} people told by email",
    )
    return told


@uow.transactional
def delete_session(access: CohortAccess, session: CohortSession, *, actor: audit.Ref) -> int:
    """Delete a session and its register. Returns how many attendance marks went with it."""
    marks = marks_recorded(session)
    detail = f"{session.title}, {govuk_datetime(session.starts_at)}"
    if marks:
        detail += f"; {marks} attendance marks deleted with it"
    db.session.execute(delete(Attendance).where(Attendance.session_id == session.id))
    db.session.delete(session)
    audit.record(audit.Action.SESSION_DELETED, actor=actor, cohort=access.cohort, detail=detail)
    return marks
