"""Learners' own words, with consent: only reflections marked "may be quoted", without names or
organisations; withdrawing consent (on the journal page, or by unticking) removes the quote."""

from __future__ import annotations

from sqlalchemy import select

from leaders.audit import Action, AuditEvent
from leaders.extensions import db
from leaders.learning.models import JournalEntry
from tests.conftest import sign_in
from tests.factories import Cast, enrol, make_user
from tests.helpers import form_token, page, text_of

MAPPING = "/courses/sample-course/going-further/mapping-your-place"
PROMPT = "who-is-missing"


def _write(client, body, *, quote: bool):
    page = client.get(MAPPING)
    data = {
        f"app-{PROMPT}-csrf_token": form_token(page),
        f"app-{PROMPT}-body": body,
        f"app-{PROMPT}-visibility": "private",
    }
    if quote:
        data[f"app-{PROMPT}-quote_consent"] = "y"
    return client.post(f"{MAPPING}/journal/{PROMPT}", data=data)


def _as(client, user) -> None:
    """Sign out whoever is signed in, and sign in as `user`."""
    home = client.get("/home")
    if home.status_code == 200:
        client.post("/sign-out", data={"csrf_token": form_token(home)})
    assert sign_in(client, user).status_code == 302


def _report(client, cast, then=None) -> str:
    """The report as the cohort's manager sees it; then signed in as `then` again."""
    _as(client, cast.manager)
    text = text_of(client.get(f"/cohorts/{cast.cohort.id}/report"))
    if then is not None:
        _as(client, then)
    return text


def test_only_consented_reflections_are_quoted_without_names(app, client):
    cast = Cast()
    ann, ben, _cat = cast.learners
    _as(client, ann)
    assert _write(client, "The fire service is missing from my map.", quote=True).status_code == 302
    page = client.get(MAPPING)
    assert 'name="app-who-is-missing-quote_consent" type="checkbox" value="y" checked' in (
        page.get_data(as_text=True)
    )
    _as(client, ben)
    _write(client, "Ben's private thought about the ICB.", quote=False)

    report = _report(client, cast)
    assert "The fire service is missing from my map." in report
    assert "Ben's private thought" not in report
    quoted = report.split("In their own words", 1)[1]
    for name in ("Ann Council", "Barnsley Council", "Ben Council"):
        assert name not in quoted


def test_withdrawing_consent_removes_the_quote_from_later_reports(app, client):
    cast = Cast()
    ann, ben, _cat = cast.learners
    _as(client, ann)
    _write(client, "Words I may take back.", quote=True)
    entry = db.session.execute(select(JournalEntry)).scalar_one()
    assert entry.quote_consent
    assert "Words I may take back." in _report(client, cast, then=ben)

    # Someone else cannot withdraw it for her: nothing changes.
    token = page(client.get(MAPPING)).one("input", name=f"app-{PROMPT}-csrf_token").get("value")
    forged = client.post(f"/journal/{entry.id}/quote-consent", data={"csrf_token": token})
    assert forged.status_code == 302
    assert "nothing changed" in text_of(client.get("/journal"))
    _as(client, ann)
    db.session.refresh(entry)
    assert entry.quote_consent

    journal = client.get("/journal")
    assert "Withdraw consent to quote" in text_of(journal)
    response = client.post(
        f"/journal/{entry.id}/quote-consent", data={"csrf_token": form_token(journal)}
    )
    assert response.status_code == 302
    assert "Reports will no longer quote that reflection." in text_of(client.get("/journal"))
    db.session.refresh(entry)
    assert not entry.quote_consent
    assert "Words I may take back." not in _report(client, cast)
    events = db.session.execute(
        select(AuditEvent).where(AuditEvent.action == Action.QUOTE_CONSENT_WITHDRAWN.value)
    ).scalars()
    assert [e.actor_id for e in events] == [ann.id]


def test_a_forged_withdrawal_without_a_token_changes_nothing(app, client):
    cast = Cast()
    ann = cast.learners[0]
    _as(client, ann)
    _write(client, "Keep me quoted.", quote=True)
    entry = db.session.execute(select(JournalEntry)).scalar_one()
    assert client.post(f"/journal/{entry.id}/quote-consent").status_code == 400
    db.session.refresh(entry)
    assert entry.quote_consent


def test_unticking_the_box_when_editing_withdraws_consent(app, client):
    cast = Cast()
    _as(client, cast.learners[0])
    _write(client, "First words.", quote=True)
    _write(client, "Second thoughts.", quote=False)
    entry = db.session.execute(select(JournalEntry)).scalar_one()
    assert not entry.quote_consent
    assert "Second thoughts." not in _report(client, cast)


def test_a_learner_who_left_the_cohort_is_not_quoted(app, client):
    cast = Cast()
    leaver = make_user(name="Lou Leaver")
    member = enrol(cast.cohort, leaver)
    _as(client, leaver)
    _write(client, "Gone but not quoted.", quote=True)
    db.session.delete(member)
    db.session.commit()
    assert "Gone but not quoted." not in _report(client, cast)
