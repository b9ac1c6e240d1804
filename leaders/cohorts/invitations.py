"""Invitations: the email with a link to set a password and join a cohort.

It carries what a new person needs: the programme's dates, the first session (when and where) and
whom to ask (the cohort's programme managers). Queued in the outbox, sent after the commit.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, render_template, url_for
from sqlalchemy import func, select

from leaders import outbox
from leaders.auth import tokens
from leaders.auth.models import User
from leaders.cohorts.models import Cohort, CohortMember, CohortRole, CohortSession
from leaders.extensions import db
from leaders.timeutil import utcnow


def why_not_invite(user: User) -> str | None:
    """Why this person cannot be sent an invitation (they can sign in already, or are erased)."""
    if not user.active:
        return f"{user.name}'s account is closed, so no invitation can be sent."
    if user.joined_at is not None:
        return (
            f"{user.name} has already taken up their account, so there is no invitation to resend. "
            "They can sign in, or reset their password from the sign-in page."
        )
    return None


@dataclass(frozen=True)
class InvitationFacts:
    """What an invitation says about the programme: its dates, first session and whom to ask."""

    #: The next session that has not started yet, if the cohort has any.
    first_session: CohortSession | None
    #: The cohort's programme managers: (name, email), by name.
    contacts: list[tuple[str, str]]


def invitation_facts(cohort: Cohort) -> InvitationFacts:
    """Read once for a batch of invitations (two queries)."""
    first = db.session.execute(
        select(CohortSession)
        .where(CohortSession.cohort_id == cohort.id, CohortSession.starts_at >= utcnow())
        .order_by(CohortSession.starts_at, CohortSession.id)
        .limit(1)
    ).scalar_one_or_none()
    contacts = [
        (name, email)
        for name, email in db.session.execute(
            select(User.name, User.email)
            .join(CohortMember, CohortMember.user_id == User.id)
            .where(
                CohortMember.cohort_id == cohort.id,
                CohortMember.role == CohortRole.PROGRAMME_MANAGER.value,
                User.active.is_(True),
            )
            .order_by(func.lower(User.name))
        )
    ]
    return InvitationFacts(first, contacts)


def send_invitation(user: User, cohort: Cohort, facts: InvitationFacts | None = None) -> None:
    """Queue an email with a time-limited link to set a password and join (sent after the commit).

    It says when the programme runs, when and where the first session is, and whom to ask.
    """
    facts = facts or invitation_facts(cohort)
    link = url_for(
        "auth.accept_invitation", token=tokens.make_token(user, "invite"), _external=True
    )
    days = current_app.config["INVITATION_MAX_AGE"] // 86400
    context = {
        "user": user,
        "cohort": cohort,
        "link": link,
        "days": days,
        "first_session": facts.first_session,
        "contacts": facts.contacts,
    }
    outbox.queue(
        to=user.email,
        to_name=user.name,
        subject=f"You are invited to {cohort.name} on Place Leaders",
        text=render_template("cohorts/email/invitation.txt", **context),
        html=render_template("cohorts/email/invitation.html", **context),
        kind="invitation",
        cohort=cohort,
        user=user,
    )


def send_invitations(users: list[User], cohort: Cohort) -> int:
    """Queue each invitation in the outbox (no commit); the queue delivers them after the commit."""
    facts = invitation_facts(cohort) if users else None
    for user in users:
        send_invitation(user, cohort, facts)
    return len(users)
