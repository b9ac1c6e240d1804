from datetime import timedelta

import pytest

from leaders.auth.models import User
from tests.conftest import sign_in
from tests.factories import PASSWORD, make_user
from tests.helpers import form_token, text_of


def test_sign_in_page_asks_for_the_email_first(client, learner):
    page = client.get("/sign-in")
    assert page.status_code == 200
    assert "Sign in" in text_of(page)
    assert 'autocomplete="email"' in page.get_data(as_text=True)
    assert 'type="password"' not in page.get_data(as_text=True)
    # An address with no identity provider gets the password form, the address filled in.
    second = client.post("/sign-in", data={"email": learner.email, "csrf_token": form_token(page)})
    assert second.status_code == 200
    html = second.get_data(as_text=True)
    assert 'autocomplete="current-password"' in html
    assert f'value="{learner.email}"' in html


def test_email_step_checks_the_address(client):
    page = client.get("/sign-in")
    response = client.post(
        "/sign-in", data={"email": "not-an-email", "csrf_token": form_token(page)}
    )
    assert response.status_code == 200
    assert "Enter an email address in the correct format" in text_of(response)
    assert 'type="password"' not in response.get_data(as_text=True)


def test_sign_in_and_out(client, learner):
    response = sign_in(client, learner)
    assert response.status_code == 302
    assert response.headers["Location"] == "/home"
    home = client.get("/home")
    assert home.status_code == 200
    assert learner.name in text_of(home)

    response = client.post("/sign-out", data={"csrf_token": form_token(home)})
    assert response.status_code == 302
    assert client.get("/home").status_code == 302  # back to sign in


def test_email_is_case_insensitive(client, app):
    user = make_user(email="Mixed.Case@Example.org")
    response = sign_in(client, email="mixed.case@example.ORG")
    assert response.status_code == 302
    assert user.name in text_of(client.get("/home"))


def test_wrong_password_shows_error_summary(client, learner):
    page = client.get("/sign-in")
    response = client.post(
        "/sign-in",
        data={
            "email": learner.email,
            "password": "wrong-password-here",
            "csrf_token": form_token(page),
        },
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "There is a problem" in html
    assert "Enter a correct email address and password" in html
    assert "<title>Error: Sign in" in html
    assert 'href="#email"' in html


def test_unknown_email_gets_the_same_message(client):
    page = client.get("/sign-in")
    response = client.post(
        "/sign-in",
        data={"email": "nobody@example.org", "password": PASSWORD, "csrf_token": form_token(page)},
    )
    assert "Enter a correct email address and password" in text_of(response)


def test_empty_form_says_what_to_enter(client):
    page = client.get("/sign-in")
    response = client.post(
        "/sign-in", data={"email": "", "password": "", "csrf_token": form_token(page)}
    )
    body = text_of(response)
    assert "Enter your email address" in body
    assert "Enter your password" in body


def test_badly_formatted_email(client):
    page = client.get("/sign-in")
    response = client.post(
        "/sign-in", data={"email": "not-an-email", "password": "x", "csrf_token": form_token(page)}
    )
    assert "Enter an email address in the correct format, like name@example.com" in text_of(
        response
    )


def test_inactive_user_cannot_sign_in(client, db):
    user = make_user(active=False)
    response = sign_in(client, user)
    assert response.status_code == 200
    assert "Enter a correct email address and password" in text_of(response)


def test_sign_in_starts_a_new_session(client, learner, db):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    sign_in(client, learner)
    with client.session_transaction() as session:
        assert "planted" not in session
        session_id = session["_user_id"]
    from leaders.auth.models import UserSession

    # The cookie carries a random session id, not the user's id.
    assert db.session.get(UserSession, session_id).user_id == learner.id
    assert str(learner.id) != session_id


def test_next_redirect_stays_on_site(client, learner):
    page = client.get("/sign-in")
    token = form_token(page)
    data = {"email": learner.email, "password": PASSWORD, "csrf_token": token}
    response = client.post("/sign-in?next=/accessibility", data=data)
    assert response.headers["Location"] == "/accessibility"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example",
        "//evil.example",
        "/\\evil.example",
        "javascript:alert(1)",
        "/home\r\nSet-Cookie: planted=1",
        "/home\nLocation: https://evil.example",
        "/\t/evil.example",
        " //evil.example",
        "///evil.example",
        "http:/evil.example",
        "evil.example",
    ],
)
def test_next_redirect_refuses_other_sites(client, learner, target):
    page = client.get("/sign-in")
    data = {"email": learner.email, "password": PASSWORD, "csrf_token": form_token(page)}
    response = client.post("/sign-in", query_string={"next": target}, data=data)
    assert response.headers["Location"] == "/home"


def test_sign_in_records_times(client, learner, db):
    sign_in(client, learner)
    db.session.expire_all()
    user = db.session.get(User, learner.id)
    assert user.last_sign_in_at is not None
    assert user.last_active_at is not None
    assert user.created_at <= user.last_sign_in_at + timedelta(seconds=1)


def test_ending_every_session_signs_out_everywhere(learner_client, learner, db):
    from leaders.auth import sessions

    assert learner_client.get("/home").status_code == 200
    sessions.end_all(learner.id)
    assert learner_client.get("/home").status_code == 302
