"""Secrets kept in the database (providers' client secrets, TOTP seeds), encrypted with Fernet.

The key is LEADERS_SECRET_ENCRYPTION_KEY (a Fernet key) when set, otherwise derived from SECRET_KEY
with HKDF, so a stolen database alone does not give the secrets away.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app


class SecretError(ValueError):
    """A stored secret cannot be read (the key changed, or the value is damaged)."""


def _fernet() -> Fernet:
    key = current_app.config.get("SECRET_ENCRYPTION_KEY") or ""
    if key:
        return Fernet(key.encode())
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"leaders-secrets", info=b"fernet"
    ).derive(current_app.config["SECRET_KEY"].encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise SecretError("The stored secret cannot be read with this app's key") from error
