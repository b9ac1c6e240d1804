"""Sessions end on the server: a cookie copied before sign-out, a new password or erasure signs no one in."""

from __future__ import annotations

from sqlalchemy import select

from leaders.auth import tokens
from leaders.auth.models import UserSession
from leaders.extensions import db
from tests.conftest import sign_in
from tests.factories import make_user
from tests.helpers import form_token

DOWNLOAD = "/account/my-data.zip"
NEW_PASSWORD = "a-brand-new-harbour-lantern"


def _cookie(client) -> str:
    return client.get_cookie("session").value


def _replay(app, cookie: str):
    """A fresh client (an attacker's browser) holding a copied session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief


def _sent_to_sign_in(response) -> bool:
    return response.status_code == 302 and response.headers["Location"].startswith("/sign-in")


def test_a_cookie_copied_before_sign_out_no_longer_works(app, learner_client, learner):
    copied = _cookie(learner_client)
    assert _replay(app, copied).get(DOWNLOAD).status_code == 200  # the copy works while signed in
    token = form_token(learner_client.get("/home"))
    assert learner_client.post("/sign-out", data={"csrf_token": token}).status_code == 302
    assert _sent_to_sign_in(_replay(app, copied).get(DOWNLOAD))
    [row] = db.session.execute(select(UserSession)).scalars()
    assert row.user_id == learner.id
    assert row.ended_at is not None


def test_a_new_password_ends_every_session(app, client, learner):
    assert sign_in(client, learner).status_code == 302
    copied = _cookie(client)
    other = app.test_client()
    path = f"/password-reset/{tokens.make_token(learner, 'reset')}"
    page = other.get(path)
    data = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "csrf_token": form_token(page)}
    assert other.post(path, data=data).status_code == 302
    assert _sent_to_sign_in(_replay(app, copied).get(DOWNLOAD))
    assert _sent_to_sign_in(client.get("/home"))
    # Signing in with the new password starts a new session that works.
    assert sign_in(client, learner, NEW_PASSWORD).status_code == 302
    assert client.get(DOWNLOAD).status_code == 200


def test_accepting_an_invitation_signs_in_with_a_fresh_session(app, client, db):
    invited = make_user(password=None)
    path = f"/invitation/{tokens.make_token(invited, 'invite')}"
    page = client.get(path)
    data = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "csrf_token": form_token(page)}
    assert client.post(path, data=data).status_code == 302
    assert client.get(DOWNLOAD).status_code == 200
    rows = db.session.execute(select(UserSession).where(UserSession.user_id == invited.id)).all()
    assert len(rows) == 1


def test_erasure_ends_every_session(app, client, learner):
    from leaders.auth.models import Role
    from leaders.privacy.models import ErasureRequest
    from leaders.privacy.services import erase

    assert sign_in(client, learner).status_code == 302
    copied = _cookie(client)
    request = ErasureRequest(user_id=learner.id)
    db.session.add(request)
    db.session.commit()
    admin = make_user(role=Role.ADMIN)
    erase(request.id, admin.id)
    assert _sent_to_sign_in(_replay(app, copied).get(DOWNLOAD))
    ended = db.session.execute(
        select(UserSession.ended_at).where(UserSession.user_id == learner.id)
    ).scalar_one()
    assert ended is not None


def test_each_sign_in_is_its_own_session(app, learner):
    first, second = app.test_client(), app.test_client()
    assert sign_in(first, learner).status_code == 302
    assert sign_in(second, learner).status_code == 302
    assert _cookie(first) != _cookie(second)
    token = form_token(first.get("/home"))
    first.post("/sign-out", data={"csrf_token": token})
    # Signing out on one device leaves the other signed in.
    assert second.get("/home").status_code == 200
    agents = db.session.execute(select(UserSession.user_agent)).scalars().all()
    assert len(agents) == 2


def test_a_made_up_or_old_style_cookie_signs_no_one_in(app, learner):
    client = app.test_client()
    for forged in (str(learner.id), f"{learner.id}.1", "x" * 500, ""):
        with client.session_transaction() as session:
            session["_user_id"] = forged
        assert _sent_to_sign_in(client.get("/home")), forged


def test_signed_in_pages_load_the_user_and_session_in_one_query(app, learner_client, count_queries):
    learner_client.get("/home")  # last-seen times are fresh: no writes on the next request
    with count_queries() as queries:
        learner_client.get("/accessibility")
    assert len(queries) == 1, queries.statements
    assert "user_session" in queries.statements[0]
