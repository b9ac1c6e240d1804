"""Accounts: finding, authenticating, creating users and resetting passwords."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import render_template, url_for
from sqlalchemy import bindparam, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from leaders import audit, mail
from leaders.auth import tokens
from leaders.auth.models import Role, SignedInUser, User, email_key
from leaders.extensions import db
from leaders.timeutil import as_utc, utcnow

log = logging.getLogger(__name__)

#: Checked when no account matches, so a wrong email takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password-just-for-timing")
LAST_ACTIVE_RESOLUTION = timedelta(minutes=5)


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


class AccountLocked(Exception):
    """Too many wrong passwords: sign-in is refused until `until`, even with the right one."""

    def __init__(self, until: datetime) -> None:
        self.until = until
        super().__init__(until.isoformat())


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, or None. AccountLocked after repeated failures."""
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
        raise AccountLocked(locked_until)
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
        db.session.commit()
        if user.locked_until and as_utc(user.locked_until) > now:
            raise AccountLocked(as_utc(user.locked_until))
        return None
    if not user.active:
        audit.record_now(audit.Action.SIGN_IN_FAILED, actor=None, subject=user, detail="inactive")
        return None
    return user


_signed_in_query = select(*SignedInUser.COLUMNS).where(User.id == bindparam("id"))


def signed_in_user(user_id: int, session_version: int) -> SignedInUser | None:
    """The active user with this id whose sessions have not been ended since this one began."""
    row = db.session.connection().execute(_signed_in_query, {"id": user_id}).first()
    if row is None or row.session_version != session_version or not row.active:
        return None
    return SignedInUser(row)


def record_sign_in(user: User) -> None:
    now = utcnow()
    user.last_sign_in_at = now
    user.last_active_at = now
    user.failed_sign_ins = 0
    user.locked_until = None
    db.session.commit()


def touch_last_active(user: SignedInUser) -> None:
    """Note that the user is active, at most once every few minutes (it is a write)."""
    now = utcnow()
    last = as_utc(user.last_active_at)
    if last is None or now - last >= LAST_ACTIVE_RESOLUTION:
        db.session.execute(update(User).where(User.id == user.id).values(last_active_at=now))
        db.session.commit()


def create_user(
    email: str,
    name: str,
    *,
    password: str | None = None,
    role: Role = Role.LEARNER,
    job_title: str = "",
    commit: bool = True,
) -> User:
    email = email.strip()
    if find_by_email(email) is not None:
        raise AccountError(f"An account with the email address {email} already exists")
    user = User(email=email, name=name.strip(), job_title=job_title.strip(), role=role.value)
    if password:
        user.set_password(password)
    db.session.add(user)
    if commit:
        db.session.commit()
    return user


def send_password_reset(email: str) -> None:
    """Email a reset link if an active account has this address; say nothing either way."""
    user = find_by_email(email)
    if user is None or not user.active:
        log.info("Password reset asked for an address with no active account")
        return
    link = url_for("auth.reset_password", token=tokens.make_token(user, "reset"), _external=True)
    context = {"user": user, "link": link, "minutes": _minutes("PASSWORD_RESET_MAX_AGE")}
    mail.send(
        mail.Message(
            to=user.email,
            subject="Reset your Place Leaders password",
            text=render_template("auth/email/reset.txt", **context),
            html=render_template("auth/email/reset.html", **context),
        )
    )


def _minutes(setting: str) -> int:
    from flask import current_app

    return current_app.config[setting] // 60


def user_for_token(token: str, purpose: str = "reset") -> User:
    """The user a password link is for; TokenError if it is forged, expired or used."""
    user = db.session.get(User, tokens.read_token(token, purpose))
    if user is None or not user.active:
        raise tokens.TokenError("This link is not valid.")
    tokens.check_fresh(token, user, purpose)
    return user


def set_password(user: User, password: str) -> None:
    """Set a new password and end every other signed-in session of this user."""
    user.set_password(password)
    user.session_version += 1
    db.session.commit()
