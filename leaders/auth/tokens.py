"""Signed, time-limited, single-use links for setting a password.

A link carries the user's id and a fingerprint of their current password hash. Setting a password changes
the hash, so a used link no longer matches: single use without storing anything.
"""

from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from leaders.auth.models import User


class TokenError(Exception):
    """The link cannot be used; the message says why, for the person holding it."""


PURPOSES = {"reset": "PASSWORD_RESET_MAX_AGE", "invite": "INVITATION_MAX_AGE"}


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"leaders-{purpose}")


def _fingerprint(user: User) -> str:
    material = f"{user.password_hash or ''}:{user.session_version}".encode()
    return hashlib.sha256(material).hexdigest()[:20]


def make_token(user: User, purpose: str = "reset") -> str:
    return _serializer(purpose).dumps({"u": user.id, "f": _fingerprint(user)})


def read_token(token: str, purpose: str = "reset") -> int:
    """The user id in a token, checked for signature and age (not yet for reuse: see `check_fresh`)."""
    max_age = current_app.config[PURPOSES[purpose]]
    try:
        data = _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired:
        raise TokenError("This link has expired.") from None
    except BadSignature:
        raise TokenError("This link is not valid.") from None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise TokenError("This link is not valid.")
    return data["u"]


def check_fresh(token: str, user: User, purpose: str = "reset") -> None:
    """Raise TokenError if the link was already used (the password has changed since it was made)."""
    data = _serializer(purpose).loads(token)
    if data.get("f") != _fingerprint(user):
        raise TokenError("This link has already been used.")
