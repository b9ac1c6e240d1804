"""Admin: the list of every user (search, filters, sort, pages) and what an admin does to one account."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from leaders.audit import AuditEvent
from leaders.auth.models import Role, User, UserSession
from leaders.privacy.models import ErasureRequest
from leaders.timeutil import utcnow
from tests.conftest import sign_in
from tests.factories import Cast, enrol, make_user
from tests.helpers import form_token, page, sent_emails, text_of


@pytest.fixture
def app_overrides(tmp_path):
    return {"MAIL_OUTBOX_DIR": str(tmp_path / "outbox")}


@pytest.fixture
def cast(app):
    return Cast()


@pytest.fixture
def admin_client(app, cast):
    client = app.test_client()
    assert sign_in(client, cast.admin).status_code == 302
    return client


def _names(response) -> list[str]:
    table = page(response).one("table", id="users")
    return [
        " ".join("".join(cell.find("a").itertext()).split())
        for cell in table.iter("td")
        if cell.get("data-label") == "Name"
    ]


def _events(db, action: str) -> list[AuditEvent]:
    return list(db.session.execute(select(AuditEvent).where(AuditEvent.action == action)).scalars())


def _post(client, url, **data):
    token = form_token(client.get("/home"))
    return client.post(url, data={"csrf_token": token, **data})


# The list ----------------------------------------------------------------------------------------


def test_lists_everyone_sorted_by_name_with_aria_sort(admin_client, cast):
    response = admin_client.get("/admin/users")
    assert response.status_code == 200
    names = _names(response)
    assert len(names) == 9
    assert [n.split()[0] for n in names] == sorted(n.split()[0] for n in names)
    headers = page(response).find_all("th", scope="col")
    sorts = {
        " ".join("".join(h.itertext()).split()).split(",")[0]: h.get("aria-sort") for h in headers
    }
    assert sorts["Name"] == "ascending"
    assert sorts["Email"] == "none"
    # The heading link reverses it.
    reversed_ = admin_client.get("/admin/users?sort=name&dir=desc")
    assert _names(reversed_) == list(reversed(names))


def test_search_filters_and_status_in_the_address(admin_client, cast, db):
    invited = make_user(name="Ivy Invited", password=None, organisation_id=cast.trust.id)
    closed = make_user(name="Dee Closed", active=False)
    locked = make_user(name="Lou Locked", locked_until=utcnow() + timedelta(minutes=10))
    assert _names(admin_client.get("/admin/users?q=council")) == [
        n for n in _names(admin_client.get("/admin/users")) if "Council" in n
    ]
    assert _names(admin_client.get(f"/admin/users?q={cast.admin.email.upper()}")) == ["Ada Admin"]
    assert _names(admin_client.get("/admin/users?q=ann+council")) == ["Ann Council"]
    assert _names(admin_client.get("/admin/users?role=programme_manager")) == [
        "Olga Other",
        "Tom Manager",
    ]
    by_org = _names(admin_client.get(f"/admin/users?organisation={cast.trust.id}"))
    assert by_org == ["Cat Health", "Ivy Invited"]
    assert _names(admin_client.get("/admin/users?status=invited")) == [invited.name]
    assert _names(admin_client.get("/admin/users?status=deactivated")) == [closed.name]
    assert _names(admin_client.get("/admin/users?status=locked")) == [locked.name]
    active = _names(admin_client.get("/admin/users?status=active"))
    assert len(active) == 9
    assert locked.name not in active
    # Combined, and a stale or forged value is ignored rather than an error.
    assert _names(admin_client.get("/admin/users?status=invited&role=admin")) == []
    assert admin_client.get("/admin/users?status=nonsense&sort=evil&page=x").status_code == 200
    # SQL wildcards are searched for as themselves.
    assert _names(admin_client.get("/admin/users?q=%25")) == []


def test_sort_by_organisation_puts_no_organisation_last(admin_client, cast):
    names = _names(admin_client.get("/admin/users?sort=organisation"))
    assert names[:3] == ["Ann Council", "Ben Council", "Lee Lead"]
    assert names[3] == "Cat Health"
    descending = _names(admin_client.get("/admin/users?sort=organisation&dir=desc"))
    assert descending[0] == "Cat Health"
    assert set(descending[4:]) == set(names[4:])


def test_pages_past_100(admin_client, cast, db):
    for n in range(105):
        db.session.add(User(email=f"bulk{n:03}@example.org", name=f"Bulk {n:03}"))
    db.session.commit()
    first = admin_client.get("/admin/users?q=bulk")
    assert len(_names(first)) == 100
    assert "Showing 1 to 100 of 105 users" in text_of(first)
    second = admin_client.get("/admin/users?q=bulk&page=2")
    assert _names(second) == ["Bulk 100", "Bulk 101", "Bulk 102", "Bulk 103", "Bulk 104"]
    # Past the last page: the last page.
    assert _names(admin_client.get("/admin/users?q=bulk&page=99")) == _names(second)
    nav = page(first).one("nav", class_="govuk-pagination")
    next_link = [a.get("href") for a in nav.iter("a") if "page=2" in (a.get("href") or "")]
    assert next_link
    assert "q=bulk" in next_link[0]


def test_the_list_costs_two_queries_whatever_its_size(admin_client, cast, db, app):
    from sqlalchemy import event

    for n in range(50):
        db.session.add(User(email=f"q{n}@example.org", name=f"Q {n}"))
    db.session.commit()
    statements = []

    def count(*args):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        admin_client.get("/admin/users")
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) <= 6, statements


# One user ----------------------------------------------------------------------------------------


def test_detail_page_lists_cohorts_and_roles(admin_client, cast):
    enrol(cast.other_cohort, cast.facilitator, "organisation_lead")
    response = admin_client.get(f"/admin/users/{cast.facilitator.id}")
    assert response.status_code == 200
    assert page(response).one("h1").text == "Fay Facilitator"
    table_text = text_of(response)
    assert "South Yorkshire 2027 Facilitator" in table_text
    assert "Kent 2027 Organisation lead" in table_text
    assert admin_client.get("/admin/users/999999").status_code == 404


def test_change_role_through_confirmation(admin_client, cast, db):
    url = f"/admin/users/{cast.manager.id}/role"
    form = admin_client.get(url)
    assert form.status_code == 200
    asked = admin_client.post(url, data={"csrf_token": form_token(form), "role": "admin"})
    assert asked.status_code == 200
    assert page(asked).one("h1").text == "Make Tom Manager an admin?"
    db.session.expire_all()
    assert db.session.get(User, cast.manager.id).role == "programme_manager"
    done = admin_client.post(
        url, data={"csrf_token": form_token(asked), "role": "admin", "confirm": "yes"}
    )
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, cast.manager.id).role == "admin"
    [event] = _events(db, "account-role-changed")
    assert (event.actor_id, event.subject_id) == (cast.admin.id, cast.manager.id)
    assert event.detail == "Programme manager to admin"


def test_role_form_refuses_same_role_and_nonsense(admin_client, cast, db):
    url = f"/admin/users/{cast.manager.id}/role"
    token = form_token(admin_client.get(url))
    same = admin_client.post(url, data={"csrf_token": token, "role": "programme_manager"})
    summary = page(same).one("div", class_="govuk-error-summary")
    assert "already a programme manager" in " ".join("".join(summary.itertext()).split())
    bad = admin_client.post(url, data={"csrf_token": token, "role": "superuser", "confirm": "yes"})
    assert bad.status_code == 200
    assert page(bad).find("div", class_="govuk-error-summary")
    db.session.expire_all()
    assert db.session.get(User, cast.manager.id).role == "programme_manager"
    assert _events(db, "account-role-changed") == []


def test_admin_cannot_demote_or_deactivate_themselves(admin_client, cast, db):
    me = cast.admin.id
    for url in (f"/admin/users/{me}/role", f"/admin/users/{me}/deactivate"):
        assert admin_client.get(url).status_code == 403
        forged = _post(admin_client, url, role="learner", confirm="yes")
        assert forged.status_code == 403
        assert "your own" in text_of(forged)
    db.session.expire_all()
    assert db.session.get(User, me).role == "admin"
    assert db.session.get(User, me).active
    detail = admin_client.get(f"/admin/users/{me}")
    assert "Another admin must change your role" in text_of(detail)
    assert page(detail).find("a", href=f"/admin/users/{me}/deactivate") is None


def test_the_last_admin_cannot_be_removed(app, cast, db):
    from leaders.admin import services

    # Someone with no admin role left (a CLI script, a stale session) tries to demote the only admin.
    with pytest.raises(services.Refused, match="only admin"):
        services.change_role(cast.manager.id, cast.admin.id, Role.LEARNER)
    with pytest.raises(services.Refused, match="only admin"):
        services.deactivate(cast.manager.id, cast.admin.id)
    db.session.expire_all()
    assert db.session.get(User, cast.admin.id).role == "admin"
    # With a second admin, one can demote the other, and then no further.
    second = make_user(name="Bea Admin", role=Role.ADMIN)
    services.change_role(second.id, cast.admin.id, Role.PROGRAMME_MANAGER)
    with pytest.raises(services.Refused):
        services.change_role(cast.admin.id, second.id, Role.LEARNER)
    db.session.expire_all()
    assert db.session.get(User, second.id).role == "admin"


def test_deactivate_ends_sessions_and_reactivate(app, admin_client, cast, db):
    learner = app.test_client()
    assert sign_in(learner, cast.learners[0]).status_code == 302
    assert learner.get("/home").status_code == 200
    version = cast.learners[0].session_version
    url = f"/admin/users/{cast.learners[0].id}/deactivate"
    asked = admin_client.get(url)
    assert page(asked).one("h1").text == "Deactivate Ann Council's account?"
    done = admin_client.post(url, data={"csrf_token": form_token(asked), "confirm": "yes"})
    assert done.status_code == 302
    db.session.expire_all()
    ann = db.session.get(User, cast.learners[0].id)
    assert not ann.active
    assert ann.session_version == version + 1
    live = db.session.execute(
        select(func.count()).where(UserSession.user_id == ann.id, UserSession.ended_at.is_(None))
    ).scalar_one()
    assert live == 0
    assert learner.get("/home").status_code == 302  # signed out
    assert _names(admin_client.get("/admin/users?status=deactivated")) == ["Ann Council"]
    # Deactivating again is refused, reactivating works.
    assert _post(admin_client, url, confirm="yes").status_code == 403
    again = f"/admin/users/{ann.id}/reactivate"
    assert _post(admin_client, again, confirm="yes").status_code == 302
    db.session.expire_all()
    assert db.session.get(User, ann.id).active
    assert [e.action for e in _events(db, "account-deactivated")] == ["account-deactivated"]
    assert len(_events(db, "account-reactivated")) == 1
    assert _post(admin_client, again, confirm="yes").status_code == 403  # active already


def test_an_erased_account_cannot_be_reactivated(admin_client, cast, db):
    erased = make_user(name="Erased learner", password=None, active=False)
    db.session.add(ErasureRequest(user_id=erased.id, completed_at=utcnow()))
    db.session.commit()
    url = f"/admin/users/{erased.id}/reactivate"
    assert admin_client.get(url).status_code == 403
    refused = _post(admin_client, url, confirm="yes")
    assert refused.status_code == 403
    assert "erased" in text_of(refused)
    db.session.expire_all()
    assert not db.session.get(User, erased.id).active
    assert _post(admin_client, f"/admin/users/{erased.id}/role", role="admin").status_code == 403
    assert "cannot be reopened" in text_of(admin_client.get(f"/admin/users/{erased.id}"))


def test_resend_invitation_only_while_invited(app, admin_client, cast, db):
    ivy = make_user(name="Ivy Invited", password=None)
    enrol(cast.cohort, ivy)
    detail = admin_client.get(f"/admin/users/{ivy.id}")
    assert page(detail).find("button", id="resend") is not None
    done = _post(admin_client, f"/admin/users/{ivy.id}/resend-invitation")
    assert done.status_code == 302
    [mail] = [m for m in sent_emails(app) if m["to"] == ivy.email]
    assert "/invitation/" in mail["text"]
    assert cast.cohort.name in mail["subject"]
    [event] = _events(db, "invitation-resent")
    assert event.cohort_id == cast.cohort.id
    assert event.subject_id == ivy.id
    # Someone who has joined, or is in no cohort: refused, nothing sent.
    joined = _post(admin_client, f"/admin/users/{cast.learners[0].id}/resend-invitation")
    assert joined.status_code == 403
    loner = make_user(name="Lone Invitee", password=None)
    assert _post(admin_client, f"/admin/users/{loner.id}/resend-invitation").status_code == 403
    assert len(sent_emails(app)) == 1


def test_send_reset_link_through_confirmation(app, admin_client, cast, db):
    ann = cast.learners[0]
    url = f"/admin/users/{ann.id}/reset-link"
    asked = admin_client.get(url)
    assert page(asked).one("h1").text == "Send Ann Council a password reset link?"
    assert sent_emails(app) == []
    done = admin_client.post(url, data={"csrf_token": form_token(asked), "confirm": "yes"})
    assert done.status_code == 302
    [mail] = sent_emails(app)
    assert mail["to"] == ann.email
    assert "/password-reset/" in mail["text"]
    assert len(_events(db, "password-reset-sent")) == 1
    # The link works: it is the same one "Forgotten password" sends.
    link = mail["text"].split("/password-reset/")[1].split()[0]
    assert app.test_client().get(f"/password-reset/{link}").status_code == 200
    invited = make_user(name="Ivy Invited", password=None)
    assert admin_client.get(f"/admin/users/{invited.id}/reset-link").status_code == 403


@pytest.mark.parametrize("who", ["learner", "manager", "facilitator"])
def test_non_admins_are_refused_every_admin_route(app, cast, db, who):
    person = {
        "learner": cast.learners[0],
        "manager": cast.manager,
        "facilitator": cast.facilitator,
    }[who]
    client = app.test_client()
    sign_in(client, person)
    target = cast.learners[1].id
    token = form_token(client.get("/home"))
    for method, url in [
        ("GET", "/admin/users"),
        ("GET", f"/admin/users/{target}"),
        ("GET", f"/admin/users/{target}/role"),
        ("POST", f"/admin/users/{target}/role"),
        ("POST", f"/admin/users/{target}/deactivate"),
        ("POST", f"/admin/users/{target}/reactivate"),
        ("POST", f"/admin/users/{target}/resend-invitation"),
        ("POST", f"/admin/users/{target}/reset-link"),
    ]:
        data = {"csrf_token": token, "confirm": "yes", "role": "admin"}
        response = client.get(url) if method == "GET" else client.post(url, data=data)
        assert response.status_code == 403, (method, url)
    db.session.expire_all()
    assert db.session.get(User, person.id).role == person.role
    assert db.session.get(User, target).active
    assert (
        db.session.execute(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action.like("account-%"))
        ).scalar_one()
        == 0
    )


def test_users_in_the_admin_navigation(admin_client, app, cast):
    nav = page(admin_client.get("/admin/users")).one("ul", id="navigation")
    current = [a for a in nav.iter("a") if a.get("aria-current") == "true"]
    assert [" ".join("".join(a.itertext()).split()) for a in current] == ["Users"]
    learner = app.test_client()
    sign_in(learner, cast.learners[0])
    assert "/admin/users" not in learner.get("/home").get_data(as_text=True)


@pytest.mark.parametrize(
    "column", ["name", "email", "organisation", "role", "status", "last_active"]
)
def test_every_column_sorts_both_ways(admin_client, cast, column):
    make_user(name="Ivy Invited", password=None)
    make_user(name="Dee Closed", active=False)
    up = admin_client.get(f"/admin/users?sort={column}&dir=asc")
    down = admin_client.get(f"/admin/users?sort={column}&dir=desc")
    sorted_header = [
        h for h in page(up).find_all("th", scope="col") if h.get("aria-sort") != "none"
    ]
    assert len(sorted_header) == 1
    assert sorted(_names(up)) == sorted(_names(down))
    assert len(_names(up)) == 11
    if column == "role":
        assert _names(up)[-1] == "Ada Admin"
        assert _names(down)[0] == "Ada Admin"
    if column == "status":
        assert _names(up)[0] == "Ada Admin"  # active, first by name
        assert _names(up)[-2:] == ["Ivy Invited", "Dee Closed"]
        assert _names(down)[:2] == ["Dee Closed", "Ivy Invited"]
