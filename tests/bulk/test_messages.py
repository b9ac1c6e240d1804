"""Messages to a cohort, a learning set or selected learners: a preview that shows exactly the email
and who gets it, then the queue sends it. A real SMTP server (aiosmtpd) receives the mail, so the
test sees who actually got it: the right people, and nobody else (not another cohort's learners, not
someone removed, not a closed account, not staff)."""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest
from sqlalchemy import delete, select

from leaders.audit import Action, AuditEvent
from leaders.cohorts.models import CohortMember, LearningSet, LearningSetMember
from leaders.extensions import db
from leaders.outbox import Email
from tests.factories import enrol, make_user
from tests.helpers import form_token, page, text, text_of

BODY = "Workshop 3 moves to **Sheffield**.\n\n- Bring the map\n- Read [the brief](https://example.org/brief)\n\n<script>alert(1)</script>"


@pytest.fixture
def app_overrides(smtp):
    controller, _ = smtp
    return {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": controller.port,
        "MAIL_USE_TLS": False,
        "MAIL_USE_SSL": False,
        "MAIL_USERNAME": "",
        "MAIL_TIMEOUT": 5,
    }


def _recipients(inbox) -> list[str]:
    return sorted(address for _, tos, _ in inbox.received for address in tos)


def _preview(client, cohort_id, **data):
    url = f"/cohorts/{cohort_id}/messages/new"
    token = form_token(client.get(url, query_string={"person": data.get("person", [])}))
    fields = {"csrf_token": token, "subject": "Workshop 3", "body": BODY, **data}
    return client.post(url, data=fields)


def _send(client, preview, **changes):
    form = page(preview).find_all("form", method="post")[-1]
    data: dict[str, list[str]] = {}
    for element in form.iter("input"):
        data.setdefault(element.get("name"), []).append(element.get("value", ""))
    data["send"] = ["yes"]
    data.update({k: [v] for k, v in changes.items()})
    return client.post(form.get("action"), data=data)


def _listed(response) -> list[str]:
    return [
        text(li).split(" (")[0] for li in page(response).one("ul", id="recipients").findall("li")
    ]


def test_the_whole_cohort_gets_it_after_a_preview_and_nobody_else(cast, as_user, smtp):
    _, inbox = smtp
    ann, ben, cat = cast.learners
    closed = make_user(name="Cloe Closed", active=False)
    enrol(cast.cohort, closed)
    client = as_user(cast.manager)
    preview = _preview(client, cast.cohort.id, audience="cohort")
    assert preview.status_code == 200
    assert _listed(preview) == ["Ann Council", "Ben Council", "Cat Health"]
    shown = page(preview).one("div", id="email-preview")
    assert shown.find(".//strong").text == "Sheffield"
    assert (
        "<script"
        not in preview.get_data(as_text=True).split('id="email-preview"')[1].split("</div>")[0]
    )
    assert "Hello Ann Council" in text(shown)
    assert inbox.received == []  # the preview sends nothing

    sent = _send(client, preview)
    assert sent.status_code == 302
    assert sent.headers["Location"].endswith(f"/cohorts/{cast.cohort.id}/emails")
    assert _recipients(inbox) == sorted([ann.email, ben.email, cat.email])
    message = message_from_bytes(inbox.received[0][2], policy=policy.default)
    assert message["Subject"] == "Workshop 3"
    plain = message.get_body(("plain",)).get_content()
    assert "Workshop 3 moves to **Sheffield**." in plain
    assert "Tom Manager, for South Yorkshire 2027" in plain
    html = message.get_body(("html",)).get_content()
    assert "<strong>Sheffield</strong>" in html
    assert "<script" not in html
    assert 'href="https://example.org/brief"' in html

    emails_page = text_of(client.get(sent.headers["Location"]))
    assert "“Workshop 3” is queued for 3 people" in emails_page
    assert emails_page.count("Workshop 3") >= 4  # the banner and one row per email
    (event,) = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == Action.MESSAGE_SENT.value)
    )
    assert event.cohort_id == cast.cohort.id
    assert "3 people" in event.detail

    # The same Send again (a double click, the back button): nobody gets it twice.
    again = _send(client, preview)
    assert again.status_code == 302
    assert len(inbox.received) == 3


def test_one_learning_set_but_not_someone_removed_from_the_cohort(cast, as_user, smtp):
    _, inbox = smtp
    ann, ben, _cat = cast.learners
    first, other = (
        LearningSet(cohort_id=cast.cohort.id, name="Set 1"),
        LearningSet(cohort_id=cast.other_cohort.id, name="Set 1"),
    )
    db.session.add_all([first, other])
    db.session.flush()
    db.session.add_all(
        [
            LearningSetMember(cohort_id=cast.cohort.id, set_id=first.id, user_id=ann.id),
            LearningSetMember(cohort_id=cast.cohort.id, set_id=first.id, user_id=ben.id),
            LearningSetMember(
                cohort_id=cast.other_cohort.id, set_id=other.id, user_id=cast.outsider.id
            ),
        ]
    )
    # Ben leaves the cohort; his set row stays behind.
    db.session.execute(
        delete(CohortMember).where(
            CohortMember.cohort_id == cast.cohort.id, CohortMember.user_id == ben.id
        )
    )
    db.session.commit()
    client = as_user(cast.manager)
    preview = _preview(client, cast.cohort.id, audience="set", learning_set=str(first.id))
    assert _listed(preview) == ["Ann Council"]
    _send(client, preview)
    assert _recipients(inbox) == [ann.email]

    # Another cohort's set, asked for through this cohort's page, has no one in this cohort.
    forged = _preview(client, cast.cohort.id, audience="set", learning_set=str(other.id))
    assert "Choose the learning set" in text(page(forged).one("div", class_="govuk-error-summary"))


def test_the_learners_selected_on_the_people_page(cast, as_user, smtp):
    _, inbox = smtp
    ann, _ben, cat = cast.learners
    client = as_user(cast.manager)
    token = form_token(client.get(f"/cohorts/{cast.cohort.id}/people"))
    chosen = client.post(
        f"/cohorts/{cast.cohort.id}/people/bulk",
        data={
            "csrf_token": token,
            "action": "message",
            "person": [ann.id, cat.id, cast.facilitator.id],
        },
    )
    assert chosen.status_code == 302
    form = client.get(chosen.headers["Location"])
    radios = {
        r.get("value"): r.get("checked") is not None
        for r in page(form).find_all("input", type="radio")
    }
    assert radios["selected"] is True
    preview = _preview(
        client, cast.cohort.id, audience="selected", person=[ann.id, cat.id, cast.facilitator.id]
    )
    assert _listed(preview) == ["Ann Council", "Cat Health"]  # learners only
    _send(client, preview)
    assert _recipients(inbox) == sorted([ann.email, cat.email])
    kinds = db.session.scalars(select(Email.kind).where(Email.cohort_id == cast.cohort.id)).all()
    assert kinds == ["message", "message"]

    # Someone from another cohort slipped into the selection: refused, nothing sent.
    assert (
        _preview(
            client, cast.cohort.id, audience="selected", person=[ann.id, cast.outsider.id]
        ).status_code
        == 404
    )


def test_a_message_needs_a_subject_and_a_body(cast, as_user, smtp):
    _, inbox = smtp
    client = as_user(cast.manager)
    response = _preview(client, cast.cohort.id, audience="cohort", subject="", body="")
    summary = text(page(response).one("div", class_="govuk-error-summary"))
    assert "Enter a subject" in summary
    assert "Enter the message" in summary
    assert inbox.received == []


@pytest.mark.parametrize("who", ["facilitator", "lead"])
def test_facilitators_and_organisation_leads_cannot_send(cast, as_user, smtp, who):
    _, inbox = smtp
    client = as_user(getattr(cast, who))
    url = f"/cohorts/{cast.cohort.id}/messages/new"
    assert client.get(url).status_code == 403
    token = form_token(client.get("/home"))
    data = {
        "csrf_token": token,
        "audience": "cohort",
        "subject": "Hi",
        "body": "Hi",
        "send": "yes",
        "token": "t" * 20,
    }
    assert client.post(url, data=data).status_code == 403
    assert inbox.received == []
