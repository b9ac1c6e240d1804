"""Identity providers (OpenID Connect), the provider subjects linked to accounts, and two-factor.

Kept apart from `auth.models` (the account itself): these are the ways of proving who you are.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from leaders.db_types import UTCDateTime
from leaders.extensions import Model
from leaders.timeutil import utcnow


class IdentityProvider(Model):
    """An organisation's OpenID Connect provider (Microsoft Entra ID, or any other), set up by an admin."""

    __tablename__ = "identity_provider"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Shown on the sign-in page: "Sign in with Kent County Council".
    name: Mapped[str] = mapped_column(String(200))
    #: The discovery document (…/.well-known/openid-configuration), or the issuer it is made from.
    discovery_url: Mapped[str] = mapped_column(String(500))
    client_id: Mapped[str] = mapped_column(String(200))
    #: The client secret, encrypted (Fernet) with the app's key: see `auth.secrets`.
    client_secret_encrypted: Mapped[str] = mapped_column(Text, default="")
    #: Or: the name of an environment variable that holds the secret (nothing stored here).
    client_secret_env: Mapped[str] = mapped_column(String(100), default="")
    #: Email domains this provider signs in, space separated, lower case ("kent.gov.uk nhs.net").
    domains: Mapped[str] = mapped_column(Text, default="")
    #: For Entra ID multi-tenant (/common): the tenant ids allowed, space separated. Empty: the
    #: issuer must be exactly the discovery document's.
    allowed_tenants: Mapped[str] = mapped_column(Text, default="")
    enabled: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def domain_list(self) -> list[str]:
        return self.domains.split()

    @property
    def tenant_list(self) -> list[str]:
        return self.allowed_tenants.split()


class UserIdentity(Model):
    """A provider's subject for one of our users: found again by it even if their email changes.

    For Entra ID the stable subject is the object id (``oid``) within its tenant (``tid``); for other
    providers it is ``sub`` within the issuer.
    """

    __tablename__ = "user_identity"
    __table_args__ = (UniqueConstraint("provider_id", "subject", name="uq_user_identity_subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("identity_provider.id", ondelete="CASCADE"))
    #: "oid:<tid>:<oid>" for Entra-shaped tokens, else "sub:<sub>".
    subject: Mapped[str] = mapped_column(String(300))
    sub: Mapped[str] = mapped_column(String(255))
    tenant_id: Mapped[str] = mapped_column(String(64), default="")
    object_id: Mapped[str] = mapped_column(String(64), default="")
    email_at_link: Mapped[str] = mapped_column(String(254), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class TotpCredential(Model):
    """A user's authenticator app: the TOTP secret (encrypted), live once confirmed with a code."""

    __tablename__ = "totp_credential"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    secret_encrypted: Mapped[str] = mapped_column(Text)
    #: None while being set up (the QR code shown, no code entered yet).
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: The last time step accepted: a code is accepted once (no replay within its 30 seconds).
    last_step: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class RecoveryCode(Model):
    """One single-use recovery code, stored hashed (like a password)."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
