"""Sign-in through a real OpenID Provider (node oidc-provider), Entra-shaped, over HTTP.

The Flask test client plays the browser for our pages and `NodeProvider.login` for the provider's:
the app fetches discovery, keys and tokens from the provider itself.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select

from leaders.audit import Action, AuditEvent
from leaders.auth.identity_models import UserIdentity
from leaders.auth.models import User
from leaders.extensions import db
from tests.factories import PASSWORD, make_user
from tests.helpers import text_of
from tests.oidc.flows import add_provider, callback, start
from tests.oidc.harness import DOMAIN, OTHER_TENANT, TENANT, free_port

ANN = f"ann@{DOMAIN}"


def _actions() -> list[tuple[str, str]]:
    db.session.expire_all()
    return [
        (e.action, e.detail) for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))
    ]


def _signed_in_as(client, user: User) -> bool:
    home = client.get("/home")
    return home.status_code == 200 and user.name in text_of(home)


def test_full_sign_in_links_the_invited_account_and_finds_it_again(app, client, node_provider):
    add_provider(node_provider.discovery_url)
    ann = make_user(email=ANN, name="Ann Example", password=None)
    assert ann.is_invited

    to_provider = start(client, ANN)
    assert to_provider.status_code == 302
    authorize = to_provider.headers["Location"]
    assert authorize.startswith(node_provider.origin)
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"]
    assert query["nonce"]
    assert query["state"]
    assert query["code_challenge"]
    assert query["login_hint"] == [ANN]

    back = node_provider.login(authorize, ANN)
    response = callback(client, back)
    assert response.status_code == 302
    assert response.headers["Location"] == "/home"
    assert _signed_in_as(client, ann)

    db.session.expire_all()
    user = db.session.get(User, ann.id)
    assert user.joined_at is not None
    assert not user.is_invited
    link = db.session.scalars(select(UserIdentity)).one()
    assert (link.user_id, link.tenant_id, link.subject) == (ann.id, TENANT, f"oid:{TENANT}:oid-ann")
    actions = _actions()
    assert (Action.PROVIDER_LINKED.value, "Kent County Council") in actions
    assert (Action.SIGNED_IN.value, "through Kent County Council") in actions

    # Their email changes here; the provider's subject still finds them.
    user.email = "ann.renamed@example.org"
    db.session.commit()
    client.post("/sign-out", data={"csrf_token": _token(client)})
    back = node_provider.login(start(client, ANN).headers["Location"], ANN)
    assert callback(client, back).status_code == 302
    assert _signed_in_as(client, ann)


def _token(client) -> str:
    from tests.helpers import form_token

    return form_token(client.get("/home"))


def test_replayed_callback_is_refused(app, client, node_provider):
    """The same code and state again (a replayed nonce): the state is spent, nothing signs in."""
    add_provider(node_provider.discovery_url)
    ann = make_user(email=ANN, name="Ann Example", password=None)
    back = node_provider.login(start(client, ANN).headers["Location"], ANN)
    assert callback(client, back).status_code == 302
    client.post("/sign-out", data={"csrf_token": _token(client)})

    again = callback(client, back)
    assert again.status_code == 400
    assert "You have not been signed in" in text_of(again)
    assert not _signed_in_as(client, ann)


def test_replayed_code_is_refused_by_the_provider(app, client, node_provider):
    add_provider(node_provider.discovery_url)
    ann = make_user(email=ANN, name="Ann Example", password=None)
    first = node_provider.login(start(client, ANN).headers["Location"], ANN)
    assert callback(client, first).status_code == 302
    client.post("/sign-out", data={"csrf_token": _token(client)})

    # A new sign-in is started (new state), but the old, used code comes back with it.
    authorize = start(client, ANN).headers["Location"]
    state = parse_qs(urlsplit(authorize).query)["state"][0]
    old_code = parse_qs(urlsplit(first).query)["code"][0]
    response = client.get(f"/sign-in/callback?code={old_code}&state={state}")
    assert response.status_code == 400
    assert "could not be completed" in text_of(response)
    assert not _signed_in_as(client, ann)
    assert any(
        "invalid_grant" in detail
        for action, detail in _actions()
        if action == Action.SIGN_IN_FAILED.value
    )


def test_unverified_email_is_refused(app, client, node_provider):
    add_provider(node_provider.discovery_url)
    ben = make_user(email=f"ben@{DOMAIN}", name="Ben Example", password=None)
    back = node_provider.login(
        start(client, f"ben@{DOMAIN}").headers["Location"], f"unverified@{DOMAIN}"
    )
    response = callback(client, back)
    assert response.status_code == 403
    assert "did not confirm your email address" in text_of(response)
    assert not _signed_in_as(client, ben)
    assert db.session.scalars(select(UserIdentity)).first() is None


def test_unknown_email_is_refused_and_no_account_is_made(app, client, node_provider):
    add_provider(node_provider.discovery_url)
    before = db.session.scalars(select(User)).all()
    back = node_provider.login(
        start(client, f"nobody@{DOMAIN}").headers["Location"], f"stranger@{DOMAIN}"
    )
    response = callback(client, back)
    assert response.status_code == 403
    assert f"There is no Place Leaders account for nobody@{DOMAIN}" in text_of(response)
    db.session.expire_all()
    assert len(db.session.scalars(select(User)).all()) == len(before)
    assert (
        Action.SIGN_IN_FAILED.value,
        f"Kent County Council: no account for that email (nobody@{DOMAIN})",
    ) in _actions()


def test_entra_common_issuer_is_checked_against_the_tokens_tenant(app, client, node_provider):
    """/common: the issuer template filled with the token's tid must be the token's iss."""
    add_provider(node_provider.common_discovery_url, tenants=f"{TENANT} {OTHER_TENANT}")
    ann = make_user(email=ANN, name="Ann Example", password=None)
    back = node_provider.login(start(client, ANN).headers["Location"], ANN)
    assert callback(client, back).status_code == 302
    assert _signed_in_as(client, ann)
    client.post("/sign-out", data={"csrf_token": _token(client)})

    # This account's token says tid OTHER_TENANT, but the provider's iss is TENANT's: wrong issuer.
    cat = make_user(email=f"cat@{DOMAIN}", name="Cat Example", password=None)
    back = node_provider.login(
        start(client, f"cat@{DOMAIN}").headers["Location"], f"visitor@{DOMAIN}"
    )
    response = callback(client, back)
    assert response.status_code == 400
    assert not _signed_in_as(client, cat)
    assert any("ID token not valid" in d and "iss" in d for a, d in _actions())


def test_tenant_not_on_the_list_is_refused(app, client, node_provider):
    add_provider(node_provider.common_discovery_url, tenants=OTHER_TENANT)
    ann = make_user(email=ANN, name="Ann Example", password=None)
    back = node_provider.login(start(client, ANN).headers["Location"], ANN)
    response = callback(client, back)
    assert response.status_code == 403
    assert "not one this service accepts" in text_of(response)
    assert not _signed_in_as(client, ann)
    assert (
        Action.SIGN_IN_FAILED.value,
        f"Kent County Council: tenant not allowed ({TENANT})",
    ) in _actions()


def test_provider_down_gets_a_clear_page_and_passwords_still_work(app, client):
    add_provider(f"http://127.0.0.1:{free_port()}/.well-known/openid-configuration")
    response = start(client, ANN)
    assert response.status_code == 503
    assert "We could not reach Kent County Council" in text_of(response)
    # Someone at another domain signs in with a password as before.
    other = make_user(email="pat@example.org", name="Pat Password")
    from tests.conftest import sign_in

    assert sign_in(client, other, PASSWORD).status_code == 302
    assert _signed_in_as(client, other)


def test_callback_with_nothing_started_is_refused(app, client, node_provider):
    response = client.get("/sign-in/callback?code=x&state=y")
    assert response.status_code == 400
    assert "You have not been signed in" in text_of(response)


def test_a_password_for_a_provider_domain_goes_to_the_provider(app, client, node_provider):
    """An organisation that signs its people in closes the password route for its addresses."""
    add_provider(node_provider.discovery_url)
    make_user(email=ANN, name="Ann Example")  # has a password, too
    from tests.conftest import sign_in

    response = sign_in(client, email=ANN)
    assert response.status_code == 302
    assert response.headers["Location"].startswith(node_provider.origin)
    assert client.get("/home").status_code == 302


def test_sign_in_page_lets_the_form_lead_to_the_provider(app, client, node_provider):
    """The page's CSP form-action names the provider's origin (Chromium checks redirects too)."""
    add_provider(node_provider.discovery_url)
    policy = client.get("/sign-in").headers["Content-Security-Policy"]
    assert f"form-action 'self' {node_provider.origin}" in policy
    assert "form-action 'self';" in client.get("/password-reset").headers["Content-Security-Policy"]
