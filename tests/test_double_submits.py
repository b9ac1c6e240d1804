"""The same form twice (a double click, two tabs, a retry) and a mail server that fails: no 500, no half-done work,
and the page says what happened."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from leaders.auth.models import User
from leaders.cohorts import enrolment, import_plan, services
from leaders.cohorts.models import CohortMember, CohortRole, PendingImport
from leaders.extensions import db
from leaders.outbox import Email
from leaders.privacy.models import ErasureRequest
from tests.cohorts.conftest import Cast
from tests.conftest import sign_in
from tests.factories import make_user
from tests.helpers import form_token, plan_field, sent_emails, text_of


@pytest.fixture
def app_overrides(tmp_path):
    return {"MAIL_OUTBOX_DIR": str(tmp_path / "outbox")}


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def _at_once(app, work, times=6):
    """Run `work(i)` in threads at the same moment; return what each raised (None: nothing)."""

    def run(i):
        with app.test_request_context():  # the import queues invitations, with links
            try:
                work(i)
            except Exception as error:
                db.session.rollback()
                return error
            finally:
                db.session.remove()
            return None

    with ThreadPoolExecutor(max_workers=times) as pool:
        return list(pool.map(run, range(times)))


def _signed_in(app, user):
    client = app.test_client()
    assert sign_in(client, user).status_code == 302
    return client


INVITE = {
    "name": "Nina New",
    "email": "nina.new@example.org",
    "job_title": "Head of Housing",
    "role": "learner",
}


def test_inviting_the_same_person_twice_adds_them_once(app):
    cast = Cast()
    client = _signed_in(app, cast.manager)
    url = f"/cohorts/{cast.cohort.id}/people/invite"
    data = INVITE | {
        "organisation": str(cast.council.id),
        "csrf_token": form_token(client.get(url)),
    }
    first, second = client.post(url, data=data), client.post(url, data=data)
    assert (first.status_code, second.status_code) == (302, 302)
    nina = db.session.execute(select(User).where(User.email == INVITE["email"])).scalar_one()
    members = db.session.scalar(
        select(func.count()).select_from(CohortMember).where(CohortMember.user_id == nina.id)
    )
    assert members == 1


def test_inviting_the_same_new_person_at_once_makes_one_account(app):
    cast = Cast()
    cohort_id, manager_id = cast.cohort.id, cast.manager.id

    def work(i):
        cohort = db.session.get(type(cast.cohort), cohort_id)
        services.add_person(
            cohort,
            email="Same.Person@example.org" if i % 2 else "same.person@example.org",
            name="Same Person",
            job_title="",
            role=CohortRole.LEARNER,
            organisation_id=None,
            actor=manager_id,
        )
        db.session.commit()

    assert _at_once(app, work) == [None] * 6
    db.session.expire_all()
    users = db.session.scalars(
        select(User).where(func.lower(User.email) == "same.person@example.org")
    ).all()
    assert len(users) == 1
    assert _count(CohortMember) == 9  # the cast's 8 in two cohorts, and the new person once


def test_an_invitation_that_cannot_be_sent_says_so_and_can_be_resent(app):
    # Before the queue, the page said at once that the email could not be sent. Now the person and
    # their invitation are saved together, the page says it is queued, and the cohort's Emails page
    # shows the mail server's refusal, with Resend invitation still offered on the People page.
    cast = Cast()
    # A mail server that refuses connections: sending fails after the person is added.
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=9, MAIL_USE_TLS=False, MAIL_TIMEOUT=2)
    client = _signed_in(app, cast.manager)
    url = f"/cohorts/{cast.cohort.id}/people/invite"
    data = INVITE | {
        "organisation": str(cast.council.id),
        "csrf_token": form_token(client.get(url)),
    }
    page = client.post(url, data=data, follow_redirects=True)
    body = text_of(page)
    assert "Nina New is added. An invitation is queued for them." in body
    assert "Resend invitation to Nina New" in body  # the page offers the way to try again
    emails = text_of(client.get(f"/cohorts/{cast.cohort.id}/emails"))
    assert "Retrying" in emails
    assert "The mail server said: The mail server refused the connection" in emails
    nina = db.session.execute(select(User).where(User.email == INVITE["email"])).scalar_one()
    resend = f"/cohorts/{cast.cohort.id}/people/{nina.id}/resend"
    again = client.post(resend, data={"csrf_token": data["csrf_token"]}, follow_redirects=True)
    assert f"A new invitation to {INVITE['email']} is queued." in text_of(again)
    statuses = db.session.scalars(select(Email.status).where(Email.user_id == nina.id)).all()
    assert statuses == ["retrying", "retrying"]


def test_resending_to_someone_with_a_password_is_refused_and_sends_nothing(app):
    cast = Cast()
    client = _signed_in(app, cast.manager)
    ann = cast.learners[0]
    token = form_token(client.get(f"/cohorts/{cast.cohort.id}/people"))
    response = client.post(
        f"/cohorts/{cast.cohort.id}/people/{ann.id}/resend", data={"csrf_token": token}
    )
    assert response.status_code == 403
    assert "Ann Council has already taken up their account" in text_of(response)
    assert sent_emails(app) == []
    invited = make_user(name="Ivy Invited", password=None)
    db.session.add(CohortMember(cohort_id=cast.cohort.id, user_id=invited.id, role="learner"))
    db.session.commit()
    ok = client.post(
        f"/cohorts/{cast.cohort.id}/people/{invited.id}/resend", data={"csrf_token": token}
    )
    assert ok.status_code == 302
    assert [m["to"] for m in sent_emails(app)] == [invited.email]


def test_asking_for_erasure_twice_or_at_once_makes_one_request(app, learner):
    client = _signed_in(app, learner)
    token = form_token(client.get("/account"))
    assert client.post("/account/erasure", data={"csrf_token": token}).status_code == 302
    assert client.post("/account/erasure", data={"csrf_token": token}).status_code == 302
    assert _count(ErasureRequest) == 1

    other = make_user()
    from leaders.privacy import services as privacy

    assert _at_once(app, lambda i: privacy.request_erasure(other.id)) == [None] * 6
    assert _count(ErasureRequest) == 2


CSV = (
    "name,email,organisation,job title,cohort role\n"
    "Priya Patel,priya.patel@barnsley.gov.uk,Barnsley Council,Head of Housing,learner\n"
    "Jo Reid,jo.reid@nhs.net,south yorkshire icb,Director of Strategy,learner\n"
)


def _pending(cast) -> PendingImport:
    rows = enrolment.parse(CSV.encode())
    return import_plan.stage(cast.cohort, cast.manager.id, "people.csv", rows)


def test_confirming_an_import_twice_imports_it_once(app):
    cast = Cast()
    pending = _pending(cast)
    before = _count(User)
    client = _signed_in(app, cast.manager)
    url = f"/cohorts/{cast.cohort.id}/people/import/{pending.id}"
    page = client.get(url)
    data = {"csrf_token": form_token(page), "plan": plan_field(page)}
    first = client.post(url, data=data)
    second = client.post(url, data=data, follow_redirects=True)
    assert first.status_code == 302
    assert second.status_code == 200
    assert "already done" in text_of(second)
    assert _count(User) == before + 2  # the two people in the file, once each


def test_confirming_an_import_at_once_imports_it_once(app):
    cast = Cast()
    pending_id = _pending(cast).id
    before = _count(User)
    cohort_id = cast.cohort.id
    results = []

    def work(i):
        cohort = db.session.get(type(cast.cohort), cohort_id)
        pending = db.session.get(PendingImport, pending_id)
        if pending is None:  # already gone when this thread looked
            results.append("gone")
            return
        try:
            import_plan.apply(cohort, import_plan.plan(pending), {}, actor=cast.manager.id)
            results.append("applied")
        except import_plan.AlreadyImported:
            results.append("already")

    assert _at_once(app, work) == [None] * 6
    assert results.count("applied") == 1
    assert _count(User) == before + 2
    assert _count(Email) == 2  # one invitation each, queued by the one import that ran
    assert _count(PendingImport) == 0
