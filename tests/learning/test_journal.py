"""The reflective journal: write, edit, sanitise, choose who sees it, download."""

import pytest
from sqlalchemy import select

from leaders.learning.journal import render_reflection
from leaders.learning.models import JournalEntry
from tests.helpers import form_token, text_of

MAPPING = "/courses/sample-course/going-further/mapping-your-place"
PROMPT = "who-is-missing"


def _write(client, body, visibility="private", prompt=PROMPT):
    page = client.get(MAPPING)
    return client.post(
        f"{MAPPING}/journal/{prompt}",
        data={
            f"app-{prompt}-csrf_token": form_token(page),
            f"app-{prompt}-body": body,
            f"app-{prompt}-visibility": visibility,
        },
    )


def test_write_then_edit_keeps_one_entry(learner_client, db):
    response = _write(learner_client, "The fire service is *missing* from my map.")
    assert response.status_code == 302
    page = learner_client.get(MAPPING)
    assert "Your reflection is saved. Only you can read it." in text_of(page)
    assert "The fire service is *missing* from my map." in page.get_data(
        as_text=True
    )  # in the textarea
    assert "Your reflection is saved" not in text_of(learner_client.get(MAPPING))  # shown once

    _write(learner_client, "Also the ICB's place team.", "facilitators")
    entries = db.session.execute(select(JournalEntry)).scalars().all()
    assert len(entries) == 1
    assert entries[0].body == "Also the ICB's place team."
    assert entries[0].visibility == "facilitators"
    assert entries[0].prompt_key == "sample-course/going-further/mapping-your-place#who-is-missing"


def test_private_is_the_default(learner_client):
    html = learner_client.get(MAPPING).get_data(as_text=True)
    assert 'name="app-who-is-missing-visibility" type="radio" value="private" checked' in html


def test_empty_reflection_shows_an_error_and_saves_nothing(learner_client, db):
    response = _write(learner_client, "   ")
    assert response.status_code == 200
    assert "Write your reflection before saving it" in text_of(response)
    assert "There is a problem" in text_of(response)
    assert db.session.execute(select(JournalEntry)).first() is None


def test_unknown_visibility_is_refused(learner_client, db):
    response = _write(learner_client, "Hello", "everyone-on-earth")
    assert response.status_code == 200
    assert db.session.execute(select(JournalEntry)).first() is None


def test_reflection_without_csrf_is_refused(learner_client, db):
    response = learner_client.post(
        f"{MAPPING}/journal/{PROMPT}",
        data={f"app-{PROMPT}-body": "x", f"app-{PROMPT}-visibility": "private"},
    )
    assert response.status_code == 400
    assert db.session.execute(select(JournalEntry)).first() is None


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        '<p style="background:url(javascript:alert(1))">styled</p>',
        "<iframe src='https://evil.example'></iframe>",
        '<svg onload="alert(1)"></svg>',
    ],
)
def test_reflections_are_sanitised(attack):
    html = render_reflection(attack).lower()
    for bad in ("<script", "onerror", "onload", "javascript:", "style=", "<iframe", "<svg"):
        assert bad not in html


def test_safe_markdown_survives():
    html = render_reflection("# Big\n\n**bold** and [a link](https://example.org)\n\n- one\n- two")
    assert '<h3 class="govuk-heading-s">Big</h3>' in html
    assert "<strong>bold</strong>" in html
    assert 'href="https://example.org"' in html
    assert 'rel="noopener noreferrer nofollow"' in html
    assert '<ul class="govuk-list govuk-list--bullet">' in html


def test_journal_lists_entries_by_module_and_downloads(learner_client):
    _write(learner_client, "The **fire service**.")
    _write(learner_client, "I will call the college principal.", prompt="first-conversation")
    journal = learner_client.get("/journal")
    body = text_of(journal)
    assert "Going further" in body
    assert "The fire service ." in body or "The fire service." in body
    assert body.index("The fire service") < body.index("college principal")

    download = learner_client.get("/journal/download")
    assert download.status_code == 200
    assert download.mimetype == "text/markdown"
    assert "attachment" in download.headers["Content-Disposition"]
    text = download.get_data(as_text=True)
    assert text.startswith("# Reflective journal: Lena Learner")
    assert "The **fire service**." in text
    assert "I will call the college principal." in text


def test_empty_journal_says_so(learner_client):
    assert "You have not written anything yet" in text_of(learner_client.get("/journal"))


def test_entries_are_private_to_their_author(client, learner_client, cohort, db):
    from tests.conftest import sign_in
    from tests.factories import enrol, make_user

    _write(learner_client, "Only mine.")
    learner_client.post("/sign-out", data={"csrf_token": form_token(learner_client.get("/home"))})
    other = make_user()
    enrol(cohort, other)
    sign_in(client, other)
    assert "Only mine." not in client.get("/journal").get_data(as_text=True)
    assert "Only mine." not in client.get(MAPPING).get_data(as_text=True)
    assert "Only mine." not in client.get("/journal/download").get_data(as_text=True)
