import re
import time

import pytest
from itsdangerous import URLSafeTimedSerializer

from leaders.auth import tokens
from tests.conftest import sign_in
from tests.factories import PASSWORD
from tests.helpers import form_token, sent_emails, text_of

NEW_PASSWORD = "a-brand-new-harbour-lantern"


@pytest.fixture
def app_overrides(tmp_path):
    return {"MAIL_OUTBOX_DIR": str(tmp_path / "outbox")}


def _request_reset(client, email):
    page = client.get("/password-reset")
    return client.post("/password-reset", data={"email": email, "csrf_token": form_token(page)})


def _link_path(message: dict) -> str:
    match = re.search(r"https?://[^/\s]+(/password-reset/\S+)", message["text"])
    assert match, message["text"]
    return match.group(1)


def _set_password(client, path, password=NEW_PASSWORD, confirm=None):
    page = client.get(path)
    assert page.status_code == 200
    return client.post(
        path,
        data={"password": password, "confirm": confirm or password, "csrf_token": form_token(page)},
    )


def test_reset_emails_a_link_that_sets_a_new_password(client, learner, app):
    response = _request_reset(client, learner.email)
    assert "Check your email" in text_of(response)
    [message] = sent_emails(app)
    assert message["to"] == learner.email
    assert message["html"]
    assert message["text"]

    response = _set_password(client, _link_path(message))
    assert response.status_code == 302
    assert sign_in(client, learner, PASSWORD).status_code == 200  # old password refused
    assert sign_in(client, learner, NEW_PASSWORD).status_code == 302


def test_unknown_email_looks_the_same_and_sends_nothing(client, app):
    response = _request_reset(client, "nobody@example.org")
    assert "Check your email" in text_of(response)
    assert sent_emails(app) == []


def test_reset_link_is_single_use(client, learner, app):
    _request_reset(client, learner.email)
    path = _link_path(sent_emails(app)[0])
    assert _set_password(client, path).status_code == 302
    again = client.get(path)
    assert again.status_code == 400
    assert "already been used" in text_of(again)


def test_expired_reset_link_is_refused(client, learner, app):
    with app.test_request_context():
        token = tokens.make_token(learner, "reset")
    app.config["PASSWORD_RESET_MAX_AGE"] = 1
    time.sleep(2.1)
    response = client.get(f"/password-reset/{token}")
    assert response.status_code == 400
    assert "expired" in text_of(response)


def test_forged_reset_link_is_refused(client, learner, app):
    forged = URLSafeTimedSerializer("not-the-secret", salt="leaders-reset").dumps(
        {"u": learner.id, "f": "x"}
    )
    for token in (forged, "garbage", forged[:-3] + "abc"):
        response = client.get(f"/password-reset/{token}")
        assert response.status_code == 400
        assert "not valid" in text_of(response)


def test_invitation_token_cannot_reset_a_password(client, learner, app):
    with app.test_request_context():
        token = tokens.make_token(learner, "invite")
    assert client.get(f"/password-reset/{token}").status_code == 400


def test_reset_ends_other_sessions(learner_client, client, learner, app):
    _request_reset(learner_client, learner.email)
    path = _link_path(sent_emails(app)[0])
    _set_password(learner_client, path)
    assert learner_client.get("/home").status_code == 302


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", "Password must be 12 characters or more"),
        ("Password1234!", "Password is too common"),
        ("qwertyuiop12", "Password is too common"),
        ("123456789012", "Password is too common"),
        ("aaaaaaaaaaaaaa", "Password is too easy to guess"),
        ("abcdefghijklmnop", "Password is too easy to guess"),
    ],
)
def test_weak_passwords_are_refused(client, learner, app, password, message):
    _request_reset(client, learner.email)
    response = _set_password(client, _link_path(sent_emails(app)[0]), password)
    assert response.status_code == 200
    assert message in text_of(response)
    assert "There is a problem" in text_of(response)


def test_passwords_must_match(client, learner, app):
    _request_reset(client, learner.email)
    response = _set_password(
        client, _link_path(sent_emails(app)[0]), NEW_PASSWORD, "something-else-entirely"
    )
    assert "The passwords do not match" in text_of(response)
