"""Sessions in calendars: one session's .ics and each person's private feed, read back by two parsers
(icalendar, and ical.js from npm through node), on both sides of the October clock change."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from icalendar import Calendar
from sqlalchemy import select

from leaders.audit import Action, AuditEvent
from leaders.cohorts.models import CalendarFeed, CohortSession, LearningSet, LearningSetMember
from leaders.extensions import db
from leaders.timeutil import UK
from tests.calendar_reader import read_with_ical_js
from tests.conftest import sign_in
from tests.helpers import form_token, text_of

#: 24 October 2026 is BST (UTC+1); the clocks go back on 25 October; 7 November is GMT.
BST_DAY = datetime(2026, 10, 24, 10, 0, tzinfo=UK)
GMT_DAY = datetime(2026, 11, 7, 10, 0, tzinfo=UK)


@pytest.fixture
def as_user(app):
    """A client of its own for each person (several people act in one test)."""

    def signed(user):
        client = app.test_client()
        assert sign_in(client, user).status_code == 302
        return client

    return signed


def _session(cohort, title, start, hours=6, **extra) -> CohortSession:
    session = CohortSession(
        cohort_id=cohort.id,
        title=title,
        starts_at=start.astimezone(UTC),
        ends_at=start.replace(hour=start.hour + hours).astimezone(UTC),
        location="Barnsley Town Hall",
        **extra,
    )
    db.session.add(session)
    db.session.commit()
    return session


def _ical_js(tmp_path, data: bytes) -> dict:
    """What ical.js reads from the file."""
    path = tmp_path / "read.ics"
    path.write_bytes(data)
    return read_with_ical_js(path)


def _icalendar(data: bytes) -> dict[str, tuple[datetime, datetime, str]]:
    cal = Calendar.from_ical(data)
    return {
        str(e["summary"]): (e.decoded("dtstart"), e.decoded("dtend"), str(e["status"]))
        for e in cal.walk("VEVENT")
    }


def _feed_url(client) -> str:
    page = client.post(
        "/account/calendar/link", data={"csrf_token": form_token(client.get("/account/calendar"))}
    )
    assert page.status_code == 200
    url = page.get_data(as_text=True).split('id="feed-url" type="text" value="')[1].split('"')[0]
    return url.removeprefix("http://localhost")


def test_one_session_file_keeps_10am_either_side_of_the_clock_change(cast, as_user, tmp_path):
    autumn = _session(cast.cohort, "Workshop 3", BST_DAY)
    winter = _session(cast.cohort, "Workshop 4", GMT_DAY)
    client = as_user(cast.learners[0])
    for session, utc_hour in ((autumn, 9), (winter, 10)):
        response = client.get(f"/sessions/{session.id}.ics")
        assert response.status_code == 200
        assert response.mimetype == "text/calendar"
        data = response.data
        assert b"BEGIN:VTIMEZONE" in data
        assert b"TZID:Europe/London" in data
        assert b"DTSTART;TZID=Europe/London:2026" in data
        start, end, status = _icalendar(data)[session.title]
        assert (start.hour, start.utcoffset().total_seconds() / 3600) == (
            10,
            1 if utc_hour == 9 else 0,
        )
        assert start.astimezone(UTC).hour == utc_hour
        assert (end - start).total_seconds() == 6 * 3600
        assert status == "CONFIRMED"
        read = _ical_js(tmp_path, data)
        assert read["method"] == "PUBLISH"
        (event,) = read["events"]
        assert event["tzid"] == "Europe/London"
        assert event["start"] == f"{session.starts_at.astimezone(UTC):%Y-%m-%dT%H:%M:00.000Z}"
        assert event["start"].startswith(f"2026-{session.starts_at.month:02d}")
        assert event["start"][11:13] == f"{utc_hour:02d}"
        assert event["end"][11:13] == f"{utc_hour + 6:02d}"
        assert event["uid"] == f"cohort-session-{session.id}@place-leaders"


def test_a_change_bumps_the_sequence_and_a_cancelled_session_is_sent_as_cancelled(
    cast, as_user, tmp_path
):
    session = _session(cast.cohort, "Workshop 3", BST_DAY)
    manager = as_user(cast.manager)
    edit = f"/cohorts/{cast.cohort.id}/sessions/{session.id}/edit"
    data = {
        "csrf_token": form_token(manager.get(edit)),
        "title": "Workshop 3",
        "kind": "workshop",
        "audience": "",
        "day": ["24", "10", "2026"],
        "start_time": "10:30",
        "end_time": "16:00",
        "location": "Barnsley Town Hall",
    }
    assert manager.post(edit, data=data).status_code == 302
    cancel = f"/cohorts/{cast.cohort.id}/sessions/{session.id}/cancel"
    page = manager.get(cancel)
    assert (
        manager.post(cancel, data={"csrf_token": form_token(page), "confirm": "yes"}).status_code
        == 302
    )
    db.session.expire_all()
    learner = as_user(cast.learners[0])
    data = learner.get(f"/sessions/{session.id}.ics").data
    read = _ical_js(tmp_path, data)
    assert read["method"] == "CANCEL"
    assert b"ORGANIZER;CN=" in data  # iTIP: a cancellation names its organiser
    (event,) = read["events"]
    assert (event["status"], event["sequence"]) == ("CANCELLED", 2)  # edited once, then cancelled
    assert event["start"] == "2026-10-24T09:30:00.000Z"  # 10:30 BST
    assert _icalendar(data)["Workshop 3"][2] == "CANCELLED"


def test_the_feed_lists_the_learners_sessions_and_their_sets_not_others(cast, as_user, tmp_path):
    ann, ben, _cat = cast.learners
    theirs = LearningSet(cohort_id=cast.cohort.id, name="Set Ben")
    mine = LearningSet(cohort_id=cast.cohort.id, name="Set Ann")
    db.session.add_all([theirs, mine])
    db.session.flush()
    db.session.add_all(
        [
            LearningSetMember(cohort_id=cast.cohort.id, set_id=theirs.id, user_id=ben.id),
            LearningSetMember(cohort_id=cast.cohort.id, set_id=mine.id, user_id=ann.id),
        ]
    )
    db.session.commit()
    _session(cast.cohort, "Workshop 3", BST_DAY)
    _session(cast.cohort, "Workshop 4", GMT_DAY, cancelled_at=datetime.now(UTC))
    _session(cast.cohort, "Set Ann meets", GMT_DAY.replace(day=14), hours=2, set_id=mine.id)
    _session(cast.cohort, "Set Ben meets", GMT_DAY.replace(day=14), hours=2, set_id=theirs.id)
    _session(cast.other_cohort, "Kent workshop", GMT_DAY)
    client = as_user(ann)
    url = _feed_url(client)
    client.post("/sign-out", data={"csrf_token": form_token(client.get("/home"))})
    anonymous = client.application.test_client()
    response = anonymous.get(url)  # no sign-in: the token is the key
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    read = _ical_js(tmp_path, response.data)
    got = {e["summary"]: (e["start"], e["status"]) for e in read["events"]}
    assert got == {
        "Workshop 3": ("2026-10-24T09:00:00.000Z", "CONFIRMED"),
        "Workshop 4": ("2026-11-07T10:00:00.000Z", "CANCELLED"),
        "Set Ann meets": ("2026-11-14T10:00:00.000Z", "CONFIRMED"),
    }
    assert {k: v[2] for k, v in _icalendar(response.data).items()} == {
        "Workshop 3": "CONFIRMED",
        "Workshop 4": "CANCELLED",
        "Set Ann meets": "CONFIRMED",
    }
    assert b"Ben" not in response.data
    assert b"Kent" not in response.data


def test_a_reset_link_stops_the_old_one_and_is_audited(cast, as_user):
    ann = cast.learners[0]
    client = as_user(ann)
    old = _feed_url(client)
    stored = db.session.execute(select(CalendarFeed.token_hash)).scalar_one()
    assert old.removeprefix("/calendar/").removesuffix(".ics") not in stored  # only a hash is kept
    # With a link already, the button asks first; only the confirmed POST makes a new one.
    token = form_token(client.get("/account/calendar"))
    ask = client.post("/account/calendar/link", data={"csrf_token": token})
    assert "Reset your calendar link?" in text_of(ask)
    assert client.get(old).status_code == 200
    page = client.post("/account/calendar/link", data={"csrf_token": token, "confirm": "yes"})
    new = page.get_data(as_text=True).split('id="feed-url" type="text" value="')[1].split('"')[0]
    new = new.removeprefix("http://localhost")
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    actions = (
        db.session.execute(
            select(AuditEvent.detail).where(AuditEvent.action == Action.CALENDAR_LINK_MADE.value)
        )
        .scalars()
        .all()
    )
    assert actions == ["first link", "replaced the old link, which no longer works"]
    # The page says there is a link, but never shows it again.
    assert "not shown again" in text_of(client.get("/account/calendar"))
    assert new not in client.get("/account/calendar").get_data(as_text=True)


@pytest.mark.parametrize(
    "token", ["x", "not-a-real-token-at-all-000000", "A" * 43, "%2e%2e%2faccount", "a" * 200]
)
def test_a_wrong_or_forged_token_finds_nothing(cast, client, token):
    response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 404
    assert b"VCALENDAR" not in response.data


def test_a_session_file_is_only_for_the_people_it_is_for(cast, as_user):
    ann, ben, _ = cast.learners
    only_ben = LearningSet(cohort_id=cast.cohort.id, name="Set Ben")
    db.session.add(only_ben)
    db.session.flush()
    db.session.add(LearningSetMember(cohort_id=cast.cohort.id, set_id=only_ben.id, user_id=ben.id))
    db.session.commit()
    set_meeting = _session(cast.cohort, "Set Ben meets", BST_DAY, set_id=only_ben.id)
    kent = _session(cast.other_cohort, "Kent workshop", BST_DAY)
    client = as_user(ann)
    assert client.get(f"/sessions/{set_meeting.id}.ics").status_code == 404
    assert client.get(f"/sessions/{kent.id}.ics").status_code == 404
    assert as_user(cast.facilitator).get(f"/sessions/{set_meeting.id}.ics").status_code == 200


def test_the_demo_programmes_feed_reads_back_at_the_same_uk_times_all_year(cast, as_user, tmp_path):
    """The demo data's sessions (autumn 2026 to summer 2027), read by both parsers: 09:30 workshops
    stay 09:30 in London whether BST or GMT, and their UTC times move by the hour."""
    import random
    from datetime import date

    from leaders.demo_programme.sessions import add_sessions

    cohort = cast.cohort
    cohort.starts_on, cohort.ends_on = date(2026, 9, 7), date(2027, 7, 4)
    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    add_sessions(random.Random(1), cohort, cast.learners, cohort.starts_on, now)
    db.session.commit()
    client = as_user(cast.learners[0])
    feed = client.get(_feed_url(client))
    read = _ical_js(tmp_path, feed.data)["events"]
    by_icalendar = _icalendar(feed.data)
    workshops = [e for e in read if e["summary"].startswith("Workshop")]
    assert len(workshops) >= 8
    offsets = set()
    for event in workshops:
        start = datetime.fromisoformat(event["start"].replace("Z", "+00:00"))
        local = start.astimezone(UK)
        assert (local.hour, local.minute) == (9, 30), event
        offsets.add(local.utcoffset().total_seconds())
        ours_start = by_icalendar[event["summary"]][0]
        assert ours_start == start
        assert (ours_start.hour, ours_start.minute) == (9, 30)
    assert offsets == {0, 3600}  # both sides of a clock change
    statuses = [e["status"] for e in read]
    assert statuses.count("CANCELLED") == 1
