"""Enrolment from an Excel workbook: real .xlsx files built with openpyxl, the same checks as CSV,
refusals for what is not a list of people, the templates, and the invitation it sends."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime, timedelta

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from leaders.auth.models import User
from leaders.cohorts import enrolment, import_template
from leaders.cohorts.models import CohortMember, CohortSession, PendingImport
from leaders.extensions import db as _db
from leaders.timeutil import utcnow
from tests.conftest import sign_in
from tests.helpers import form_token, plan_field, sent_emails, text_of

HEADER = ["name", "email", "organisation", "job title", "cohort role"]
PEOPLE = [
    [
        "Priya Patel",
        "priya.patel@barnsley.gov.uk",
        "Barnsley Council",
        "Head of Housing",
        "learner",
    ],
    ["Jo Reid", "jo.reid@nhs.net", "South Yorkshire ICB", "Director of Strategy", None],
]


@pytest.fixture
def app_overrides(tmp_path):
    return {"MAIL_OUTBOX_DIR": str(tmp_path / "outbox")}


def workbook(*sheets: tuple[str, list[list[object]]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(client, cohort_id, data: bytes, name="people.xlsx"):
    page = client.get(f"/cohorts/{cohort_id}/people/import")
    return client.post(
        f"/cohorts/{cohort_id}/people/import",
        data={"csrf_token": form_token(page), "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _problems(data: bytes) -> list[str]:
    with pytest.raises(enrolment.ImportRejected) as rejected:
        enrolment.parse(data, "people.xlsx")
    return [p.summary for p in rejected.value.problems]


def _nothing_pending(db) -> bool:
    return db.session.scalar(select(func.count()).select_from(PendingImport)) == 0


def test_a_workbook_imports_like_a_csv_and_invites_with_dates_session_and_contact(
    cast, as_user, db, app
):
    session = CohortSession(
        cohort_id=cast.cohort.id,
        title="Workshop 1: Knowing your place",
        # 10am in London in summer time (9am UTC).
        starts_at=datetime(utcnow().year + 1, 6, 4, 9, 0, tzinfo=UTC),
        location="Barnsley Town Hall",
    )
    past = CohortSession(
        cohort_id=cast.cohort.id, title="Taster", starts_at=utcnow() - timedelta(days=3)
    )
    db.session.add_all([session, past])
    db.session.commit()
    client = as_user(cast.manager)
    response = _upload(client, cast.cohort.id, workbook(("People", [HEADER, *PEOPLE])))
    assert response.status_code == 302, text_of(response)
    confirm = client.get(response.headers["Location"])
    assert "The file has 2 people." in text_of(confirm)
    assert "2 new accounts, each emailed an invitation" in text_of(confirm)
    done = client.post(
        response.headers["Location"],
        data={"csrf_token": form_token(confirm), "plan": plan_field(confirm)},
    )
    assert done.status_code == 302
    roles = dict(
        db.session.execute(
            select(User.email, CohortMember.role)
            .join(CohortMember)
            .where(CohortMember.cohort_id == cast.cohort.id)
        ).all()
    )
    assert roles["priya.patel@barnsley.gov.uk"] == "learner"
    assert roles["jo.reid@nhs.net"] == "learner"
    mails = {m["to"]: m for m in sent_emails(app)}
    assert set(mails) == {"priya.patel@barnsley.gov.uk", "jo.reid@nhs.net"}
    text = " ".join(mails["jo.reid@nhs.net"]["text"].split())
    assert "The programme runs from 1 January 2026 to 31 December 2027." in text
    assert (
        f"The first session is Workshop 1: Knowing your place, on 4 June {utcnow().year + 1} "
        "at 10am, at Barnsley Town Hall." in text
    )
    assert f"Contact Tom Manager ({cast.manager.email})." in text
    html = mails["jo.reid@nhs.net"]["html"]
    assert f'href="mailto:{cast.manager.email}"' in html
    assert "Barnsley Town Hall" in html


def test_an_invitation_without_sessions_or_manager_leaves_those_lines_out(cast, app, db):
    from leaders.cohorts import services

    lonely = cast.other_cohort
    _db.session.execute(CohortMember.__table__.delete().where(CohortMember.cohort_id == lonely.id))
    db.session.commit()
    with app.test_request_context():
        services.send_invitations([cast.outsider], lonely)
        _db.session.commit()
    [mail] = sent_emails(app)
    assert "first session" not in mail["text"]
    assert "Contact" not in mail["text"]
    assert "The programme runs from" in mail["text"]


def test_problems_by_row_and_column_formulas_dates_and_numbers(cast, as_user, db):
    rows = [
        HEADER,
        ["Ann Formula", "ann@example.org", "=A1&B1", "Analyst", "learner"],
        ["Bob Date", "bob@example.org", "Barnsley Council", date(2026, 3, 3), "learner"],
        ["Cy Number", "cy@example.org", "Barnsley Council", 1234, "learner"],
        [None, "no-name@example.org", "Barnsley Council", "", "learner"],
        ["Di Bool", "di@example.org", "Barnsley Council", True, "learner"],
    ]
    problems = _problems(workbook(("People", rows)))
    assert problems == [
        "Row 2, column organisation: This cell has a formula (=A1&B1). Replace it with the text "
        "itself: copy the column and paste it back as values",
        "Row 3, column job title: Excel turned this cell into a date (3 March 2026). Format the "
        "column as Text, then type it again",
        "Row 5, column name: Enter the person's full name",
        "Row 6, column job title: Excel stored TRUE here. Type the text in the cell instead",
    ]
    # A whole number is its digits (row 4 was fine): all or nothing, so nothing was kept.
    client = as_user(cast.manager)
    before = db.session.scalar(select(func.count()).select_from(User))
    response = _upload(client, cast.cohort.id, workbook(("People", rows)))
    assert response.status_code == 200
    assert "The file has 4 problems. Nothing has been imported" in text_of(response)
    assert db.session.scalar(select(func.count()).select_from(User)) == before
    assert _nothing_pending(db)


def test_a_number_cell_becomes_text(app):
    rows = [HEADER, ["Cy Number", "cy@example.org", 1999.0, 42, "learner"]]
    [row] = enrolment.parse(workbook(("People", rows)), "people.xlsx")
    assert (row.organisation, row.job_title) == ("1999", "42")


def test_refuses_what_is_not_a_workbook(cast, as_user, db):
    csv_renamed = b"name,email,organisation,job title,cohort role\nA,a@example.org,X,,\n"
    assert "is not an Excel workbook" in _problems(csv_renamed)[0]
    truncated = workbook(("People", [HEADER, *PEOPLE]))[:300]
    assert "is not an Excel workbook" in _problems(truncated)[0]
    not_office = io.BytesIO()
    with zipfile.ZipFile(not_office, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    assert "is not an Excel workbook" in _problems(not_office.getvalue())[0]
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
    assert "old Excel (.xls) workbook or has a password" in _problems(ole)[0]
    client = as_user(cast.manager)
    response = _upload(client, cast.cohort.id, csv_renamed)
    assert response.status_code == 200
    assert "Nothing has been imported" in text_of(response)
    assert _nothing_pending(db)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(app):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", " " * (30 * 1024 * 1024))
    assert len(bomb.getvalue()) < 100_000
    assert "too large to read" in _problems(bomb.getvalue())[0]


def test_people_on_two_sheets_are_refused_but_a_notes_sheet_is_ignored(app):
    two = workbook(("Council", [HEADER, PEOPLE[0]]), ("NHS", [HEADER, PEOPLE[1]]))
    assert _problems(two) == [
        'The workbook has data on 2 sheets ("Council", "NHS"). Put everyone on one sheet and '
        "delete the others, or upload each sheet as its own file"
    ]
    with_notes = workbook(("People", [HEADER, *PEOPLE]), ("Notes", [["anything", "at all"]]))
    assert [r.email for r in enrolment.parse(with_notes, "x.xlsx")] == [
        "priya.patel@barnsley.gov.uk",
        "jo.reid@nhs.net",
    ]
    # An empty second sheet is no problem either.
    assert (
        len(enrolment.parse(workbook(("People", [HEADER, *PEOPLE]), ("Sheet2", [])), "x.xlsx")) == 2
    )
    assert "The workbook is empty" in _problems(workbook(("People", [])))[0]


def test_row_limits(app):
    many = [HEADER] + [
        [f"P {n}", f"p{n}@example.org", "Barnsley Council", "", ""]
        for n in range(enrolment.MAX_ROWS + 1)
    ]
    problems = _problems(workbook(("People", many)))
    assert problems == [
        f"Row {enrolment.MAX_ROWS + 2}: A file can have at most {enrolment.MAX_ROWS} people. "
        "Split it into smaller files"
    ]
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(PEOPLE[0])
    sheet.cell(row=enrolment.MAX_ROWS * 3, column=1, value="far below")
    out = io.BytesIO()
    book.save(out)
    [problem] = _problems(out.getvalue())
    assert "has more than 2,000 rows" in problem


def test_headings_are_checked_as_for_csv(app):
    problems = _problems(workbook(("People", [["name", "email", "org"], PEOPLE[0][:3]])))
    assert 'Row 1, column organisation: Add a column headed "organisation"' in problems
    assert (
        'Row 1, column org: Remove the column "org", or rename it to one of: ' + ", ".join(HEADER)
        in problems
    )


def test_templates_download_and_import_cleanly(cast, as_user, app):
    client = as_user(cast.manager)
    base = f"/cohorts/{cast.cohort.id}/people/import/template"
    csv_response = client.get(base + ".csv")
    assert csv_response.status_code == 200
    assert "attachment" in csv_response.headers["Content-Disposition"]
    lines = csv_response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0] == ",".join(HEADER)
    assert len(lines) == 2
    xlsx_response = client.get(base + ".xlsx")
    assert xlsx_response.status_code == 200
    assert xlsx_response.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(xlsx_response.data))
    assert book.sheetnames == ["People", "Notes"]
    people = [list(r) for r in book["People"].iter_rows(values_only=True)]
    assert people[0] == HEADER
    assert people[1] == list(import_template.EXAMPLE)
    notes = [r[0] for r in book["Notes"].iter_rows(values_only=True) if r[0]]
    assert notes[0] == "Column"
    assert notes[1:] == HEADER
    # The template, filled in as it comes, is a valid import of its one example person.
    [row] = enrolment.parse(xlsx_response.data, "people-to-import.xlsx")
    assert row.email == "priya.patel@barnsley.gov.uk"
    [csv_row] = enrolment.parse(csv_response.data, "people-to-import.csv")
    assert csv_row == row
    # Other cohorts' managers and learners cannot have it from this cohort.
    page = text_of(client.get(f"/cohorts/{cast.cohort.id}/people/import"))
    assert "Excel template (.xlsx)" in page
    assert client.get(base + ".pdf").status_code == 404
    other = app.test_client()
    sign_in(other, cast.other_manager)
    assert other.get(base + ".xlsx").status_code == 403
