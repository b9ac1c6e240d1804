"""Two-factor authentication for people who sign in with a password: TOTP and recovery codes.

Required for the roles in MFA_REQUIRED_ROLES (admins and programme managers), optional for others.
A sign-in through an organisation's identity provider skips it: the provider does its own MFA.
The TOTP seed is encrypted at rest; each code is accepted once (its time step is remembered), and
the ten recovery codes are stored hashed and each works once.
"""

from __future__ import annotations

import secrets

import pyotp
import segno
from flask import current_app
from markupsafe import Markup
from sqlalchemy import delete, select
from werkzeug.security import check_password_hash, generate_password_hash

from leaders import audit, uow
from leaders.auth import crypto
from leaders.auth.identity_models import RecoveryCode, TotpCredential
from leaders.auth.models import User
from leaders.auth.services import LOCKOUT, MAX_FAILED_SIGN_INS
from leaders.extensions import db
from leaders.timeutil import as_utc, utcnow

ISSUER = "Place Leaders"
RECOVERY_CODES = 10
#: Codes a step either side of now are accepted (a phone's clock a little off).
VALID_WINDOW = 1


def required_for(user: User) -> bool:
    return user.role in current_app.config["MFA_REQUIRED_ROLES"].split()


def credential(user_id: int) -> TotpCredential | None:
    return db.session.get(TotpCredential, user_id)


def is_set_up(user_id: int) -> bool:
    cred = credential(user_id)
    return cred is not None and cred.confirmed_at is not None


@uow.transactional
def begin_setup(user: User) -> str:
    """A new secret for the set-up page (replacing any unconfirmed one); the secret itself."""
    cred = credential(user.id)
    if cred is not None and cred.confirmed_at is not None:
        raise ValueError("Two-factor authentication is already set up")
    secret = pyotp.random_base32()
    if cred is None:
        db.session.add(TotpCredential(user_id=user.id, secret_encrypted=crypto.encrypt(secret)))
    else:
        cred.secret_encrypted = crypto.encrypt(secret)
    return secret


def pending_secret(user: User) -> str | None:
    cred = credential(user.id)
    if cred is None or cred.confirmed_at is not None:
        return None
    return crypto.decrypt(cred.secret_encrypted)


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(uri: str) -> Markup:
    """The QR code as inline SVG (no image request, nothing leaves the page)."""
    svg = segno.make(uri, error="m").svg_inline(scale=5, title="QR code for your authenticator app")
    return Markup(svg)  # noqa: S704  # segno's own SVG, from a URI we made


def _check(cred: TotpCredential, code: str) -> bool:
    """A 6-digit code for now (± one step), not used before."""
    code = "".join(code.split())
    if not (len(code) == 6 and code.isdigit()):
        return False
    totp = pyotp.TOTP(crypto.decrypt(cred.secret_encrypted))
    now = utcnow()
    step_now = totp.timecode(now)
    for offset in range(-VALID_WINDOW, VALID_WINDOW + 1):
        step = step_now + offset
        if step > cred.last_step and secrets.compare_digest(totp.generate_otp(step), code):
            cred.last_step = step
            return True
    return False


@uow.transactional
def confirm_setup(user: User, code: str) -> list[str] | None:
    """Turn two-factor on if the code matches the new secret; the recovery codes to show once."""
    cred = credential(user.id)
    if cred is None or cred.confirmed_at is not None or not _check(cred, code):
        audit.record_now(audit.Action.MFA_FAILED, actor=user, subject=user, detail="set-up code")
        return None
    cred.confirmed_at = utcnow()
    audit.record(audit.Action.MFA_SET_UP, actor=user, subject=user, detail="authenticator app")
    return _new_recovery_codes(user)


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [f"{secrets.randbelow(10**10):010d}" for _ in range(RECOVERY_CODES)]
    codes = [f"{c[:5]}-{c[5:]}" for c in codes]
    for code in codes:
        db.session.add(
            RecoveryCode(user_id=user.id, code_hash=generate_password_hash(code.replace("-", "")))
        )
    return codes


@uow.transactional
def regenerate_recovery_codes(user: User) -> list[str]:
    audit.record(audit.Action.RECOVERY_CODES_MADE, actor=user, subject=user)
    return _new_recovery_codes(user)


def unused_recovery_codes(user_id: int) -> int:
    return len(
        db.session.scalars(
            select(RecoveryCode.id).where(
                RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None)
            )
        ).all()
    )


def is_locked(user: User) -> bool:
    locked_until = as_utc(user.locked_until)
    return bool(locked_until and locked_until > utcnow())


@uow.transactional
def verify(user: User, code: str) -> bool:
    """A sign-in's second step: a TOTP code, or an unused recovery code (then spent).

    Wrong codes count with wrong passwords: after MAX_FAILED_SIGN_INS in a row the account is
    locked, as a wrong password would lock it (the rate limit holds per address, this per person).
    """
    cred = credential(user.id)
    if cred is None or cred.confirmed_at is None or is_locked(user):
        return False
    if _check(cred, code):
        return True
    plain = "".join(code.split()).replace("-", "")
    if len(plain) == 10 and plain.isdigit():
        for row in db.session.scalars(
            select(RecoveryCode).where(
                RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
            )
        ):
            if check_password_hash(row.code_hash, plain):
                row.used_at = utcnow()
                audit.record(audit.Action.RECOVERY_CODE_USED, actor=user, subject=user)
                return True
    audit.record(audit.Action.MFA_FAILED, actor=None, subject=user, detail="sign-in code")
    user.failed_sign_ins += 1
    if user.failed_sign_ins >= MAX_FAILED_SIGN_INS:
        user.failed_sign_ins = 0
        user.locked_until = utcnow() + LOCKOUT
        audit.record(
            audit.Action.LOCKED_OUT, actor=None, subject=user, detail="wrong two-factor codes"
        )
    return False


@uow.transactional
def turn_off(user: User) -> None:
    db.session.execute(delete(TotpCredential).where(TotpCredential.user_id == user.id))
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    audit.record(audit.Action.MFA_TURNED_OFF, actor=user, subject=user)
