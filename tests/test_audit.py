"""The audit log: every staff change writes one entry naming the cohort and the person, in the
change's own transaction; sign-in failures, lockouts and refusals; the page's filters, paging and
CSV; and pruning old entries."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import event, func, select

from leaders import audit
from leaders.audit import Action, AuditEvent
from leaders.cohorts import import_plan, services, sessions
from leaders.cohorts.access import cohort_access
from leaders.cohorts.models import (
    AttendanceStatus,
    CohortMember,
    CohortSession,
    PendingImport,
    SessionKind,
)
from leaders.extensions import db
from leaders.filters import UK
from leaders.network.models import SurveyWave
from leaders.privacy.models import ErasureRequest
from leaders.timeutil import utcnow
from tests.cohorts.conftest import Cast, make_organisation
from tests.conftest import sign_in
from tests.factories import enrol, make_user
from tests.helpers import form_token, text_of


def entries(action: Action | None = None) -> list[AuditEvent]:
    db.session.expire_all()
    query = select(AuditEvent).order_by(AuditEvent.id)
    if action:
        query = query.where(AuditEvent.action == action.value)
    return list(db.session.scalars(query))


def one(action: Action) -> AuditEvent:
    found = entries(action)
    assert len(found) == 1, f"{action}: {[(e.action, e.detail) for e in found]}"
    return found[0]


def signed_in(app, user):
    client = app.test_client()
    assert sign_in(client, user).status_code == 302
    return client


@pytest.fixture
def cast(app) -> Cast:
    return Cast()


@pytest.fixture
def failing_commit():
    """Make the next commit fail after the change and its audit entry are in the session."""

    class CommitFailed(Exception):
        pass

    def refuse(session):
        raise CommitFailed

    session = db.session()
    event.listen(session, "before_commit", refuse)
    yield CommitFailed
    event.remove(session, "before_commit", refuse)
    db.session.rollback()


# Each staff change: one entry, naming the cohort and the person --------------------------------


def test_inviting_someone_names_the_cohort_and_the_person(app, cast):
    manager = signed_in(app, cast.manager)
    path = f"/cohorts/{cast.cohort.id}/people/invite"
    data = {
        "csrf_token": form_token(manager.get(path)),
        "name": "New Person",
        "email": "new.person@example.org",
        "organisation": str(cast.council.id),
        "role": "learner",
    }
    assert manager.post(path, data=data).status_code == 302
    added = one(Action.ADDED)
    new = services.accounts.find_by_email("new.person@example.org")
    assert (added.actor_id, added.cohort_id, added.subject_id) == (
        cast.manager.id,
        cast.cohort.id,
        new.id,
    )
    assert added.detail == "as learner"
    assert added.ip == "127.0.0.1"

    # The same person again, as a facilitator: a role change, not a second "added".
    data["role"] = "facilitator"
    assert manager.post(path, data=data).status_code == 302
    changed = one(Action.ROLE_CHANGED)
    assert (changed.cohort_id, changed.subject_id) == (cast.cohort.id, new.id)
    assert changed.detail == "Learner to facilitator"
    assert len(entries(Action.ADDED)) == 1


def test_an_import_writes_one_entry_per_person_added(app, cast):
    rows = [
        {
            "row": 2,
            "name": "Imogen Import",
            "email": "imogen@example.org",
            "organisation": "Barnsley Council",
            "job_title": "",
            "role": "learner",
        },
        {
            "row": 3,
            "name": "Ann Council",
            "email": cast.learners[0].email,
            "organisation": "Barnsley Council",
            "job_title": "",
            "role": "learner",
        },
    ]
    pending = PendingImport(
        cohort_id=cast.cohort.id, created_by=cast.manager.id, filename="people.csv", rows=rows
    )
    db.session.add(pending)
    db.session.commit()
    with app.test_request_context():  # the import queues its invitations, whose links need one
        outcome = import_plan.apply(
            cast.cohort, import_plan.plan(pending), {}, actor=cast.manager.id
        )
    assert outcome.added == 1
    imported = one(Action.IMPORTED)
    assert imported.subject_id == services.accounts.find_by_email("imogen@example.org").id
    assert (imported.cohort_id, imported.actor_id) == (cast.cohort.id, cast.manager.id)
    assert imported.detail == "as learner, from people.csv"
    assert entries(Action.ROLE_CHANGED) == []  # Ann was already a learner: nothing changed


def test_removing_someone(app, cast):
    ben = cast.learners[1]
    manager = signed_in(app, cast.manager)
    url = f"/cohorts/{cast.cohort.id}/people/{ben.id}/remove"
    token = form_token(manager.get(url))
    assert manager.post(url, data={"csrf_token": token, "confirm": "yes"}).status_code == 302
    removed = one(Action.REMOVED)
    assert (removed.actor_id, removed.cohort_id, removed.subject_id) == (
        cast.manager.id,
        cast.cohort.id,
        ben.id,
    )
    assert removed.detail == "was learner"


def test_attendance_writes_an_entry_for_each_changed_mark(app, cast):
    session = CohortSession(cohort_id=cast.cohort.id, title="Workshop 1", starts_at=utcnow())
    db.session.add(session)
    db.session.commit()
    ann, ben, cat = cast.learners
    access = cohort_access(cast.facilitator, cast.cohort.id)
    marks = {
        ann.id: AttendanceStatus.PRESENT,
        ben.id: AttendanceStatus.ABSENT,
        cat.id: AttendanceStatus.PRESENT,
    }
    sessions.record_attendance(access, session, marks, actor=cast.facilitator.id)
    assert {(e.subject_id, e.cohort_id) for e in entries(Action.ATTENDANCE_MARKED)} == {
        (ann.id, cast.cohort.id),
        (ben.id, cast.cohort.id),
        (cat.id, cast.cohort.id),
    }
    # Saving the register again with one change: one new entry, saying what it was.
    sessions.record_attendance(
        access, session, marks | {ben.id: AttendanceStatus.APOLOGIES}, actor=cast.facilitator.id
    )
    marked = entries(Action.ATTENDANCE_MARKED)
    assert len(marked) == 4
    assert marked[-1].subject_id == ben.id
    assert marked[-1].detail == "Workshop 1: sent apologies (was absent)"


def test_schedule_session_and_cohort_changes(app, cast):
    access = cohort_access(cast.manager, cast.cohort.id)
    services.set_schedule(
        cast.cohort, {"first-steps": (date(2027, 1, 1), None)}, actor=cast.manager.id
    )
    assert one(Action.SCHEDULE_CHANGED).cohort_id == cast.cohort.id
    sessions.add_session(
        access,
        sessions.SessionDetails(
            "Launch",
            SessionKind.WORKSHOP,
            datetime(2027, 1, 5, 10, tzinfo=UK),
            datetime(2027, 1, 5, 12, tzinfo=UK),
            location="Town hall",
        ),
        actor=cast.manager.id,
    )
    added = one(Action.SESSION_ADDED)
    assert (added.cohort_id, added.actor_id) == (cast.cohort.id, cast.manager.id)
    assert added.detail.startswith("Launch (workshop)")
    services.update_cohort(
        cast.cohort, "Renamed", date(2027, 1, 1), date(2027, 12, 1), actor=cast.manager.id
    )
    assert one(Action.COHORT_CHANGED).detail == "Renamed, 2027-01-01 to 2027-12-01"


def test_survey_waves_and_learning_sets(app, cast):
    organisations = [make_organisation(f"Body {i}", "nhs") for i in range(4)]
    for i in range(9):
        enrol(cast.cohort, make_user(name=f"Learner {i}", organisation_id=organisations[i % 4].id))
    manager = signed_in(app, cast.manager)
    network = f"/cohorts/{cast.cohort.id}/network"
    token = form_token(manager.get(network))
    manager.post(f"{network}/waves", data={"csrf_token": token, "name": "baseline"})
    opened = one(Action.WAVE_OPENED)
    assert (opened.cohort_id, opened.detail) == (cast.cohort.id, "Baseline")
    wave = db.session.scalars(select(SurveyWave)).one()
    manager.post(f"{network}/waves/{wave.id}/close", data={"csrf_token": token, "confirm": "yes"})
    assert one(Action.WAVE_CLOSED).cohort_id == cast.cohort.id

    sets = f"/cohorts/{cast.cohort.id}/sets"
    manager.post(f"{sets}/propose", data={"csrf_token": token})
    manager.post(f"{sets}/confirm", data={"csrf_token": token, "version": "1"})  # a new draft
    confirmed = one(Action.SETS_CONFIRMED)
    assert confirmed.cohort_id == cast.cohort.id
    assert confirmed.detail == "2 sets, 12 people; 0 sets replaced"


def test_erasure_and_merge(app, cast):
    ann = cast.learners[0]
    request = ErasureRequest(user_id=ann.id)
    db.session.add(request)
    db.session.commit()
    admin = signed_in(app, cast.admin)
    url = f"/admin/erasure-requests/{request.id}/erase"
    admin.post(url, data={"csrf_token": form_token(admin.get(url)), "confirm": "yes"})
    erased = one(Action.ERASED)
    assert (erased.actor_id, erased.subject_id) == (cast.admin.id, ann.id)
    assert erased.detail == f"erasure request {request.id}; in {cast.cohort.name}"

    duplicate = make_organisation("Barnsley MBC")
    make_user(name="Moved Person", organisation_id=duplicate.id)
    url = f"/admin/organisations/{duplicate.id}/merge/{cast.council.id}"
    admin.post(url, data={"csrf_token": form_token(admin.get(url))})
    merged = one(Action.ORGANISATIONS_MERGED)
    assert merged.actor_id == cast.admin.id
    assert merged.detail == "Barnsley MBC (deleted) into Barnsley Council; 1 person moved"


# Signing in and refusals ---------------------------------------------------------------------


def test_failed_sign_ins_and_lockouts_are_recorded(app, cast):
    ann = cast.learners[0]
    client = app.test_client()
    sign_in(client, email="nobody@example.org", password="whatever-it-is")
    unknown = one(Action.SIGN_IN_FAILED)
    assert (unknown.actor_id, unknown.subject_id) == (None, None)
    assert unknown.detail == "no account with that address"
    assert "nobody@example.org" not in unknown.detail  # a typed password may be in that box
    for _ in range(5):
        sign_in(client, ann, password="not-the-password")
    wrong = [e for e in entries(Action.SIGN_IN_FAILED) if e.subject_id == ann.id]
    assert [e.detail for e in wrong] == ["wrong password"] * 5
    locked = one(Action.LOCKED_OUT)
    assert (locked.subject_id, locked.detail) == (ann.id, "for 15 minutes")
    sign_in(client, ann)  # the right password, but locked
    assert entries(Action.SIGN_IN_FAILED)[-1].detail == "account locked"


def test_refused_access_to_learners_data_is_recorded(app, cast):
    ann, cat = cast.learners[0], cast.learners[2]
    learner = signed_in(app, cat)
    assert learner.get(f"/cohorts/{cast.cohort.id}/learners/{ann.id}").status_code == 403
    refused = one(Action.ACCESS_REFUSED)
    assert (refused.actor_id, refused.cohort_id, refused.subject_id) == (
        cat.id,
        cast.cohort.id,
        ann.id,
    )
    assert refused.detail == "a learner's record: 403"

    lead = signed_in(app, cast.lead)  # Barnsley's lead; Cat works for the ICB
    assert lead.get(f"/cohorts/{cast.cohort.id}/learners/{cat.id}").status_code == 404
    assert entries(Action.ACCESS_REFUSED)[-1].subject_id == cat.id
    # An organisation lead downloads their own staff (issue 14 point 10); a facilitator does not.
    assert lead.get(f"/cohorts/{cast.cohort.id}/export/learners.csv").status_code == 200
    facilitator = signed_in(app, cast.facilitator)
    assert facilitator.get(f"/cohorts/{cast.cohort.id}/export/learners.csv").status_code == 403
    assert entries(Action.ACCESS_REFUSED)[-1].detail == "the learners.csv export: 403"

    assert lead.get(f"/cohorts/99999/learners/{cat.id}").status_code == 404
    missing = entries(Action.ACCESS_REFUSED)[-1]
    assert missing.cohort_id is None
    assert missing.detail == "a learner's record: 404; cohort 99999 does not exist"
    assert len(entries(Action.ACCESS_REFUSED)) == 4


# In the same transaction ---------------------------------------------------------------------


def test_an_entry_is_only_written_with_its_change(app, cast, failing_commit):
    ben = cast.learners[1]
    with pytest.raises(failing_commit):
        services.remove_person(cast.cohort, ben.id, actor=cast.manager.id)
    db.session.rollback()
    assert entries() == []
    members = select(func.count()).select_from(CohortMember).where(CohortMember.user_id == ben.id)
    assert db.session.scalar(members) == 1  # the removal did not happen either


def test_record_does_not_commit(app, cast):
    audit.record(Action.REMOVED, actor=cast.manager, cohort=cast.cohort, subject=cast.learners[0])
    db.session.rollback()
    assert entries() == []


# The page: filters, paging, CSV --------------------------------------------------------------


def _entry(action, actor, cohort=None, subject=None, when=None, detail=""):
    db.session.add(
        AuditEvent(
            action=action.value,
            actor_id=actor.id,
            cohort_id=cohort.id if cohort else None,
            subject_id=subject.id if subject else None,
            detail=detail,
            created_at=when or utcnow(),
        )
    )


def test_filters_by_cohort_actor_action_and_date(app, cast):
    ann, _ben, _ = cast.learners
    _entry(Action.REMOVED, cast.manager, cast.cohort, ann, detail="in south")
    _entry(Action.REMOVED, cast.other_manager, cast.other_cohort, cast.outsider, detail="in kent")
    _entry(
        Action.WAVE_OPENED,
        cast.manager,
        cast.cohort,
        when=datetime(2026, 3, 1, 12, tzinfo=UK),
        detail="old one",
    )
    db.session.commit()
    admin = signed_in(app, cast.admin)

    page = text_of(admin.get(f"/admin/audit?cohort={cast.cohort.id}"))
    assert "in south" in page
    assert "old one" in page
    assert "in kent" not in page
    assert "2 entries match" in page

    page = text_of(admin.get(f"/admin/audit?actor={cast.other_manager.email.upper()}"))
    assert "in kent" in page
    assert "in south" not in page

    page = text_of(admin.get("/admin/audit?action=wave-opened"))
    assert "old one" in page
    assert "in south" not in page
    assert "Opened a network survey" in page

    dates = "from-day=1&from-month=3&from-year=2026&to-day=1&to-month=3&to-year=2026"
    page = text_of(admin.get(f"/admin/audit?{dates}"))
    assert "old one" in page
    assert "in south" not in page
    assert "1 entry matches" in page

    html = admin.get(f"/admin/audit?cohort={cast.cohort.id}").get_data(as_text=True)
    assert f'<option value="{cast.cohort.id}" selected>' in html  # the filter is kept


def test_bad_dates_and_unknown_choices_are_errors(app, cast):
    _entry(Action.REMOVED, cast.manager, cast.cohort, detail="hidden")
    db.session.commit()
    admin = signed_in(app, cast.admin)
    response = admin.get("/admin/audit?from-day=31&from-month=2&from-year=2026&action=nope")
    page = text_of(response)
    assert page.startswith("Error: Audit log")
    assert "Date from must be a real date, like 27 3 2027" in page
    assert "Choose an action from the list" in page
    assert "Correct the filters to see the log" in page
    assert "hidden" not in page
    page = text_of(
        admin.get(
            "/admin/audit?from-day=2&from-month=3&from-year=2026&to-day=1&to-month=3&to-year=2026"
        )
    )
    assert "Date to must be the same as or after date from" in page
    csv_response = admin.get("/admin/audit.csv?to-day=40&to-month=1&to-year=2026")
    assert csv_response.status_code == 302
    assert "to-day=40" in csv_response.headers["Location"]


def test_the_log_is_paged_and_the_pages_keep_the_filter(app, cast):
    for n in range(120):
        _entry(
            Action.VIEWED_LEARNER,
            cast.manager,
            cast.cohort,
            when=utcnow() - timedelta(minutes=n),
            detail=f"view {n:03d}",
        )
    _entry(Action.VIEWED_LEARNER, cast.manager, cast.other_cohort, detail="elsewhere")
    db.session.commit()
    admin = signed_in(app, cast.admin)
    first = admin.get(f"/admin/audit?cohort={cast.cohort.id}")
    text = text_of(first)
    assert "120 entries match" in text
    assert "page 1 of 3" in text
    assert "view 000" in text
    assert "view 049" in text
    assert "view 050" not in text
    html = first.get_data(as_text=True)
    assert f"/admin/audit?cohort={cast.cohort.id}&amp;page=2" in html
    third = text_of(admin.get(f"/admin/audit?cohort={cast.cohort.id}&page=3"))
    assert "view 100" in third
    assert "view 119" in third
    assert "view 099" not in third
    assert "elsewhere" not in third
    past_the_end = text_of(admin.get(f"/admin/audit?cohort={cast.cohort.id}&page=99"))
    assert "view 119" in past_the_end  # the last page


def test_csv_follows_the_filter_is_formula_safe_and_is_audited(app, cast):
    ann = cast.learners[0]
    _entry(Action.REMOVED, cast.manager, cast.cohort, ann, detail='=HYPERLINK("x")')
    _entry(Action.REMOVED, cast.other_manager, cast.other_cohort, cast.outsider, detail="kent")
    db.session.commit()
    admin = signed_in(app, cast.admin)
    page = admin.get(f"/admin/audit?cohort={cast.cohort.id}")
    assert f"/admin/audit.csv?cohort={cast.cohort.id}" in page.get_data(as_text=True)
    response = admin.get(f"/admin/audit.csv?cohort={cast.cohort.id}")
    assert response.mimetype == "text/csv"
    assert 'filename="audit-log.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:6] == ["When (UK time)", "Who", "Their email", "Did", "Cohort", "About"]
    assert len(rows) == 2
    assert rows[1][1:7] == [
        "Tom Manager",
        cast.manager.email,
        "Removed someone from a cohort",
        cast.cohort.name,
        "Ann Council",
        '\'=HYPERLINK("x")',
    ]
    download = one(Action.EXPORTED)
    assert download.actor_id == cast.admin.id
    assert download.detail == f"audit log CSV, filtered by cohort {cast.cohort.id}"


# Retention -----------------------------------------------------------------------------------


def test_prune_deletes_entries_older_than_the_retention_setting(app, cast, runner):
    _entry(Action.REMOVED, cast.manager, when=utcnow() - timedelta(days=800), detail="old")
    _entry(Action.REMOVED, cast.manager, when=utcnow() - timedelta(days=731), detail="old too")
    _entry(Action.REMOVED, cast.manager, when=utcnow() - timedelta(days=10), detail="recent")
    db.session.commit()
    result = runner.invoke(args=["audit", "prune"])
    assert result.exit_code == 0, result.output
    assert "Deleted 2 audit entries older than 730 days." in result.output
    assert [e.detail for e in entries()] == ["recent"]
    result = runner.invoke(args=["audit", "prune", "--days", "5"])
    assert "Deleted 1 audit entry older than 5 days." in result.output
    assert runner.invoke(args=["audit", "prune", "--days", "0"]).exit_code != 0
