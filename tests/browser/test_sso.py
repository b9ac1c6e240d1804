"""In Chromium: sign in through a real OpenID Provider (node oidc-provider), and set up two-factor.

The app's own Content-Security-Policy stays on here (no bypass): the email form's redirect to the
provider must be allowed by its form-action.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from leaders.auth import crypto
from leaders.auth.identity_models import IdentityProvider, UserIdentity
from leaders.auth.models import User
from leaders.extensions import db
from tests.browser.conftest import World, in_app, new_context, sign_in
from tests.browser.test_accessibility import axe_violations, describe
from tests.oidc.harness import CLIENT_ID, CLIENT_SECRET, DOMAIN, NodeProvider

pytestmark = pytest.mark.browser
#: Where screenshots go when LEADERS_SHOTS is set (for the closing note), else nowhere.
SHOTS = os.environ.get("LEADERS_SHOTS", "")
ANN = f"ann@{DOMAIN}"


def _shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


@pytest.fixture(scope="module")
def provider(world: World) -> Iterator[NodeProvider]:
    node = NodeProvider(redirect_uris=[f"{world.url}/sign-in/callback"]).start()
    with in_app(world):
        db.session.add(
            IdentityProvider(
                name="Kent County Council",
                discovery_url=node.discovery_url,
                client_id=CLIENT_ID,
                client_secret_encrypted=crypto.encrypt(CLIENT_SECRET),
                client_secret_env="",
                domains=DOMAIN,
                allowed_tenants="",
                enabled=True,
            )
        )
        db.session.add(User(email=ANN, name="Ann Entra", role="learner"))
        db.session.commit()
    yield node
    node.stop()


def test_sign_in_through_the_organisations_provider(browser, world, provider):
    context = new_context(browser, world)
    page = context.new_page()
    page.goto("/sign-in")
    assert page.get_by_label("Password", exact=True).count() == 0  # email first
    _shot(page, "sso-1-email-first")
    page.set_viewport_size({"width": 320, "height": 640})
    _shot(page, "sso-1-email-first-320")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_label("Email address").fill(ANN)
    page.get_by_role("button", name="Continue").click()

    # The provider's own login page (oidc-provider's), the address passed as login_hint.
    page.wait_for_url(f"{provider.origin}/interaction/**")
    assert page.locator("input[name=login]").input_value() == ANN
    _shot(page, "sso-2-provider-login")
    page.locator("input[name=password]").fill("anything")
    page.get_by_role("button", name="Sign-in").click()

    page.wait_for_url("**/home")
    assert "Ann Entra" in page.content()
    with in_app(world):
        link = db.session.scalars(select(UserIdentity)).one()
        user = db.session.get(User, link.user_id)
        assert user.email == ANN
        assert user.joined_at is not None
    _shot(page, "sso-3-signed-in")
    context.close()


def test_password_domain_gets_the_password_form_and_can_set_up_two_factor(browser, world):
    context = new_context(browser, world)
    page = context.new_page()
    sign_in(page, world.accounts["learner"])  # email, Continue, password: the demo domain
    page.goto("/account/security")
    page.get_by_role("link", name="Set up two-factor authentication").click()
    page.wait_for_url("**/account/two-factor")
    assert page.locator("#qr-code svg").count() == 1
    _shot(page, "sso-4-totp-set-up")
    page.get_by_text("I cannot scan the QR code").click()
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    # The codes page comes after the server has hashed ten codes: wait for it, then read them.
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    assert all(re.fullmatch(r"\d{5}-\d{5}", c) for c in codes)
    _shot(page, "sso-5-recovery-codes")
    page.goto("/account/devices")
    assert page.get_by_text("This device").count() == 1
    _shot(page, "sso-6-devices")
    context.close()


@pytest.mark.parametrize(
    "path", ["/sign-in", "/account/two-factor", "/account/devices", "/account/security"]
)
def test_pages_pass_axe(browser, world, path):
    context = new_context(browser, world, bypass_csp=True)
    page = context.new_page()
    if path != "/sign-in":
        sign_in(page, world.accounts["manager"])
    page.goto(path)
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    context.close()


def test_unknown_email_at_the_provider_gets_a_clear_page(browser, world, provider):
    context = new_context(browser, world)
    page = context.new_page()
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(f"nobody@{DOMAIN}")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{provider.origin}/interaction/**")
    page.locator("input[name=login]").fill(f"stranger@{DOMAIN}")
    page.locator("input[name=password]").fill("anything")
    page.get_by_role("button", name="Sign-in").click()
    page.wait_for_url("**/sign-in/callback**")
    assert page.get_by_role("heading", level=1).inner_text() == "You have not been signed in"
    assert f"There is no Place Leaders account for nobody@{DOMAIN}" in page.content()
    _shot(page, "sso-7-refused-unknown-email")
    context.close()
