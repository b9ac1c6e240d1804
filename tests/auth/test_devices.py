"""Signed in on these devices: see them, sign one or all out; password change; an admin's ending."""

from __future__ import annotations

from sqlalchemy import select, update

from leaders.audit import Action, AuditEvent
from leaders.auth.models import Role, UserSession
from leaders.extensions import db
from tests.conftest import sign_in
from tests.factories import PASSWORD, make_user
from tests.helpers import form_token, text_of

NEW_PASSWORD = "a-brand-new-harbour-lantern"


def _device(app, user, agent: str):
    other = app.test_client()
    other.environ_base["HTTP_USER_AGENT"] = agent
    assert sign_in(other, user).status_code == 302
    return other


def _signed_in(client) -> bool:
    return client.get("/home").status_code == 200


def test_devices_are_listed_and_one_can_be_signed_out(app, client):
    user = make_user(name="Dee Devices")
    laptop = _device(app, user, "Laptop Firefox")
    phone = _device(app, user, "Phone Safari")
    page = laptop.get("/account/devices")
    assert page.status_code == 200
    text = text_of(page)
    assert "Laptop Firefox" in text
    assert "Phone Safari" in text
    assert "This device" in text
    phone_id = db.session.scalars(
        select(UserSession.id).where(UserSession.user_agent == "Phone Safari")
    ).one()
    ended = laptop.post(f"/account/devices/{phone_id}/end", data={"csrf_token": form_token(page)})
    assert ended.status_code == 302
    assert not _signed_in(phone)
    assert _signed_in(laptop)


def test_someone_elses_session_cannot_be_ended(app, client):
    me = make_user()
    them = make_user()
    mine = _device(app, me, "Mine")
    theirs = _device(app, them, "Theirs")
    their_id = db.session.scalars(
        select(UserSession.id).where(UserSession.user_agent == "Theirs")
    ).one()
    page = mine.get("/account/devices")
    assert (
        mine.post(
            f"/account/devices/{their_id}/end", data={"csrf_token": form_token(page)}
        ).status_code
        == 404
    )
    assert _signed_in(theirs)


def test_sign_out_other_devices_then_everywhere(app, client):
    user = make_user()
    here = _device(app, user, "Here")
    there = _device(app, user, "There")
    page = here.get("/account/devices")
    here.post(
        "/account/devices/sign-out-everywhere",
        data={"everywhere": "others", "csrf_token": form_token(page)},
    )
    assert _signed_in(here)
    assert not _signed_in(there)
    page = here.get("/account/devices")
    out = here.post(
        "/account/devices/sign-out-everywhere",
        data={"everywhere": "all", "csrf_token": form_token(page)},
    )
    assert out.headers["Location"] == "/sign-in"
    assert not _signed_in(here)
    db.session.expire_all()
    assert (
        db.session.scalars(select(UserSession).where(UserSession.ended_at.is_(None))).first()
        is None
    )


def test_password_change_ends_other_sessions_and_keeps_this_one(app, client):
    user = make_user(name="Pam Password")
    here = _device(app, user, "Here")
    there = _device(app, user, "There")
    page = here.get("/account/password")
    wrong = here.post(
        "/account/password",
        data={
            "current": "nope",
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
            "csrf_token": form_token(page),
        },
    )
    assert "Your current password is not right" in text_of(wrong)
    assert _signed_in(there)
    done = here.post(
        "/account/password",
        data={
            "current": PASSWORD,
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
            "csrf_token": form_token(page),
        },
    )
    assert done.status_code == 302
    assert _signed_in(here)
    assert not _signed_in(there)
    assert sign_in(app.test_client(), user, NEW_PASSWORD).status_code == 302
    actions = [e.action for e in db.session.scalars(select(AuditEvent))]
    assert Action.PASSWORD_CHANGED.value in actions


def test_admin_ends_a_users_sessions_after_confirming(app, client):
    admin = make_user(role=Role.ADMIN, name="Ada Admin")
    victim = make_user(name="Sam Stolen")
    stolen = _device(app, victim, "Stolen laptop")
    assert sign_in(client, admin).status_code == 302
    page = client.get(f"/admin/users/{victim.id}/sessions/end")
    assert page.status_code == 200
    assert "Sign Sam Stolen out everywhere?" in text_of(page)
    assert "Stolen laptop" in text_of(page)
    # A POST without the confirmation changes nothing.
    client.post(f"/admin/users/{victim.id}/sessions/end", data={"csrf_token": form_token(page)})
    assert _signed_in(stolen)
    client.post(
        f"/admin/users/{victim.id}/sessions/end",
        data={"confirm": "yes", "csrf_token": form_token(page)},
    )
    assert not _signed_in(stolen)
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == Action.SESSIONS_ENDED.value)
    ).one()
    assert (event.actor_id, event.subject_id) == (admin.id, victim.id)
    assert client.get("/admin/users/999999/sessions/end").status_code == 404


def test_devices_are_described_in_words():
    from leaders.auth.sessions import describe_device

    chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36"
    edge = chrome + " Edg/130.0"
    iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
    assert describe_device(chrome) == "Chrome on Windows"
    assert describe_device(edge) == "Edge on Windows"
    assert describe_device(iphone) == "Safari on iPhone"
    assert describe_device("") == "Unknown browser"


def test_device_times_are_uk_times(app, client):
    """Summer times are shown in British Summer Time, as every other time on the site is."""
    from datetime import UTC, datetime

    user = make_user(name="Dee Devices")
    laptop = _device(app, user, "Laptop Firefox")
    summer = datetime(2026, 7, 1, 13, 5, tzinfo=UTC)  # 2:05pm in London
    session = db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)).one()
    session.created_at = session.last_seen_at = summer
    db.session.commit()
    text = text_of(laptop.get("/account/devices"))
    assert "1 July 2026 at 2:05pm" in text  # signed in (last used is now: this very view)
    assert "13:05" not in text
    db.session.execute(
        update(UserSession).where(UserSession.id == session.id).values(last_seen_at=summer)
    )
    db.session.commit()
    admin = make_user(role=Role.ADMIN, name="Ada Admin")
    assert sign_in(client, admin).status_code == 302
    confirming = text_of(client.get(f"/admin/users/{user.id}/sessions/end"))
    assert "last seen 1 July 2026 at 2:05pm" in confirming


def test_an_admin_is_not_asked_to_sign_out_someone_signed_in_nowhere(app, client):
    admin = make_user(role=Role.ADMIN, name="Ada Admin")
    absent = make_user(name="Nia Nowhere")
    assert sign_in(client, admin).status_code == 302
    response = client.get(f"/admin/users/{absent.id}/sessions/end")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/users/{absent.id}")
    assert "Nia Nowhere is not signed in on any device." in text_of(
        client.get(f"/admin/users/{absent.id}")
    )
    forced = client.post(
        f"/admin/users/{absent.id}/sessions/end",
        data={"confirm": "yes", "csrf_token": form_token(client.get("/admin/users"))},
    )
    assert forced.status_code == 302
    assert not db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == Action.SESSIONS_ENDED.value)
    ).all()
