"""The Emails pages: a cohort's managers see its emails and their fate, and can send one again."""

from __future__ import annotations

from sqlalchemy import select

from leaders import audit
from leaders.audit import AuditEvent
from leaders.extensions import db
from leaders.outbox import Email
from tests.cohorts.conftest import Cast
from tests.conftest import sign_in
from tests.helpers import form_token, text_of


def _email(cast, cohort, **fields) -> Email:
    values = {
        "cohort_id": cohort.id,
        "user_id": cast.learners[0].id,
        "to_address": cast.learners[0].email,
        "to_name": cast.learners[0].name,
        "subject": "Keep going",
        "text": "Hello",
        "kind": "at-risk",
        "status": "sent",
    }
    email = Email(**(values | fields), idempotency_key=f"{cohort.id}-{fields}")
    db.session.add(email)
    db.session.commit()
    return email


def test_managers_see_their_cohorts_emails_with_status_and_the_servers_reason(app, client):
    cast = Cast()
    _email(cast, cast.cohort, subject="Welcome aboard")
    failed = _email(
        cast,
        cast.cohort,
        subject="Your digest",
        status="failed",
        attempts=1,
        last_error="550 5.1.1 No such user here",
    )
    _email(cast, cast.other_cohort, subject="Another cohort's news")
    sign_in(client, cast.manager)
    page = text_of(client.get(f"/cohorts/{cast.cohort.id}/emails"))
    assert "2 emails" in page
    assert "Welcome aboard" in page
    assert "Your digest" in page
    assert "Another cohort's news" not in page
    assert "Failed" in page
    assert "The mail server said: 550 5.1.1 No such user here" in page
    only_failed = text_of(client.get(f"/cohorts/{cast.cohort.id}/emails?status=failed"))
    assert "1 email failed" in only_failed
    assert "Welcome aboard" not in only_failed
    bad = client.get(f"/cohorts/{cast.cohort.id}/emails?status=lost")
    assert "Choose a status from the list" in text_of(bad)

    response = client.post(
        f"/cohorts/{cast.cohort.id}/emails/{failed.id}/send-again",
        data={"csrf_token": form_token(client.get(f"/cohorts/{cast.cohort.id}/emails"))},
        follow_redirects=True,
    )
    assert f"“Your digest” is queued again for {failed.to_address}." in text_of(response)
    copies = db.session.scalars(select(Email).where(Email.subject == "Your digest")).all()
    assert sorted(c.status for c in copies) == ["failed", "sent"]  # delivered at once in tests
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == audit.Action.EMAIL_SENT_AGAIN.value)
    ).one()
    assert (event.actor_id, event.cohort_id) == (cast.manager.id, cast.cohort.id)


def test_admins_see_every_email_and_a_pending_one_is_not_sent_twice(app, client):
    cast = Cast()
    _email(cast, cast.cohort, subject="Welcome aboard")
    waiting = _email(cast, cast.other_cohort, subject="On its way", status="retrying")
    sign_in(client, cast.admin)
    page = client.get("/admin/emails")
    assert "Welcome aboard" in text_of(page)
    assert "On its way" in text_of(page)
    response = client.post(
        f"/admin/emails/{waiting.id}/send-again",
        data={"csrf_token": form_token(page)},
        follow_redirects=True,
    )
    assert "is already on its way" in text_of(response)
    assert len(db.session.scalars(select(Email).where(Email.subject == "On its way")).all()) == 1
