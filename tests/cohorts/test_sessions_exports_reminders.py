"""Sessions and attendance, exports, reminders, invitations and setting up a cohort."""

import csv
import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from leaders.cohorts.models import Attendance, Cohort, CohortMember, CohortSession, ReminderLog
from leaders.extensions import db
from leaders.learning.models import LessonProgress
from leaders.timeutil import uk_today, utcnow
from tests.conftest import sign_in
from tests.helpers import form_token, sent_emails, text_of


@pytest.fixture
def app_overrides(tmp_path):
    return {"MAIL_OUTBOX_DIR": str(tmp_path / "outbox")}


def test_manager_sets_up_a_cohort(app, as_user):
    from leaders.auth.models import Role
    from tests.factories import make_user

    client = as_user(make_user(role=Role.PROGRAMME_MANAGER))
    token = form_token(client.get("/cohorts/new"))
    bad = client.post(
        "/cohorts/new",
        data={
            "csrf_token": token,
            "course": "sample-course",
            "name": "",
            "starts_on": ["1", "9", "2027"],
            "ends_on": ["1", "8", "2027"],
        },
    )
    body = text_of(bad)
    assert "Enter a name for the cohort" in body
    assert "End date must be the same as or after the start date" in body
    assert db.session.scalar(select(func.count()).select_from(Cohort)) == 0
    good = client.post(
        "/cohorts/new",
        data={
            "csrf_token": token,
            "course": "sample-course",
            "name": "Leeds 2027",
            "starts_on": ["1", "9", "2027"],
            "ends_on": ["1", "8", "2028"],
        },
    )
    assert good.status_code == 302
    cohort = db.session.execute(select(Cohort)).scalar_one()
    assert (cohort.name, cohort.starts_on) == ("Leeds 2027", date(2027, 9, 1))
    assert db.session.execute(select(CohortMember.role)).scalar_one() == "programme_manager"


def test_sessions_and_a_register_for_everyone_in_one_post(cast, as_user):
    client = as_user(cast.manager)
    path = f"/cohorts/{cast.cohort.id}/sessions/new"
    form_page = client.get(path)
    token = form_token(form_page)
    bad = client.post(
        path,
        data={
            "csrf_token": token,
            "title": "Workshop 1",
            "kind": "workshop",
            "day": ["3", "2", "2027"],
            "start_time": "25:00",
        },
    )
    assert "Enter a start time in the 24-hour clock, like 09:30" in text_of(bad)
    ok = client.post(
        path,
        data={
            "csrf_token": token,
            "title": "Workshop 1",
            "kind": "workshop",
            "day": ["3", "2", "2026"],  # held already: its register can be taken
            "start_time": "09:30",
            "end_time": "12:30",
            "location": "Barnsley Town Hall",
        },
    )
    assert ok.status_code == 302
    session = db.session.execute(select(CohortSession)).scalar_one()
    assert session.starts_at.hour == 9  # 09:30 in February is 09:30 UTC

    register = f"/cohorts/{cast.cohort.id}/sessions/{session.id}/attendance"
    page = client.get(register)
    html = page.get_data(as_text=True)
    assert html.count('value="present" checked') == 3  # everyone starts as present
    ann, ben, cat = cast.learners
    data = {
        "csrf_token": form_token(page),
        **{f"marks-{i}-key": str(p.id) for i, p in enumerate(cast.learners)},
        "marks-0-status": "present",
        "marks-1-status": "apologies",
        "marks-2-status": "absent",
    }
    assert client.post(register, data=data).status_code == 302
    marks = dict(db.session.execute(select(Attendance.user_id, Attendance.status)).all())
    assert marks == {ann.id: "present", ben.id: "apologies", cat.id: "absent"}
    assert client.post(register, data=data).status_code == 302  # saving again keeps one row each
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 3
    # A mark the page never offers is refused, says which row, and saves nothing.
    forged = client.post(
        register, data=data | {"marks-0-status": "teleported", "marks-1-status": "present"}
    )
    assert forged.status_code == 400
    assert "Mark Ann" in text_of(forged) or f"Mark {ann.name} as present" in text_of(forged)
    assert dict(db.session.execute(select(Attendance.user_id, Attendance.status)).all()) == marks
    # A row left unmarked is an error on that row; nothing is saved.
    unmarked = {k: v for k, v in data.items() if k != "marks-2-status"} | {
        "marks-1-status": "present"
    }
    page = client.post(register, data=unmarked)
    assert page.status_code == 200
    body = text_of(page)
    assert "There is a problem" in body
    assert f"Mark {cat.name} as present, sent apologies or absent" in body
    assert 'href="#marks-2-status"' in page.get_data(as_text=True)
    assert dict(db.session.execute(select(Attendance.user_id, Attendance.status)).all()) == marks


def test_facilitators_take_attendance(cast, as_user):
    session = CohortSession(cohort_id=cast.cohort.id, title="Set 1", starts_at=utcnow())
    db.session.add(session)
    db.session.commit()
    client = as_user(cast.facilitator)
    assert (
        client.get(f"/cohorts/{cast.cohort.id}/sessions/{session.id}/attendance").status_code == 200
    )


def test_exports_have_the_dashboard_rows_with_numbers_and_dates(cast, as_user):
    ann = cast.learners[0]
    ann.last_sign_in_at = ann.last_active_at = utcnow()
    db.session.add(
        LessonProgress(
            user_id=ann.id,
            lesson_key="sample-course/first-steps/welcome",
            completed_at=utcnow(),
            version_completed="x",
        )
    )
    db.session.commit()
    client = as_user(cast.manager)
    base = f"/cohorts/{cast.cohort.id}/export"
    progress_csv = list(
        csv.reader(
            io.StringIO(client.get(f"{base}/progress.csv").get_data(as_text=True).lstrip("\ufeff"))
        )
    )
    assert progress_csv[0][:3] == ["Name", "Email", "Organisation"]
    assert [row[0] for row in progress_csv[1:]] == ["Ann Council", "Ben Council", "Cat Health"]
    book = load_workbook(io.BytesIO(client.get(f"{base}/progress.xlsx").get_data()))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == progress_csv[0]  # the same columns
    assert [r[0] for r in rows] == [r[0] for r in progress_csv]  # the same rows
    assert rows[1][3] == 1
    assert isinstance(rows[1][3], int)
    learners = load_workbook(io.BytesIO(client.get(f"{base}/learners.xlsx").get_data())).active
    header = [c.value for c in learners[1]]
    last_signed = learners.cell(row=2, column=header.index("Last signed in") + 1).value
    assert last_signed.date() == utcnow().date() or last_signed == utcnow().date()
    response = client.get(f"{base}/learners.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert client.get(f"{base}/secrets.csv").status_code == 404


def test_reminders_are_sent_once_a_week_with_a_plain_text_part(cast, app, runner):
    cast.other_cohort.ends_on = uk_today() - timedelta(days=1)  # finished: no reminders
    db.session.commit()
    first = runner.invoke(args=["send-reminders"])
    assert first.exit_code == 0, first.output
    sent = sent_emails(app)
    to = sorted(m["to"] for m in sent)
    assert to == sorted(
        [p.email for p in cast.learners] + [cast.manager.email]
    )  # all not signed in yet
    assert all(m["text"].strip() for m in sent)
    assert any("weekly digest" in m["subject"] for m in sent)
    again = runner.invoke(args=["send-reminders"])
    assert again.exit_code == 0
    assert len(sent_emails(app)) == len(sent)
    assert db.session.scalar(select(func.count()).select_from(ReminderLog)) == len(sent)


def test_invitation_link_sets_a_password_and_signs_in(cast, as_user, app, client):
    manager = as_user(cast.manager)
    path = f"/cohorts/{cast.cohort.id}/people/invite"
    token = form_token(manager.get(path))
    response = manager.post(
        path,
        data={
            "csrf_token": token,
            "name": "New Person",
            "email": "new.person@example.org",
            "job_title": "Head of Policy",
            "organisation": str(cast.council.id),
            "role": "learner",
        },
    )
    assert response.status_code == 302
    [message] = sent_emails(app)
    link = message["text"].split("http://localhost")[1].split()[0]
    manager.post("/sign-out", data={"csrf_token": form_token(manager.get("/home"))})
    page = client.get(link)
    assert "Set your password" in text_of(page)
    done = client.post(
        link,
        data={
            "csrf_token": form_token(page),
            "password": "harbour-lantern-copper-fig",
            "confirm": "harbour-lantern-copper-fig",
        },
    )
    assert done.status_code == 302
    assert "New Person" in text_of(client.get("/home"))
    assert client.get(link).status_code == 400  # used


def test_removing_someone_keeps_their_account(cast, as_user):
    client = as_user(cast.manager)
    ann = cast.learners[0]
    page = client.get(f"/cohorts/{cast.cohort.id}/people")
    assert (
        client.post(
            f"/cohorts/{cast.cohort.id}/people/{ann.id}/remove",
            data={"csrf_token": form_token(page), "confirm": "yes"},
        ).status_code
        == 302
    )
    assert (
        db.session.scalar(
            select(func.count()).select_from(CohortMember).where(CohortMember.user_id == ann.id)
        )
        == 0
    )
    assert sign_in(client.application.test_client(), ann).status_code == 302
