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
