"""Steps of a provider sign-in through the Flask test client, shared by the OIDC tests."""

from __future__ import annotations

from urllib.parse import urlsplit

from leaders.auth import crypto
from leaders.auth.identity_models import IdentityProvider
from leaders.extensions import db
from tests.helpers import form_token
from tests.oidc.harness import CLIENT_ID, CLIENT_SECRET, DOMAIN


def add_provider(
    discovery_url: str,
    *,
    tenants: str = "",
    name: str = "Kent County Council",
    domains: str = DOMAIN,
    client_id: str = CLIENT_ID,
) -> IdentityProvider:
    provider = IdentityProvider(
        name=name,
        discovery_url=discovery_url,
        client_id=client_id,
        client_secret_encrypted=crypto.encrypt(CLIENT_SECRET),
        client_secret_env="",
        domains=domains,
        allowed_tenants=tenants,
        enabled=True,
    )
    db.session.add(provider)
    db.session.commit()
    return provider


def start(client, email: str):
    """Enter the email on the sign-in page; the response (a redirect to the provider, or a page)."""
    page = client.get("/sign-in")
    return client.post("/sign-in", data={"email": email, "csrf_token": form_token(page)})


def callback(client, url: str):
    """The provider's redirect back, followed by the test client."""
    parts = urlsplit(url)
    assert parts.path == "/sign-in/callback", url
    return client.get(f"{parts.path}?{parts.query}")
