"""Adding, changing, cancelling and deleting sessions; set meetings and their registers; and every
way a manager or a forged form can get them wrong."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from leaders.audit import Action, AuditEvent
from leaders.cohorts.models import Attendance, CohortSession, LearningSet, LearningSetMember
from leaders.extensions import db
from leaders.outbox import Email
from leaders.timeutil import utcnow
from tests.conftest import sign_in
from tests.helpers import form_token, text_of

GOOD = {
    "title": "Workshop 3: Collaborating across boundaries",
    "kind": "workshop",
    "audience": "",
    "day": ["24", "10", "2026"],
    "start_time": "10:00",
    "end_time": "16:00",
    "location": "Barnsley Town Hall",
    "online_url": "",
    "joining_instructions": "Come to reception.\n\nLunch is provided.",
}


@pytest.fixture
def as_user(app):
    def signed(user):
        client = app.test_client()
        assert sign_in(client, user).status_code == 302
        return client

    return signed


def _count(model=CohortSession) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def _add(client, cohort, **changes):
    path = f"/cohorts/{cohort.id}/sessions/new"
    page = client.get(path)
    key = page.get_data(as_text=True).split('name="form_key" type="hidden" value="')[1][:32]
    data = GOOD | {"csrf_token": form_token(page), "form_key": key} | changes
    return client.post(path, data=data)


def _session(cohort, title="W", start=None, **extra) -> CohortSession:
    start = start or utcnow() + timedelta(days=10)
    session = CohortSession(
        cohort_id=cohort.id,
        title=title,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        **extra,
    )
    db.session.add(session)
    db.session.commit()
    return session


def test_a_session_is_stored_in_utc_from_uk_time(cast, as_user):
    client = as_user(cast.manager)
    assert _add(client, cast.cohort).status_code == 302
    session = db.session.execute(select(CohortSession)).scalar_one()
    assert session.starts_at.astimezone(UTC) == datetime(2026, 10, 24, 9, 0, tzinfo=UTC)  # BST
    assert session.ends_at.astimezone(UTC) == datetime(2026, 10, 24, 15, 0, tzinfo=UTC)
    assert session.joining_instructions == "Come to reception.\n\nLunch is provided."
    listing = text_of(client.get(f"/cohorts/{cast.cohort.id}/sessions"))
    assert "24 October 2026 at 10am to 4pm" in listing
    assert "Not taken" in listing  # held already (the suite runs after October 2026)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end_time": "09:00"}, "End time must be after the start time (10:00)"),
        ({"end_time": "10:00"}, "End time must be after the start time (10:00)"),
        ({"end_time": "4pm"}, "Enter an end time in the 24-hour clock, like 09:30 or 14:00"),
        ({"end_time": ""}, "Enter an end time, like 16:00"),
        ({"start_time": "25:00"}, "Enter a start time in the 24-hour clock"),
        ({"online_url": "http://meet.example.org/w3"}, "starting with https://"),
        ({"online_url": "meet.example.org/w3"}, "starting with https://"),
        ({"online_url": "javascript:alert(1)"}, "starting with https://"),
        ({"online_url": "https://localhost/x"}, "starting with https://"),
        ({"online_url": "https://a b.example.org"}, "starting with https://"),
        ({"location": "", "online_url": ""}, "Enter a place, an online link, or both"),
        ({"day": ["31", "2", "2026"]}, "Date must be a real date"),
        ({"audience": "999"}, "Choose the whole cohort or one of this cohort's learning sets"),
        # The clocks go forward at 01:00 on 29 March 2026: 01:30 does not happen in the UK.
        (
            {"day": ["29", "3", "2026"], "start_time": "01:30", "end_time": "03:00"},
            "does not happen in the UK on that day",
        ),
    ],
)
def test_bad_input_says_how_to_fix_it_and_saves_nothing(cast, as_user, changes, message):
    response = _add(as_user(cast.manager), cast.cohort, **changes)
    assert response.status_code == 200
    body = text_of(response)
    assert "There is a problem" in body
    assert message in body
    assert _count() == 0


def test_an_online_session_and_a_double_submit_add_one_session(cast, as_user):
    client = as_user(cast.manager)
    path = f"/cohorts/{cast.cohort.id}/sessions/new"
    page = client.get(path)
    key = page.get_data(as_text=True).split('name="form_key" type="hidden" value="')[1][:32]
    data = GOOD | {
        "csrf_token": form_token(page),
        "form_key": key,
        "location": "",
        "online_url": "https://meet.example.org/w3?pwd=abc",
    }
    first, second = client.post(path, data=data), client.post(path, data=data)
    assert (first.status_code, second.status_code) == (302, 302)
    assert _count() == 1
    assert db.session.execute(select(CohortSession.online_url)).scalar_one() == data["online_url"]
    # A fresh form (a new key) is a new session.
    assert _add(client, cast.cohort).status_code == 302
    assert _count() == 2


def test_changing_a_session_bumps_its_sequence_and_is_audited(cast, as_user):
    session = _session(cast.cohort, "Workshop 3")
    client = as_user(cast.manager)
    edit = f"/cohorts/{cast.cohort.id}/sessions/{session.id}/edit"
    page = client.get(edit)
    assert 'value="Workshop 3"' in page.get_data(as_text=True)
    data = GOOD | {"csrf_token": form_token(page), "day": ["7", "11", "2026"]}
    assert client.post(edit, data=data).status_code == 302
    db.session.expire_all()
    changed = db.session.get(CohortSession, session.id)
    assert changed.starts_at.astimezone(UTC) == datetime(2026, 11, 7, 10, 0, tzinfo=UTC)  # GMT
    assert changed.sequence == 1
    assert client.post(edit, data=data).status_code == 302  # the same again: nothing changes
    db.session.expire_all()
    assert db.session.get(CohortSession, session.id).sequence == 1
    details = (
        db.session.execute(
            select(AuditEvent.detail).where(AuditEvent.action == Action.SESSION_CHANGED.value)
        )
        .scalars()
        .all()
    )
    # 7 November 2026 is over (today is later), so no one is emailed about it.
    assert details == [f"{GOOD['title']}, 07 Nov 2026 10:00–16:00 UK time; no one emailed"]
    # Bad input on a change saves nothing either.
    bad = client.post(edit, data=data | {"end_time": "08:00"})
    assert "End time must be after the start time" in text_of(bad)
    db.session.expire_all()
    assert db.session.get(CohortSession, session.id).ends_at.astimezone(UTC).hour == 16


def test_cancelling_tells_the_learners_through_the_queue_and_takes_no_attendance(cast, as_user):
    session = _session(cast.cohort, "Workshop 3")
    client = as_user(cast.manager)
    cancel = f"/cohorts/{cast.cohort.id}/sessions/{session.id}/cancel"
    page = client.get(cancel)
    assert "Cancel Workshop 3?" in text_of(page)
    assert all(p.name in text_of(page) for p in cast.learners)
    # The button without confirm=yes (an old form, a replay) changes nothing.
    client.post(cancel, data={"csrf_token": form_token(page)})
    assert _count(Email) == 0
    done = client.post(cancel, data={"csrf_token": form_token(page), "confirm": "yes"})
    assert done.status_code == 302
    emails = db.session.execute(select(Email.to_address, Email.kind, Email.subject)).all()
    assert sorted(e.to_address for e in emails) == sorted(p.email for p in cast.learners)
    assert {e.kind for e in emails} == {"session-cancelled"}
    assert all(e.subject.startswith("Cancelled: Workshop 3 on ") for e in emails)
    listing = client.get(f"/cohorts/{cast.cohort.id}/sessions")
    assert "Cancelled" in text_of(listing)
    assert f"/sessions/{session.id}/attendance" not in listing.get_data(as_text=True)
    assert f"/sessions/{session.id}/edit" not in listing.get_data(as_text=True)
    # Cancelling again, changing it or taking its register: refused, with the reason.
    again = client.post(cancel, data={"csrf_token": form_token(page), "confirm": "yes"})
    assert again.status_code == 403
    assert "Workshop 3 is cancelled" in text_of(again)
    assert _count(Email) == 3
    register = client.get(f"/cohorts/{cast.cohort.id}/sessions/{session.id}/attendance")
    assert register.status_code == 403
    assert "was cancelled, so it has no register" in text_of(register)
    assert client.get(f"/cohorts/{cast.cohort.id}/sessions/{session.id}/edit").status_code == 403


def test_attendance_only_once_a_session_has_started(cast, as_user):
    future = _session(cast.cohort, "Workshop 9", utcnow() + timedelta(days=3))
    client = as_user(cast.facilitator)
    path = f"/cohorts/{cast.cohort.id}/sessions/{future.id}/attendance"
    page = client.get(path)
    assert page.status_code == 403
    assert "Workshop 9 has not started yet. You can take attendance once it starts" in text_of(page)
    token = form_token(client.get(f"/cohorts/{cast.cohort.id}/sessions"))
    ann = cast.learners[0]
    forged = client.post(
        path, data={"csrf_token": token, "marks-0-key": str(ann.id), "marks-0-status": "present"}
    )
    assert forged.status_code == 403
    assert _count(Attendance) == 0


def test_another_cohorts_session_is_not_found_through_this_cohort(cast, as_user):
    kent = _session(cast.other_cohort, "Kent workshop", utcnow() - timedelta(days=1))
    client = as_user(cast.manager)
    for action in ("edit", "cancel", "delete", "attendance"):
        assert (
            client.get(f"/cohorts/{cast.cohort.id}/sessions/{kent.id}/{action}").status_code == 404
        )
    token = form_token(client.get(f"/cohorts/{cast.cohort.id}/sessions"))
    url = f"/cohorts/{cast.cohort.id}/sessions/{kent.id}/delete"
    assert client.post(url, data={"csrf_token": token, "confirm": "yes"}).status_code == 404
    assert _count() == 1


def _sets(cast):
    ann, ben, cat = cast.learners
    one, two = (
        LearningSet(cohort_id=cast.cohort.id, name="Set 1"),
        LearningSet(cohort_id=cast.cohort.id, name="Set 2"),
    )
    db.session.add_all([one, two])
    db.session.flush()
    for s, person in ((one, ann), (one, cat), (two, ben)):
        db.session.add(LearningSetMember(cohort_id=cast.cohort.id, set_id=s.id, user_id=person.id))
    db.session.commit()
    return one, two


def test_a_set_meeting_has_a_register_of_that_set_only(cast, as_user):
    ann, ben, cat = cast.learners
    one, _two = _sets(cast)
    client = as_user(cast.manager)
    assert _add(client, cast.cohort, audience=str(one.id), kind="learning_set").status_code == 302
    session = db.session.execute(select(CohortSession)).scalar_one()
    assert session.set_id == one.id
    session.starts_at = utcnow() - timedelta(hours=1)
    session.ends_at = utcnow() + timedelta(hours=1)
    db.session.commit()
    path = f"/cohorts/{cast.cohort.id}/sessions/{session.id}/attendance"
    page = client.get(path)
    body = text_of(page)
    assert ann.name in body
    assert cat.name in body
    assert ben.name not in body
    assert "A meeting of Set 1" in body
    # Ben is in another set: a forged register that marks him is refused, and nothing is saved.
    forged = client.post(
        path,
        data={
            "csrf_token": form_token(page),
            "marks-0-key": str(ben.id),
            "marks-0-status": "present",
            "marks-1-key": str(ann.id),
            "marks-1-status": "present",
        },
    )
    assert forged.status_code in (200, 400)  # the page again, saying what is wrong; no redirect
    assert _count(Attendance) == 0
    ok = client.post(
        path,
        data={
            "csrf_token": form_token(page),
            "marks-0-key": str(ann.id),
            "marks-0-status": "present",
            "marks-1-key": str(cat.id),
            "marks-1-status": "apologies",
        },
    )
    assert ok.status_code == 302
    assert _count(Attendance) == 2


def test_cancelling_a_set_meeting_tells_that_set_only(cast, as_user):
    ann, _ben, cat = cast.learners
    one, _two = _sets(cast)
    session = _session(cast.cohort, "Set 1 meets", set_id=one.id, kind="learning_set")
    client = as_user(cast.manager)
    cancel = f"/cohorts/{cast.cohort.id}/sessions/{session.id}/cancel"
    page = client.get(cancel)
    assert "the members of Set 1" in text_of(page)
    client.post(cancel, data={"csrf_token": form_token(page), "confirm": "yes"})
    told = set(db.session.execute(select(Email.to_address)).scalars())
    assert told == {ann.email, cat.email}


def test_deleting_a_session_with_attendance_says_so_and_is_audited(cast, as_user):
    held = _session(cast.cohort, "Workshop 1", utcnow() - timedelta(days=7))
    for person in cast.learners:
        db.session.add(Attendance(session_id=held.id, user_id=person.id, status="present"))
    db.session.commit()
    client = as_user(cast.manager)
    path = f"/cohorts/{cast.cohort.id}/sessions/{held.id}/delete"
    page = client.get(path)
    assert "Attendance has been recorded for this session: 3 marks will be deleted" in text_of(page)
    assert _count() == 1  # asking deletes nothing
    done = client.post(path, data={"csrf_token": form_token(page), "confirm": "yes"})
    assert done.status_code == 302
    assert (_count(), _count(Attendance)) == (0, 0)
    detail = db.session.execute(
        select(AuditEvent.detail).where(AuditEvent.action == Action.SESSION_DELETED.value)
    ).scalar_one()
    assert "3 attendance marks deleted with it" in detail


def test_learners_and_facilitators_cannot_change_sessions(cast, as_user):
    session = _session(cast.cohort)
    for person in (cast.learners[0], cast.facilitator, cast.lead):
        client = as_user(person)
        for action in ("edit", "cancel", "delete"):
            url = f"/cohorts/{cast.cohort.id}/sessions/{session.id}/{action}"
            assert client.get(url).status_code == 403
    assert _count() == 1


def _edit(client, cohort, session, **changes):
    edit = f"/cohorts/{cohort.id}/sessions/{session.id}/edit"
    page = client.get(edit)
    return client.post(edit, data=GOOD | {"csrf_token": form_token(page)} | changes)


def _future_day(days=20) -> list[str]:
    day = (utcnow() + timedelta(days=days)).date()
    return [str(day.day), str(day.month), str(day.year)]


def test_changing_a_coming_session_emails_the_people_it_is_for(cast, as_user):
    session = _session(cast.cohort, "Workshop 3", location="Old Hall")
    client = as_user(cast.manager)
    form = client.get(f"/cohorts/{cast.cohort.id}/sessions/{session.id}/edit")
    box = form.get_data(as_text=True).split('name="tell"')[1].split(">")[0]
    assert "checked" in box  # ticked unless the manager unticks it
    assert 'name="tell"' not in client.get(f"/cohorts/{cast.cohort.id}/sessions/new").get_data(
        as_text=True
    )
    done = _edit(client, cast.cohort, session, day=_future_day(), tell="y", location="New Hall")
    assert done.status_code == 302
    flashed = text_of(client.get(done.headers["Location"]))
    assert "3 emails are queued to tell the people it is for" in flashed
    db.session.expire_all()
    emails = db.session.execute(
        select(Email.to_address, Email.kind, Email.subject, Email.text)
    ).all()
    assert sorted(e.to_address for e in emails) == sorted(p.email for p in cast.learners)
    assert {e.kind for e in emails} == {"session-changed"}
    assert all(e.subject.startswith(f"Changed: {GOOD['title']} on ") for e in emails)
    body = emails[0].text
    assert "Where: New Hall" in body
    assert "10am to 4pm" in body
    assert "Come to reception." in body
    assert f"/sessions/{session.id}.ics" in body
    detail = db.session.execute(
        select(AuditEvent.detail).where(AuditEvent.action == Action.SESSION_CHANGED.value)
    ).scalar_one()
    assert detail.endswith("; 3 people told by email")
    # Saving the same again changes nothing and tells no one again.
    _edit(client, cast.cohort, session, day=_future_day(), tell="y", location="New Hall")
    assert _count(Email) == 3


def test_unticked_or_over_or_only_the_kind_tells_no_one(cast, as_user):
    client = as_user(cast.manager)
    coming = _session(cast.cohort, "Workshop 4", location="Old Hall")
    done = _edit(client, cast.cohort, coming, day=_future_day(), location="New Hall")  # unticked
    assert "No one was emailed" in text_of(client.get(done.headers["Location"]))
    assert _count(Email) == 0
    past = _session(cast.cohort, "Workshop 1", utcnow() - timedelta(days=5))
    _edit(client, cast.cohort, past, day=_future_day(-4), tell="y", location="Elsewhere")
    assert _count(Email) == 0
    db.session.expire_all()
    assert db.session.get(CohortSession, past.id).location == "Elsewhere"  # saved, not told
    same = db.session.get(CohortSession, coming.id)
    _edit(
        client,
        cast.cohort,
        same,
        day=_future_day(),
        location="New Hall",
        kind="learning_set",
        tell="y",
    )
    db.session.expire_all()
    assert db.session.get(CohortSession, coming.id).kind == "learning_set"
    assert _count(Email) == 0


def test_changing_a_set_meeting_tells_that_set_only(cast, as_user):
    ann, _ben, cat = cast.learners
    one, _two = _sets(cast)
    session = _session(cast.cohort, "Set 1 meets", set_id=one.id, kind="learning_set")
    client = as_user(cast.manager)
    _edit(
        client,
        cast.cohort,
        session,
        title="Set 1 meets",
        kind="learning_set",
        audience=str(one.id),
        day=_future_day(9),
        tell="y",
    )
    told = set(db.session.execute(select(Email.to_address)).scalars())
    assert told == {ann.email, cat.email}
