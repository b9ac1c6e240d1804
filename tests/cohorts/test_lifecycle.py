"""A cohort's life-cycle: copy it to new dates (no people), archive it once finished (read-only,
out of the default list), bring it back."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, inspect, select

from leaders.audit import Action, AuditEvent
from leaders.cohorts import lifecycle
from leaders.cohorts.models import (
    Attendance,
    Cohort,
    CohortMember,
    CohortModule,
    CohortSession,
)
from leaders.extensions import db
from leaders.timeutil import utcnow
from tests.conftest import sign_in
from tests.factories import Cast, make_cohort
from tests.helpers import form_token, text_of


def _client(app, user):
    client = app.test_client()
    assert sign_in(client, user).status_code == 302
    return client


def _count(model, *where) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _audited(action: Action) -> list[str]:
    return list(
        db.session.execute(
            select(AuditEvent.detail).where(AuditEvent.action == action.value)
        ).scalars()
    )


def _with_schedule(cast: Cast) -> CohortSession:
    cohort = cast.cohort  # starts 1 January 2026
    db.session.add_all(
        [
            CohortModule(
                cohort_id=cohort.id,
                module_key="sample-course/first-steps",
                opens_on=date(2026, 1, 5),
                due_on=date(2026, 2, 1),
            ),
            CohortModule(
                cohort_id=cohort.id,
                module_key="sample-course/going-further",
                due_on=None,
                opens_on=date(2026, 3, 1),
            ),
        ]
    )
    workshop = CohortSession(
        cohort_id=cohort.id,
        title="Workshop 1",
        starts_at=datetime(2026, 1, 12, 9, 30, tzinfo=UTC),
        location="Town hall",
    )
    db.session.add(workshop)
    db.session.flush()
    db.session.add(
        Attendance(session_id=workshop.id, user_id=cast.learners[0].id, status="present")
    )
    db.session.commit()
    return workshop


def _copy_form(client, cast, name="South Yorkshire 2028", day="8", month="1", year="2027", **extra):
    url = f"/cohorts/{cast.cohort.id}/copy"
    token = form_token(client.get(url))
    return client.post(
        url,
        data={
            "csrf_token": token,
            "name": name,
            "starts_on": [day, month, year],
            **extra,
        },
    )


def test_copying_moves_the_schedule_and_sessions_and_takes_no_people(app):
    cast = Cast()
    _with_schedule(cast)
    manager = _client(app, cast.manager)
    cohorts_before = _count(Cohort)
    # First the confirmation, which changes nothing and says what will happen.
    asked = _copy_form(manager, cast)
    assert asked.status_code == 200
    text = text_of(asked)
    assert "Copy South Yorkshire 2027 as South Yorkshire 2028?" in text
    assert "move 372 days later" in text
    assert _count(Cohort) == cohorts_before
    done = _copy_form(manager, cast, **{"confirm": "yes", "starts_on": "8/1/2027"})
    assert done.status_code == 302
    copy = db.session.execute(
        select(Cohort).where(Cohort.name == "South Yorkshire 2028")
    ).scalar_one()
    delta = timedelta(days=372)
    assert copy.starts_on == date(2027, 1, 8)
    assert copy.ends_on == cast.cohort.ends_on + delta
    assert copy.course_key == cast.cohort.course_key
    modules = {
        m.module_key: (m.opens_on, m.due_on)
        for m in db.session.execute(
            select(CohortModule).where(CohortModule.cohort_id == copy.id)
        ).scalars()
    }
    assert modules == {
        "sample-course/first-steps": (date(2026, 1, 5) + delta, date(2026, 2, 1) + delta),
        "sample-course/going-further": (date(2026, 3, 1) + delta, None),
    }
    sessions = list(
        db.session.execute(
            select(CohortSession).where(CohortSession.cohort_id == copy.id)
        ).scalars()
    )
    assert [(s.title, s.location, s.starts_at) for s in sessions] == [
        ("Workshop 1", "Town hall", datetime(2026, 1, 12, 9, 30, tzinfo=UTC) + delta)
    ]
    assert _count(Attendance, Attendance.session_id == sessions[0].id) == 0
    members = db.session.execute(
        select(CohortMember.user_id, CohortMember.role).where(CohortMember.cohort_id == copy.id)
    ).all()
    assert members == [(cast.manager.id, "programme_manager")]  # the person copying, no one else
    assert _audited(Action.COHORT_COPIED) == [
        f"from South Yorkshire 2027 (cohort {cast.cohort.id}), +372 days, 1 sessions"
    ]
    # The same copy again (a double submit) is refused, and makes no second cohort.
    again = _copy_form(manager, cast, **{"confirm": "yes", "starts_on": "8/1/2027"})
    assert "already exists" in text_of(again)
    assert _count(Cohort, Cohort.name == "South Yorkshire 2028") == 1


def test_every_session_column_is_copied_but_ids(app):
    """Generic: a column added to sessions later is copied (dates moved) with no change here."""
    cast = Cast()
    workshop = _with_schedule(cast)
    delta = timedelta(days=7)
    values = lifecycle._copied_values(workshop, delta, actor=cast.manager.id)
    assert values is not None
    for attribute in inspect(CohortSession).column_attrs:
        column = attribute.columns[0]
        if column.primary_key or column.foreign_keys or column.unique:
            assert attribute.key not in values
            continue
        if attribute.key in lifecycle.BOOKKEEPING:
            continue
        original = getattr(workshop, attribute.key)
        expected = original + delta if isinstance(original, date | datetime) else original
        assert values[attribute.key] == expected, attribute.key


def test_a_bad_copy_is_refused_and_makes_nothing(app):
    cast = Cast()
    manager = _client(app, cast.manager)
    before = _count(Cohort)
    for fields, message in (
        ({"day": "31", "month": "2"}, "Start date of the new cohort must be a real date"),
        ({"day": "", "month": "", "year": ""}, "Enter the start date of the new cohort"),
        ({"year": "2027x"}, "must be a real date"),
        ({"name": ""}, "Enter a name for the new cohort"),
    ):
        response = _copy_form(manager, cast, **fields, confirm="yes")
        assert response.status_code == 200
        assert "There is a problem" in text_of(response)
        assert message in text_of(response)
        assert _count(Cohort) == before
    # Learners, facilitators and other cohorts' managers cannot copy it.
    for user in (cast.learners[0], cast.facilitator, cast.other_manager):
        assert _client(app, user).get(f"/cohorts/{cast.cohort.id}/copy").status_code == 403


def _ended(cast: Cast) -> Cohort:
    ended = make_cohort(name="Ended 2025", starts_on=date(2025, 1, 1), ends_on=date(2025, 6, 30))
    from tests.factories import enrol

    enrol(ended, cast.manager, "programme_manager")
    enrol(ended, cast.facilitator, "facilitator")
    for learner in cast.learners:
        enrol(ended, learner)
    return ended


def test_an_unfinished_cohort_is_not_archived(app):
    cast = Cast()  # runs to the end of 2027
    manager = _client(app, cast.manager)
    url = f"/cohorts/{cast.cohort.id}/archive"
    refused = manager.post(
        url, data={"csrf_token": form_token(manager.get("/home")), "confirm": "yes"}
    )
    assert refused.status_code == 403
    assert "runs until 31 December 2027" in text_of(refused)
    db.session.expire_all()
    assert db.session.get(Cohort, cast.cohort.id).archived_at is None
    assert _audited(Action.COHORT_ARCHIVED) == []


def test_archiving_makes_a_cohort_read_only_for_every_route(app):
    cast = Cast()
    ended = _ended(cast)
    manager = _client(app, cast.manager)
    url = f"/cohorts/{ended.id}/archive"
    token = form_token(manager.get("/home"))
    asked = manager.post(url, data={"csrf_token": token})
    assert "Archive Ended 2025?" in text_of(asked)
    db.session.expire_all()
    assert db.session.get(Cohort, ended.id).archived_at is None
    assert manager.post(url, data={"csrf_token": token, "confirm": "yes"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Cohort, ended.id).archived_at is not None
    assert _audited(Action.COHORT_ARCHIVED) == ["Ended 2025"]

    # Out of the default list; in the archived one.
    archived = text_of(manager.get("/cohorts?archived=1"))  # where the archive sends them
    assert "Ended 2025 is archived" in archived
    assert "Archived cohorts Cohort Dates Your role Learners Ended 2025" in archived
    listing = text_of(manager.get("/cohorts"))
    assert "Ended 2025" not in listing
    assert "Archived cohorts (1)" in listing
    # Pages still show; they say it is archived.
    assert "This cohort is archived." in text_of(manager.get(f"/cohorts/{ended.id}/schedule"))

    session = CohortSession(
        cohort_id=ended.id, title="W1", starts_at=utcnow() - timedelta(days=400)
    )
    db.session.add(session)
    db.session.commit()
    ann = cast.learners[0]
    # Signed in before counting: every sign-in is an audit event of its own.
    facilitator, learner = _client(app, cast.facilitator), _client(app, ann)
    events_before = _count(AuditEvent)
    for client, path, data in (
        (manager, f"/cohorts/{ended.id}/edit", {"name": "Changed", "course": "sample-course"}),
        (manager, f"/cohorts/{ended.id}/schedule", {}),
        (manager, f"/cohorts/{ended.id}/sets/propose", {}),
        (manager, f"/cohorts/{ended.id}/network/waves", {"name": "baseline"}),
        (manager, f"/cohorts/{ended.id}/people/{ann.id}/remove", {"confirm": "yes"}),
        (
            facilitator,
            f"/cohorts/{ended.id}/sessions/{session.id}/attendance",
            {},
        ),
        (
            learner,
            f"/network/{ended.id}/connect/{cast.learners[2].id}",
            {"kind": "mentoring"},
        ),
    ):
        response = client.post(path, data={"csrf_token": form_token(client.get("/home")), **data})
        assert response.status_code == 403, path
        assert "This cohort is archived" in text_of(response), path
    db.session.expire_all()
    assert db.session.get(Cohort, ended.id).name == "Ended 2025"
    assert _count(CohortMember, CohortMember.cohort_id == ended.id) == 5
    assert _count(AuditEvent) == events_before

    # Copying the archived cohort for its next run is allowed: it changes nothing in it.
    copy_url = f"/cohorts/{ended.id}/copy"
    copied = manager.post(
        copy_url,
        data={"csrf_token": token, "name": "Next 2026", "starts_on": "1/1/2026", "confirm": "yes"},
    )
    assert copied.status_code == 302
    assert _count(Cohort, Cohort.name == "Next 2026", Cohort.archived_at.is_(None)) == 1

    # Bringing it back makes it writable again.
    back = manager.post(f"/cohorts/{ended.id}/unarchive", data={"csrf_token": token})
    assert back.status_code == 302
    db.session.expire_all()
    assert db.session.get(Cohort, ended.id).archived_at is None
    assert _audited(Action.COHORT_UNARCHIVED) == ["Ended 2025"]
    assert "Ended 2025" in text_of(manager.get("/cohorts"))


def test_only_its_managers_archive_or_bring_back(app):
    cast = Cast()
    ended = _ended(cast)
    ended.archived_at = utcnow()
    db.session.commit()
    for user in (cast.facilitator, cast.learners[0], cast.other_manager):
        client = _client(app, user)
        token = form_token(client.get("/home"))
        assert (
            client.post(f"/cohorts/{ended.id}/unarchive", data={"csrf_token": token}).status_code
            == 403
        )
    db.session.expire_all()
    assert db.session.get(Cohort, ended.id).archived_at is not None


def test_the_cohort_pages_link_to_its_details(app):
    cast = Cast()
    manager = _client(app, cast.manager)
    page = manager.get(f"/cohorts/{cast.cohort.id}/people").get_data(as_text=True)
    assert f'href="/cohorts/{cast.cohort.id}/edit"' in page
    details = text_of(manager.get(f"/cohorts/{cast.cohort.id}/edit"))
    assert "Copy this cohort" in details
    assert "Archive this cohort" in details
    facilitator = _client(app, cast.facilitator)
    assert f'href="/cohorts/{cast.cohort.id}/edit"' not in facilitator.get(
        f"/cohorts/{cast.cohort.id}/people"
    ).get_data(as_text=True)
