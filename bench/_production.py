"""What every bench that runs the app with production settings adds to them.

- A throwaway Ed25519 key for `CREDENTIALS_SIGNING_KEY`: production refuses to start without one
  (certificates are signed with it), and a bench issues none.
- `MFA_REQUIRED_ROLES` empty: the benches sign staff in with a password and measure the pages
  after it; two-factor set-up is not what they measure.
"""

from __future__ import annotations

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


def signing_key() -> str:
    return (
        Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )


def settings() -> dict[str, str]:
    """As app settings (create_app overrides) or as environment variables: the same names."""
    return {"CREDENTIALS_SIGNING_KEY": signing_key(), "MFA_REQUIRED_ROLES": ""}


def in_process_app(tmp: str, secret: str):
    """The app with production settings on a fresh SQLite file in `tmp` (not yet migrated), as the
    in-process benches measure it: plain-HTTP cookies, so the test client keeps them."""
    import os

    os.environ.update(
        {"INSTANCE_DIR": tmp, "CONTENT_CACHE_DIR": f"{tmp}/cache", "LOG_LEVEL": "WARNING"}
    )
    from leaders import create_app

    return create_app(
        "production",
        {
            "SECRET_KEY": secret * 64,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite",
            "SESSION_COOKIE_SECURE": False,
            "SESSION_COOKIE_NAME": "session",
            "PREFERRED_URL_SCHEME": "http",
            **settings(),
        },
    )


def sign_in(client, email: str, password: str) -> None:
    """Sign in through the real form (CSRF token and all); fails the bench if it does not."""
    import re

    form = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    signed_in = client.post(
        "/sign-in", data={"email": email, "password": password, "csrf_token": token}
    )
    assert signed_in.status_code == 302, f"sign-in failed: {signed_in.status_code}"
