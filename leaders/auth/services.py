"""Accounts: finding, authenticating, creating users and resetting passwords."""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app, render_template, url_for
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from leaders import audit, outbox, uow
from leaders.auth import sessions, tokens
from leaders.auth.models import Role, User, email_key
from leaders.extensions import db
from leaders.timeutil import as_utc, utcnow
from leaders.upsert import insert

log = logging.getLogger(__name__)

#: Checked when no account matches, so a wrong email takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password-just-for-timing")


class AccountError(ValueError):
    """An account cannot be created or changed as asked."""


def find_by_email(email: str) -> User | None:
    """The account with this address, whatever its case (folded in Python: see `email_key`)."""
    return db.session.execute(
        select(User).where(User.email_key == email_key(email))
    ).scalar_one_or_none()


#: Wrong passwords in a row before an account is locked, and for how long.
MAX_FAILED_SIGN_INS = 5
LOCKOUT = timedelta(minutes=15)


@uow.transactional
def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, or None.

    Every failure looks the same, whether the address has an account, the password is wrong or the
    account is locked after repeated wrong passwords: the answer must not tell anyone which
    addresses have accounts. Each path checks a password hash, so each takes as long.
    """
    user = find_by_email(email)
    if user is None or not user.password_hash:
        check_password_hash(_DUMMY_HASH, password)
        why = "no password set yet" if user else "no account with that address"
        audit.record_now(audit.Action.SIGN_IN_FAILED, actor=None, subject=user, detail=why)
        return None
    now = utcnow()
    locked_until = as_utc(user.locked_until)
    if locked_until and locked_until > now:
        audit.record_now(
            audit.Action.SIGN_IN_FAILED, actor=None, subject=user, detail="account locked"
        )
        check_password_hash(_DUMMY_HASH, password)  # refused even if right, in the same time
        return None
    if not user.check_password(password):
        user.failed_sign_ins += 1
        audit.record(audit.Action.SIGN_IN_FAILED, actor=None, subject=user, detail="wrong password")
        if user.failed_sign_ins >= MAX_FAILED_SIGN_INS:
            user.failed_sign_ins = 0
            user.locked_until = now + LOCKOUT
            audit.record(
                audit.Action.LOCKED_OUT,
                actor=None,
                subject=user,
                detail=f"for {LOCKOUT // timedelta(minutes=1)} minutes",
            )
        return None
    if not user.active:
        audit.record_now(audit.Action.SIGN_IN_FAILED, actor=None, subject=user, detail="inactive")
        return None
    return user


@uow.transactional
def record_sign_in(user: User, how: str = "password") -> None:
    audit.record(audit.Action.SIGNED_IN, actor=user, subject=user, detail=how)
    now = utcnow()
    user.last_sign_in_at = now
    user.last_active_at = now
    user.failed_sign_ins = 0
    user.locked_until = None


@uow.transactional
def create_user(
    email: str,
    name: str,
    *,
    password: str | None = None,
    role: Role = Role.LEARNER,
    job_title: str = "",
) -> User:
    email = email.strip()
    if find_by_email(email) is not None:
        raise AccountError(f"An account with the email address {email} already exists")
    user = User(email=email, name=name.strip(), job_title=job_title.strip(), role=role.value)
    if password:
        user.set_password(password)
    db.session.add(user)
    return user


def create_user_once(email: str, name: str, *, job_title: str = "") -> User:
    """The account with this address, created now unless it exists (no commit).

    Safe when the same address is added twice at once (a double submit): the unique index decides,
    and both get the one account, without an error.
    """
    email = email.strip()
    stmt = insert(User).values(
        email=email,
        email_key=email_key(email),
        name=name.strip(),
        job_title=job_title.strip(),
        role=Role.LEARNER.value,
    )
    # The unique key decides: ÉVA@x.org and éva@x.org are one person (see email_key).
    db.session.execute(stmt.on_conflict_do_nothing(index_elements=[User.email_key]))
    user = find_by_email(email)
    assert user is not None
    return user


@uow.transactional
def send_password_reset(email: str) -> None:
    """Email a reset link if an active account has this address; say nothing either way."""
    user = find_by_email(email)
    if user is None or not user.active:
        log.info("Password reset asked for an address with no active account")
        return
    link = url_for("auth.reset_password", token=tokens.make_token(user, "reset"), _external=True)
    context = {"user": user, "link": link, "minutes": _minutes("PASSWORD_RESET_MAX_AGE")}
    outbox.queue(
        to=user.email,
        to_name=user.name,
        subject="Reset your Place Leaders password",
        text=render_template("auth/email/reset.txt", **context),
        html=render_template("auth/email/reset.html", **context),
        kind="password-reset",
        user=user,
    )  # the outbox sends it once the unit commits


def _minutes(setting: str) -> int:
    return current_app.config[setting] // 60


def user_for_token(token: str, purpose: str = "reset") -> User:
    """The user a password link is for; TokenError if it is forged, expired or used."""
    user = db.session.get(User, tokens.read_token(token, purpose))
    if user is None or not user.active:
        raise tokens.TokenError("This link is not valid.")
    tokens.check_fresh(token, user, purpose)
    return user


@uow.transactional
def set_password(user: User, password: str) -> None:
    """Set a new password and end every signed-in session of this user (sign in again to go on)."""
    user.set_password(password)
    user.session_version += 1
    sessions.end_all(user.id)
