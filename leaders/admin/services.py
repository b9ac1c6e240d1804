"""One account seen by an admin, and what an admin may do to it: each change checked, then audited.

The rules, checked here (the pages only offer what these allow):
- an admin cannot change their own role or deactivate themselves (another admin must);
- the last active admin keeps that role and stays active (there must always be one);
- an erased account stays closed: reactivating it is refused;
- an invitation goes again only to someone still invited; a reset link only to an open account
  someone has taken up (an invited person is sent their invitation instead).
Emails go through the outbox, sent once the unit of work commits.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from leaders import audit, uow
from leaders.admin.users import Status, status_of
from leaders.auth import services as accounts
from leaders.auth import sessions
from leaders.auth.models import Role, User
from leaders.cohorts import services as cohorts
from leaders.cohorts.models import Cohort, CohortMember, CohortRole
from leaders.extensions import db
from leaders.organisations.models import Organisation
from leaders.privacy.models import ErasureRequest


class Refused(Exception):
    """The change is not allowed for this account; the message says why, for the admin."""


@dataclass(frozen=True)
class Membership:
    cohort: Cohort
    role: CohortRole


@dataclass(frozen=True)
class Account:
    """One user with what the detail page shows: organisation, status, cohorts and roles."""

    user: User
    organisation: Organisation | None
    status: Status
    erased: bool
    memberships: list[Membership]

    @property
    def role(self) -> Role:
        return self.user.role_enum


def get_user(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def is_erased(user_id: int) -> bool:
    return (
        db.session.execute(
            select(ErasureRequest.id).where(
                ErasureRequest.user_id == user_id, ErasureRequest.completed_at.is_not(None)
            )
        ).first()
        is not None
    )


def account(user: User) -> Account:
    organisation = (
        db.session.get(Organisation, user.organisation_id) if user.organisation_id else None
    )
    memberships = [
        Membership(cohort, CohortRole(role))
        for cohort, role in db.session.execute(
            select(Cohort, CohortMember.role)
            .join(CohortMember, CohortMember.cohort_id == Cohort.id)
            .where(CohortMember.user_id == user.id)
            .order_by(Cohort.starts_on.desc(), Cohort.id.desc())
        )
    ]
    return Account(user, organisation, status_of(user), is_erased(user.id), memberships)


def _active_admins(*, lock: bool = False) -> list[int]:
    query = select(User.id).where(User.role == Role.ADMIN.value, User.active.is_(True))
    if lock:
        # On PostgreSQL two admins demoting each other at once wait here, and the second then
        # counts what the first left: never no admin at all.
        query = query.with_for_update()
    return list(db.session.execute(query).scalars())


def _is_last_admin(user: User) -> bool:
    return user.is_admin and user.active and _active_admins(lock=True) == [user.id]


def why_not_change_role(actor_id: int, user: User) -> str | None:
    if user.id == actor_id:
        return "You cannot change your own role. Ask another admin to do it."
    if is_erased(user.id):
        return "This account has been erased, so its role cannot change."
    return None


@uow.transactional
def change_role(actor_id: int, user_id: int, role: Role) -> Role:
    """Give the user a new global role; the role they had. Refused: see the module's rules."""
    user = db.session.get_one(User, user_id)
    refusal = why_not_change_role(actor_id, user)
    if refusal:
        raise Refused(refusal)
    before = user.role_enum
    if before == role:
        raise Refused(f"{user.name} is already {_a(role)}.")
    if before == Role.ADMIN and _is_last_admin(user):
        raise Refused(f"{user.name} is the only admin. Make someone else an admin first.")
    user.role = role.value
    audit.record(
        audit.Action.ACCOUNT_ROLE_CHANGED,
        actor=actor_id,
        subject=user.id,
        detail=f"{before.label} to {role.label.lower()}",
    )
    return before


def _a(role: Role) -> str:
    return ("an " if role == Role.ADMIN else "a ") + role.label.lower()


def why_not_deactivate(actor_id: int, user: User) -> str | None:
    if user.id == actor_id:
        return "You cannot deactivate your own account. Ask another admin to do it."
    if not user.active:
        return f"{user.name}'s account is already deactivated."
    return None


@uow.transactional
def deactivate(actor_id: int, user_id: int) -> None:
    """Close the account: they cannot sign in, every session ends and emailed links stop working."""
    user = db.session.get_one(User, user_id)
    refusal = why_not_deactivate(actor_id, user)
    if refusal:
        raise Refused(refusal)
    if _is_last_admin(user):
        raise Refused(f"{user.name} is the only admin. Make someone else an admin first.")
    user.active = False
    user.session_version += 1
    sessions.end_all(user.id)
    audit.record(audit.Action.ACCOUNT_DEACTIVATED, actor=actor_id, subject=user.id)


def why_not_reactivate(user: User) -> str | None:
    if is_erased(user.id):
        return (
            "This account was erased at the person's request: their details are gone, so it "
            "cannot be reopened. If they come back, add them again as a new person."
        )
    if user.active:
        return f"{user.name}'s account is already active."
    return None


@uow.transactional
def reactivate(actor_id: int, user_id: int) -> None:
    user = db.session.get_one(User, user_id)
    refusal = why_not_reactivate(user)
    if refusal:
        raise Refused(refusal)
    user.active = True
    user.failed_sign_ins = 0
    user.locked_until = None
    audit.record(audit.Action.ACCOUNT_REACTIVATED, actor=actor_id, subject=user.id)


def invitation_cohort(user: User) -> Cohort | None:
    """The cohort an invitation is for: the newest one the person is in."""
    return db.session.execute(
        select(Cohort)
        .join(CohortMember, CohortMember.cohort_id == Cohort.id)
        .where(CohortMember.user_id == user.id)
        .order_by(Cohort.starts_on.desc(), Cohort.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def why_not_resend(user: User) -> str | None:
    refusal = cohorts.why_not_invite(user)
    if refusal:
        return refusal
    if invitation_cohort(user) is None:
        return (
            f"{user.name} is not in any cohort, and an invitation is to a cohort. "
            "Add them to a cohort: that sends one."
        )
    return None


@uow.transactional
def resend_invitation(actor_id: int, user_id: int) -> Cohort:
    user = db.session.get_one(User, user_id)
    refusal = why_not_resend(user)
    if refusal:
        raise Refused(refusal)
    cohort = invitation_cohort(user)
    assert cohort is not None
    cohorts.send_invitation(user, cohort)
    audit.record(audit.Action.INVITATION_RESENT, actor=actor_id, cohort=cohort, subject=user.id)
    return cohort


def why_not_reset(user: User) -> str | None:
    if not user.active:
        return f"{user.name}'s account is deactivated, so no reset link can be sent."
    if user.joined_at is None:
        return (
            f"{user.name} has not taken up their account yet. Send their invitation again "
            "instead: it lets them set a password."
        )
    return None


@uow.transactional
def send_reset_link(actor_id: int, user_id: int) -> None:
    user = db.session.get_one(User, user_id)
    refusal = why_not_reset(user)
    if refusal:
        raise Refused(refusal)
    accounts.send_password_reset(user.email)  # the same email and link as "Forgotten password"
    audit.record(audit.Action.PASSWORD_RESET_SENT, actor=actor_id, subject=user.id)
