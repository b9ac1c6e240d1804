"""Two-factor (TOTP) for password sign-ins: required for admins and programme managers."""

from __future__ import annotations

import re

import pyotp
import pytest
from sqlalchemy import select

from leaders.audit import Action, AuditEvent
from leaders.auth.identity_models import RecoveryCode, TotpCredential
from leaders.auth.models import Role
from leaders.extensions import db
from tests.conftest import sign_in
from tests.factories import make_user
from tests.helpers import form_token, text_of


@pytest.fixture
def app_overrides() -> dict:
    return {"MFA_REQUIRED_ROLES": "admin programme_manager", "MFA_RATE_LIMIT": "100 per minute"}


def _secret(page) -> str:
    found = re.search(r'<code id="totp-secret">([A-Z2-7]+)</code>', page.get_data(as_text=True))
    assert found, "the set-up page shows the key"
    return found.group(1)


def _set_up(client, page, secret: str):
    return client.post(
        page.request.path,
        data={"code": pyotp.TOTP(secret).now(), "csrf_token": form_token(page)},
    )


def _actions() -> list[str]:
    db.session.expire_all()
    return [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_admin_must_set_up_two_factor_before_using_the_site(client):
    admin = make_user(role=Role.ADMIN, name="Ada Admin")
    response = sign_in(client, admin)
    assert response.headers["Location"] == "/sign-in/two-factor/set-up"
    assert client.get("/home").status_code == 302  # no session yet
    assert client.get("/admin/audit").status_code == 302

    page = client.get("/sign-in/two-factor/set-up")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<svg" in html
    assert "Because you manage programmes" in html
    secret = _secret(page)

    wrong = client.post(page.request.path, data={"code": "000000", "csrf_token": form_token(page)})
    assert wrong.status_code == 200
    assert "The code is not right" in text_of(wrong)
    assert client.get("/home").status_code == 302

    page = client.get("/sign-in/two-factor/set-up")
    secret = _secret(page)
    done = _set_up(client, page, secret)
    assert done.status_code == 200
    codes = re.findall(r"<li><code>(\d{5}-\d{5})</code></li>", done.get_data(as_text=True))
    assert len(codes) == 10
    assert len(set(codes)) == 10
    assert client.get("/home").status_code == 200
    stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10
    assert not any(c.replace("-", "") in h for c in codes for h in stored)
    assert Action.MFA_SET_UP.value in _actions()


def _admin_with_two_factor(client) -> tuple:
    admin = make_user(role=Role.ADMIN, name="Ada Admin")
    sign_in(client, admin)
    page = client.get("/sign-in/two-factor/set-up")
    secret = _secret(page)
    done = _set_up(client, page, secret)
    codes = re.findall(r"<li><code>(\d{5}-\d{5})</code></li>", done.get_data(as_text=True))
    client.post("/sign-out", data={"csrf_token": form_token(client.get("/home"))})
    return admin, secret, codes


def test_code_is_asked_at_every_password_sign_in_and_used_once(client):
    admin, secret, _codes = _admin_with_two_factor(client)
    db.session.execute(db.update(TotpCredential).values(last_step=0))  # the set-up code's step
    db.session.commit()
    response = sign_in(client, admin)
    assert response.headers["Location"] == "/sign-in/two-factor"
    page = client.get("/sign-in/two-factor")
    code = pyotp.TOTP(secret).now()
    bad = client.post(page.request.path, data={"code": "123456", "csrf_token": form_token(page)})
    assert "The code is not right" in text_of(bad)
    assert Action.MFA_FAILED.value in _actions()
    ok = client.post(page.request.path, data={"code": code, "csrf_token": form_token(page)})
    assert ok.status_code == 302
    assert client.get("/home").status_code == 200
    client.post("/sign-out", data={"csrf_token": form_token(client.get("/home"))})

    # The same code again (within its 30 seconds) is refused: each is used once.
    sign_in(client, admin)
    page = client.get("/sign-in/two-factor")
    again = client.post(page.request.path, data={"code": code, "csrf_token": form_token(page)})
    assert again.status_code == 200
    assert "The code is not right" in text_of(again)


def test_recovery_code_works_once(client):
    admin, _, codes = _admin_with_two_factor(client)
    sign_in(client, admin)
    page = client.get("/sign-in/two-factor")
    ok = client.post(page.request.path, data={"code": codes[0], "csrf_token": form_token(page)})
    assert ok.status_code == 302
    assert Action.RECOVERY_CODE_USED.value in _actions()
    client.post("/sign-out", data={"csrf_token": form_token(client.get("/home"))})
    sign_in(client, admin)
    page = client.get("/sign-in/two-factor")
    again = client.post(page.request.path, data={"code": codes[0], "csrf_token": form_token(page)})
    assert again.status_code == 200
    assert client.get("/home").status_code == 302


def test_learner_signs_in_without_two_factor_and_may_turn_it_on_and_off(client):
    learner = make_user(name="Lee Learner")
    assert sign_in(client, learner).headers["Location"] == "/home"
    security = client.get("/account/security")
    assert "Two-factor authentication" in text_of(security)
    assert "Off" in text_of(security)
    page = client.get("/account/two-factor")
    assert _set_up(client, page, _secret(page)).status_code == 200
    assert "On." in text_of(client.get("/account/security"))
    confirm = client.get("/account/two-factor/turn-off")
    assert "Turn off two-factor authentication?" in text_of(confirm)
    off = client.post(
        "/account/two-factor/turn-off", data={"confirm": "yes", "csrf_token": form_token(confirm)}
    )
    assert off.status_code == 302
    assert db.session.scalars(select(TotpCredential)).first() is None
    assert Action.MFA_TURNED_OFF.value in _actions()


def test_admin_cannot_turn_two_factor_off(client):
    admin, _, codes = _admin_with_two_factor(client)
    sign_in(client, admin)
    page = client.get("/sign-in/two-factor")
    client.post(page.request.path, data={"code": codes[1], "csrf_token": form_token(page)})
    security = client.get("/account/security")
    assert security.status_code == 200
    assert "Turn off" not in text_of(security)
    assert client.get("/account/two-factor/turn-off").status_code == 403
    assert db.session.scalars(select(TotpCredential)).first() is not None


def test_two_factor_attempts_are_rate_limited(app, client):
    app.config["MFA_RATE_LIMIT"] = "3 per minute"
    admin, _, _ = _admin_with_two_factor(client)
    sign_in(client, admin)
    page = client.get("/sign-in/two-factor")
    statuses = [
        client.post(
            page.request.path, data={"code": "111111", "csrf_token": form_token(page)}
        ).status_code
        for _ in range(4)
    ]
    assert statuses[:3] == [200, 200, 200]
    assert statuses[3] == 429


def test_wrong_codes_lock_the_account_like_wrong_passwords(app, client):
    from leaders.auth.models import User
    from leaders.auth.services import MAX_FAILED_SIGN_INS

    admin, secret, _ = _admin_with_two_factor(client)
    sign_in(client, admin)
    page = client.get("/sign-in/two-factor")
    for _ in range(MAX_FAILED_SIGN_INS):
        client.post(page.request.path, data={"code": "111111", "csrf_token": form_token(page)})
    db.session.expire_all()
    assert db.session.get(User, admin.id).locked_until is not None
    assert Action.LOCKED_OUT.value in _actions()
    # Even the right code is refused while locked.
    db.session.execute(db.update(TotpCredential).values(last_step=0))
    db.session.commit()
    right = client.post(
        page.request.path, data={"code": pyotp.TOTP(secret).now(), "csrf_token": form_token(page)}
    )
    assert right.status_code == 200
    assert client.get("/home").status_code == 302


def test_password_sign_in_is_audited(client):
    learner = make_user()
    sign_in(client, learner)
    db.session.expire_all()
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == Action.SIGNED_IN.value)
    ).one()
    assert (event.subject_id, event.detail) == (learner.id, "password")
