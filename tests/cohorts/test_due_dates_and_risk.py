"""Late joiners, the sign-in grace period, a manager's due-date offset, and who the dashboard counts."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from leaders.audit import AuditEvent
from leaders.cohorts.models import Attendance, CohortMember, CohortModule, CohortSession
from leaders.extensions import db
from leaders.filters import govuk_date
from leaders.privacy.models import ErasureRequest
from leaders.timeutil import uk_today, utcnow
from tests.conftest import sign_in
from tests.factories import enrol, make_user
from tests.helpers import form_token, sent_emails, text_of

FIRST_STEPS = "sample-course/first-steps"
GRACE_DAYS = 5


@pytest.fixture
def app_overrides(tmp_path):
    # Not the default (7), so the tests show the setting is what counts.
    return {"MAIL_OUTBOX_DIR": str(tmp_path / "outbox"), "NOT_SIGNED_IN_GRACE_DAYS": GRACE_DAYS}


def _schedule(cast, opened_days_ago: int, due_days_ago: int) -> None:
    today = uk_today()
    db.session.add(
        CohortModule(
            cohort_id=cast.cohort.id,
            module_key=FIRST_STEPS,
            opens_on=today - timedelta(days=opened_days_ago),
            due_on=today - timedelta(days=due_days_ago),
        )
    )
    db.session.commit()


def _signed_in_long_ago(*users) -> None:
    """Learners who signed in and were active recently, so only due dates can put them at risk."""
    for user in users:
        user.last_sign_in_at = user.last_active_at = utcnow() - timedelta(hours=1)
    db.session.commit()


def _at_risk_rows(body: str) -> str:
    return body.split("Progress by module")[0].rsplit("At risk", 1)[1]


def test_a_learner_added_minutes_ago_is_not_at_risk(cast, as_user, app):
    """The old false alarm: 'not signed in yet; 1 module past due' minutes after the invitation."""
    _schedule(cast, opened_days_ago=60, due_days_ago=30)
    _signed_in_long_ago(*cast.learners)
    newcomer = make_user(name="Nia Newcomer", organisation_id=cast.council.id)
    enrol(cast.cohort, newcomer)  # joined now

    body = text_of(as_user(cast.manager).get(f"/cohorts/{cast.cohort.id}"))
    risks = _at_risk_rows(body)
    assert "Nia Newcomer" not in risks
    # The three who were there from the start are past the module's due date.
    for learner in cast.learners:
        assert f"{learner.name} " in risks
    assert "4 learners" in body
    assert "3 at risk" in body
    # The matrix agrees: the newcomer's module is not started, but not overdue.
    assert "Nia Newcomer Not started Not started 0%" in body
    assert "Ann Council Not started, overdue Not started 0%" in body

    from leaders.catalogue.store import get_catalogue
    from leaders.oversight.reminders import send_reminders

    sent = send_reminders(get_catalogue())
    assert sent.at_risk == 3
    assert newcomer.email not in {m["to"] for m in sent_emails(app)}


def test_a_late_joiner_has_as_long_as_everyone_else(cast, as_user):
    # Opened 30 days ago, due 5 days ago: someone who joined 20 days ago, 10 days after it
    # opened, is due 10 days after everyone else: in 5 days.
    _schedule(cast, opened_days_ago=30, due_days_ago=5)
    _signed_in_long_ago(*cast.learners)
    _ann, ben, _cat = cast.learners
    member = db.session.execute(
        select(CohortMember).where(CohortMember.user_id == ben.id)
    ).scalar_one()
    member.added_at = utcnow() - timedelta(days=20)
    db.session.commit()

    client = as_user(cast.manager)
    body = text_of(client.get(f"/cohorts/{cast.cohort.id}"))
    risks = _at_risk_rows(body)
    assert "Ann Council Barnsley Council 1 module past due date" in risks
    assert "Ben Council" not in risks
    own_due = govuk_date(uk_today() + timedelta(days=5))
    detail = text_of(client.get(f"/cohorts/{cast.cohort.id}/learners/{ben.id}"))
    assert f"First steps Due {own_due}" in detail

    # The learner's own course page shows the same date.
    client.post("/sign-out", data={"csrf_token": form_token(client.get("/home"))})
    assert sign_in(client, ben).status_code == 302
    course = text_of(client.get("/courses/sample-course"))
    assert f"due {own_due}" in course
    assert govuk_date(uk_today() - timedelta(days=5)) not in course


def test_not_signed_in_yet_waits_the_grace_period(cast, as_user):
    ann, ben, cat = cast.learners
    members = {
        m.user_id: m
        for m in db.session.execute(
            select(CohortMember).where(CohortMember.cohort_id == cast.cohort.id)
        ).scalars()
    }
    members[ann.id].added_at = utcnow() - timedelta(days=GRACE_DAYS, minutes=1)
    members[ben.id].added_at = utcnow() - timedelta(days=GRACE_DAYS - 1)
    cat.last_sign_in_at = cat.last_active_at = utcnow()
    db.session.commit()

    body = text_of(as_user(cast.manager).get(f"/cohorts/{cast.cohort.id}"))
    risks = _at_risk_rows(body)
    assert "Ann Council Barnsley Council Not signed in yet" in risks
    assert "Ben Council" not in risks
    assert "1 at risk" in body
    # The page says the rule, with the configured number of days.
    assert f"have not signed in {GRACE_DAYS} days after being added" in body


def test_a_manager_sets_one_learners_due_dates_and_it_is_audited(cast, as_user):
    _schedule(cast, opened_days_ago=30, due_days_ago=5)
    _signed_in_long_ago(*cast.learners)
    ann = cast.learners[0]
    client = as_user(cast.manager)
    path = f"/cohorts/{cast.cohort.id}/learners/{ann.id}/due-dates"
    page = client.get(path)
    assert "Due dates for Ann Council" in text_of(page)

    for bad in ("-3", "ten", "400", "2.5"):
        refused = client.post(path, data={"csrf_token": form_token(page), "offset": bad})
        assert refused.status_code == 200
        assert "Extra days must be a whole number from 0 to 365, like 14" in text_of(refused)
    assert (
        db.session.scalar(
            select(CohortMember.due_offset_days).where(CohortMember.user_id == ann.id)
        )
        is None
    )

    saved = client.post(path, data={"csrf_token": form_token(page), "offset": "10"})
    assert saved.status_code == 302
    db.session.expire_all()
    assert (
        db.session.scalar(
            select(CohortMember.due_offset_days).where(CohortMember.user_id == ann.id)
        )
        == 10
    )
    event = db.session.execute(
        select(AuditEvent).where(AuditEvent.action == "changed-due-dates")
    ).scalar_one()
    assert (event.actor_id, event.subject_id, event.cohort_id, event.detail) == (
        cast.manager.id,
        ann.id,
        cast.cohort.id,
        "10 extra days",
    )
    body = text_of(client.get(f"/cohorts/{cast.cohort.id}"))
    assert "Ann Council" not in _at_risk_rows(body)  # due in 5 days now
    assert "Ben Council Barnsley Council 1 module past due date" in _at_risk_rows(body)
    detail = text_of(client.get(f"/cohorts/{cast.cohort.id}/learners/{ann.id}"))
    assert "Due dates moved by 10 days by a programme manager" in detail
    assert f"First steps Due {govuk_date(uk_today() + timedelta(days=5))}" in detail

    # Empty: back to counting from the join date.
    client.post(path, data={"csrf_token": form_token(page), "offset": ""})
    db.session.expire_all()
    assert (
        db.session.scalar(
            select(CohortMember.due_offset_days).where(CohortMember.user_id == ann.id)
        )
        is None
    )


def _erase(cast, user) -> None:
    from leaders.privacy.services import erase

    request = ErasureRequest(user_id=user.id)
    db.session.add(request)
    db.session.commit()
    erase(request.id, cast.admin.id)


def test_removed_and_erased_people_leave_the_lists_and_the_figures(cast, as_user):
    ann, ben, cat = cast.learners
    _schedule(cast, opened_days_ago=30, due_days_ago=5)  # everyone is past due
    session = CohortSession(
        cohort_id=cast.cohort.id, title="Workshop 1", starts_at=utcnow() - timedelta(days=2)
    )
    db.session.add(session)
    db.session.flush()
    for user, status in ((ann, "present"), (ben, "apologies"), (cat, "absent")):
        db.session.add(Attendance(session_id=session.id, user_id=user.id, status=status))
    db.session.commit()

    client = as_user(cast.manager)
    page = client.get(f"/cohorts/{cast.cohort.id}/people")
    client.post(
        f"/cohorts/{cast.cohort.id}/people/{ben.id}/remove",
        data={"csrf_token": form_token(page), "confirm": "yes"},
        follow_redirects=True,  # the "no longer in this cohort" message is shown on People
    )
    _erase(cast, cat)

    body = text_of(client.get(f"/cohorts/{cast.cohort.id}"))
    assert "1 learner " in body
    assert "1 at risk" in body
    for gone in ("Ben Council", "Cat Health", "Erased learner"):
        assert gone not in body
    assert "Ann Council Barnsley Council Not signed in yet; 1 module past due date" in body
    assert "Local government 1 100%" in body  # the mix counts Ann alone
    assert "Not counted in any figure on this page: 1 learner whose records were erased" in body

    assert "to 31 December 2027 Programme manager 1" in text_of(client.get("/cohorts"))
    assert "South Yorkshire 2027 1 learner · programme manager" in text_of(client.get("/home"))

    # The register's totals are for current learners; the rest are counted apart and said so.
    sessions = text_of(client.get(f"/cohorts/{cast.cohort.id}/sessions"))
    assert "1 present, 0 apologies, 0 absent" in sessions
    assert "Not counted: 2 marks for people no longer in the cohort" in sessions
    register = text_of(client.get(f"/cohorts/{cast.cohort.id}/sessions/{session.id}/attendance"))
    assert "1 learner." in register
    assert "Erased learner" not in register
