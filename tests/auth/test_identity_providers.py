"""Admins set identity providers up in the app: validated, the secret stored encrypted, audited."""

from __future__ import annotations

from sqlalchemy import select

from leaders.audit import Action, AuditEvent
from leaders.auth import crypto
from leaders.auth.identity_models import IdentityProvider
from leaders.auth.models import Role
from leaders.extensions import db
from tests.conftest import sign_in
from tests.factories import make_user
from tests.helpers import form_token, text_of

GOOD = {
    "name": "Kent County Council",
    "discovery_url": "https://login.microsoftonline.com/common/v2.0",
    "client_id": "app-123",
    "client_secret": "s3cret-value",
    "client_secret_env": "",
    "domains": "kent.gov.uk, KentHR.gov.uk",
    "allowed_tenants": "11111111-1111-1111-1111-111111111111",
    "enabled": "y",
}


def _admin(client):
    assert sign_in(client, make_user(role=Role.ADMIN)).status_code == 302
    return client


def test_admin_adds_a_provider_with_its_secret_encrypted(app, client):
    _admin(client)
    page = client.get("/admin/identity-providers/new")
    assert "Register this redirect address" in text_of(page)
    response = client.post(page.request.path, data=GOOD | {"csrf_token": form_token(page)})
    assert response.status_code == 302
    provider = db.session.scalars(select(IdentityProvider)).one()
    assert provider.domains == "kent.gov.uk kenthr.gov.uk"
    assert "s3cret-value" not in provider.client_secret_encrypted
    assert crypto.decrypt(provider.client_secret_encrypted) == "s3cret-value"
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == Action.PROVIDER_ADDED.value)
    ).one()
    assert "Kent County Council" in event.detail
    assert "s3cret" not in event.detail
    assert "Kent County Council" in text_of(client.get("/admin/identity-providers"))

    # Editing keeps the secret when the field is left empty, and is audited.
    page = client.get(f"/admin/identity-providers/{provider.id}")
    assert "s3cret-value" not in page.get_data(as_text=True)
    data = GOOD | {"client_secret": "", "name": "Kent CC", "csrf_token": form_token(page)}
    data.pop("enabled")
    assert client.post(page.request.path, data=data).status_code == 302
    db.session.expire_all()
    provider = db.session.get(IdentityProvider, provider.id)
    assert provider.name == "Kent CC"
    assert not provider.enabled
    assert crypto.decrypt(provider.client_secret_encrypted) == "s3cret-value"
    changed = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == Action.PROVIDER_CHANGED.value)
    ).one()
    assert "Kent County Council" in changed.detail
    assert "Kent CC" in changed.detail


def test_bad_input_is_refused_and_changes_nothing(app, client):
    _admin(client)
    page = client.get("/admin/identity-providers/new")
    bad = GOOD | {
        "discovery_url": "http://login.example.net/",
        "domains": "not a domain",
        "client_secret": "",
        "csrf_token": form_token(page),
    }
    response = client.post(page.request.path, data=bad)
    assert response.status_code == 200
    text = text_of(response)
    assert "There is a problem" in text
    assert "Enter an address that starts with https://" in text
    assert "is not an email domain" in text
    assert db.session.scalars(select(IdentityProvider)).first() is None


def test_a_domain_has_one_provider(app, client):
    _admin(client)
    page = client.get("/admin/identity-providers/new")
    client.post(page.request.path, data=GOOD | {"csrf_token": form_token(page)})
    page = client.get("/admin/identity-providers/new")
    second = client.post(
        page.request.path,
        data=GOOD | {"name": "Other", "domains": "kent.gov.uk", "csrf_token": form_token(page)},
    )
    assert second.status_code == 200
    assert "kent.gov.uk already signs in through Kent County Council" in text_of(second)
    assert len(db.session.scalars(select(IdentityProvider)).all()) == 1


def test_secret_from_the_environment(app, client, monkeypatch):
    from leaders.auth import oidc

    _admin(client)
    page = client.get("/admin/identity-providers/new")
    data = GOOD | {
        "client_secret": "",
        "client_secret_env": "KENT_OIDC_SECRET",
        "csrf_token": form_token(page),
    }
    assert client.post(page.request.path, data=data).status_code == 302
    provider = db.session.scalars(select(IdentityProvider)).one()
    assert provider.client_secret_encrypted == ""
    monkeypatch.setenv("KENT_OIDC_SECRET", "from-the-environment")
    assert oidc.client_secret(provider) == "from-the-environment"


def test_sign_in_providers_are_found_from_users_and_organisations(app, client):
    """Linked from the admin's Users and Organisations pages, and shown in the Users section."""
    from tests.helpers import page

    _admin(client)
    for start in ("/admin/users", "/admin/organisations"):
        assert 'href="/admin/identity-providers"' in client.get(start).get_data(as_text=True)
    nav = page(client.get("/admin/identity-providers")).one("nav", **{"aria-label": "Menu"})
    current = [" ".join(a.itertext()).strip() for a in nav.iter("a") if a.get("aria-current")]
    assert current == ["Users"]
