"""Signing in through an organisation's OpenID Connect provider (Microsoft Entra ID or any other).

Authlib's Flask client does the protocol: the authorization code flow with PKCE (S256), `state` and
`nonce` kept in the session, the code exchanged once at the token endpoint, the ID token's signature
checked against the provider's JWKS, and `aud` (our client id), `exp`, `iat` and `nonce` checked.
This module adds what is ours to decide:

- the issuer: exactly the discovery document's, or for Entra's multi-tenant ``/common`` document
  (issuer ``https://login.microsoftonline.com/{tenantid}/v2.0``) that template filled in with the
  token's own ``tid`` — and that tenant must be on the provider's allowed list;
- who the person is: the provider's stable subject (Entra: ``oid`` within ``tid``; others: ``sub``)
  if it is linked already, else — the first time — the account whose email the provider vouches for.
  The email counts only if it is verified: ``email_verified`` is ``true``, or (Entra) the optional
  claim ``xms_edov`` ("email domain owner verified") is ``true``. Entra's plain ``email`` and
  ``preferred_username`` are not proof (a tenant admin can set them to anything), so they never link
  an account. The address must also be in one of the provider's own domains. No account is created.

The discovery document, and the signing keys once fetched, are kept per discovery address for
OIDC_METADATA_SECONDS in the app (`_remembered`), so a sign-in does not fetch them twice more (once
to start, once to finish). Authlib fetches the keys again by itself when a token names a key id
that is not among them, so a provider's key rotation still signs people in.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

import requests
from authlib.integrations.base_client import OAuthError
from authlib.integrations.flask_client import FlaskIntegration, FlaskOAuth2App
from flask import current_app, url_for
from joserfc.errors import JoseError
from sqlalchemy import select
from werkzeug.wrappers import Response

from leaders import audit, uow
from leaders.auth import crypto
from leaders.auth.identity_models import IdentityProvider, UserIdentity
from leaders.auth.models import User, email_key
from leaders.auth.services import find_by_email
from leaders.extensions import db
from leaders.timeutil import utcnow

log = logging.getLogger(__name__)
TENANT_PLACEHOLDER = "{tenantid}"
#: Seconds of clock difference allowed on `exp` and `iat`.
LEEWAY = 60


class SignInRefused(Exception):
    """The provider's answer does not sign anyone in. `message` is what the person is shown."""

    def __init__(self, reason: str, message: str, status: int = 400) -> None:
        super().__init__(reason)
        self.reason = reason
        self.message = message
        self.status = status


NOT_VERIFIED = (
    "Your organisation's sign-in did not confirm your email address, so we cannot tell which "
    "Place Leaders account is yours. Ask your organisation's IT team, or sign in with a password."
)
NO_ACCOUNT = (
    "There is no Place Leaders account for {email}. You can only sign in once your programme has "
    "invited you: ask your programme manager to add you."
)
UNAVAILABLE = (
    "We could not reach {name} to sign you in. Try again in a few minutes. If you have a Place "
    "Leaders password you can sign in with it."
)
FAILED = (
    "Your organisation's sign-in could not be completed, so you have not been signed in. Start "
    "again from the sign-in page."
)
TENANT = (
    "Your organisation's Microsoft account is not one this service accepts for {name}. Ask your "
    "programme manager which account to use."
)


def email_domain(email: str) -> str:
    return email_key(email).rpartition("@")[2]


def provider_for_email(email: str) -> IdentityProvider | None:
    """The enabled provider that serves this address's domain, if any."""
    domain = email_domain(email)
    if not domain:
        return None
    for provider in db.session.scalars(
        select(IdentityProvider).where(IdentityProvider.enabled.is_(True))
    ):
        if domain in provider.domain_list:
            return provider
    return None


def metadata_url(discovery_url: str) -> str:
    """The discovery document's address, from it or from an issuer."""
    url = discovery_url.strip()
    if url.endswith("/.well-known/openid-configuration"):
        return url
    return url.rstrip("/") + "/.well-known/openid-configuration"


def client_secret(provider: IdentityProvider) -> str:
    import os

    if provider.client_secret_env:
        return os.environ.get(provider.client_secret_env, "")
    return (
        crypto.decrypt(provider.client_secret_encrypted) if provider.client_secret_encrypted else ""
    )


def _remembered() -> dict[str, dict[str, Any]]:
    """This app's providers' metadata by discovery address (Authlib's dict, with `_loaded_at`).

    Per app, so each app built (a worker, a test) starts empty; reads and writes of one key are
    atomic, and two sign-ins fetching at once each store a whole document.
    """
    return current_app.extensions.setdefault("oidc_metadata", {})


def _client(provider: IdentityProvider) -> FlaskOAuth2App:
    name = f"idp{provider.id}"
    url = metadata_url(provider.discovery_url)
    client = FlaskOAuth2App(
        FlaskIntegration(name),
        name=name,
        client_id=provider.client_id,
        client_secret=client_secret(provider),
        server_metadata_url=url,
        client_kwargs={
            "scope": "openid email profile",
            "code_challenge_method": "S256",
            "default_timeout": current_app.config["OIDC_HTTP_TIMEOUT"],
        },
    )
    known = _remembered().get(url)
    if known and time.time() - known["_loaded_at"] < current_app.config["OIDC_METADATA_SECONDS"]:
        client.server_metadata.update(known)
    return client


def _remember(provider: IdentityProvider, client: FlaskOAuth2App) -> None:
    """Keep what the client fetched (the document, and the keys if it read them) for next time."""
    if "_loaded_at" in client.server_metadata:
        _remembered()[metadata_url(provider.discovery_url)] = dict(client.server_metadata)


def redirect_uri() -> str:
    return url_for("auth.provider_callback", _external=True)


def start(provider: IdentityProvider, email: str) -> Response:
    """Send the person to their provider (raises SignInRefused if it cannot be reached)."""
    client = _client(provider)
    try:
        answer = client.authorize_redirect(redirect_uri(), login_hint=email)
    except (requests.RequestException, ValueError, RuntimeError) as error:
        log.warning("Identity provider %s unreachable: %s", provider.id, error)
        _refuse(None, provider, "provider unreachable", str(error))
        raise SignInRefused(
            "unavailable", UNAVAILABLE.format(name=provider.name), status=503
        ) from error
    _remember(provider, client)
    return answer


@dataclass(frozen=True)
class Identity:
    subject: str
    sub: str
    tenant_id: str
    object_id: str
    email: str
    email_verified: bool


def _refuse(subject: User | None, provider: IdentityProvider, why: str, more: str = "") -> None:
    detail = f"{provider.name}: {why}" + (f" ({more[:200]})" if more else "")
    audit.record_now(audit.Action.SIGN_IN_FAILED, actor=None, subject=subject, detail=detail)


def finish(provider: IdentityProvider) -> Identity:
    """Check the provider's answer on the callback; the identity it proves, or SignInRefused."""
    client = _client(provider)
    try:
        metadata = client.load_server_metadata()
        issuer = str(metadata.get("issuer", ""))

        def issuer_ok(claims: Any, value: Any) -> bool:
            if TENANT_PLACEHOLDER in issuer:
                tid = claims.get("tid")
                return bool(tid) and value == issuer.replace(TENANT_PLACEHOLDER, str(tid))
            return value == issuer

        token = client.authorize_access_token(
            claims_options={"iss": {"essential": True, "validate": issuer_ok}}, leeway=LEEWAY
        )
        _remember(provider, client)  # with the keys the token was checked against
    except (requests.RequestException, ValueError, RuntimeError) as error:
        # Down, or answering with something that is not OpenID Connect (HTML, no jwks_uri).
        _refuse(None, provider, "provider unreachable", str(error))
        raise SignInRefused(
            "unavailable", UNAVAILABLE.format(name=provider.name), status=503
        ) from error
    except OAuthError as error:
        _refuse(
            None,
            provider,
            f"refused by the provider or state mismatch: {error.error}",
            str(error.description or ""),
        )
        raise SignInRefused(f"oauth:{error.error}", FAILED) from error
    except JoseError as error:
        _refuse(None, provider, "ID token not valid", f"{type(error).__name__}: {error}")
        raise SignInRefused(f"token:{type(error).__name__}", FAILED) from error
    claims = token.get("userinfo")
    if not claims:
        _refuse(None, provider, "no ID token")
        raise SignInRefused("no-id-token", FAILED)
    tid = str(claims.get("tid") or "")
    if (TENANT_PLACEHOLDER in issuer or provider.tenant_list) and tid not in provider.tenant_list:
        _refuse(None, provider, "tenant not allowed", tid)
        raise SignInRefused("tenant", TENANT.format(name=provider.name), status=403)
    oid = str(claims.get("oid") or "")
    subject = f"oid:{tid}:{oid}" if tid and oid else f"sub:{claims['sub']}"
    verified = claims.get("email_verified") is True or claims.get("xms_edov") is True
    return Identity(
        subject=subject,
        sub=str(claims["sub"]),
        tenant_id=tid,
        object_id=oid,
        email=str(claims.get("email") or ""),
        email_verified=verified,
    )


@uow.transactional
def account_for(provider: IdentityProvider, identity: Identity) -> User:
    """The account this identity signs in to: linked already, or linked now by verified email."""
    link = db.session.execute(
        select(UserIdentity).where(
            UserIdentity.provider_id == provider.id, UserIdentity.subject == identity.subject
        )
    ).scalar_one_or_none()
    if link is not None:
        user = db.session.get(User, link.user_id)
        if user is None or not user.active:
            _refuse(user, provider, "account closed")
            raise SignInRefused("inactive", NO_ACCOUNT.format(email=identity.email), status=403)
        link.last_used_at = utcnow()
        return user
    if not identity.email_verified:
        _refuse(None, provider, "email not verified", identity.email)
        raise SignInRefused("unverified", NOT_VERIFIED, status=403)
    user = find_by_email(identity.email) if identity.email else None
    if user is None or not user.active or email_domain(identity.email) not in provider.domain_list:
        _refuse(user, provider, "no account for that email", identity.email)
        raise SignInRefused("no-account", NO_ACCOUNT.format(email=identity.email), status=403)
    db.session.add(
        UserIdentity(
            user_id=user.id,
            provider_id=provider.id,
            subject=identity.subject,
            sub=identity.sub,
            tenant_id=identity.tenant_id,
            object_id=identity.object_id,
            email_at_link=identity.email,
            last_used_at=utcnow(),
        )
    )
    user.mark_joined()
    audit.record(audit.Action.PROVIDER_LINKED, actor=user, subject=user, detail=f"{provider.name}")
    return user
