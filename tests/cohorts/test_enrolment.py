"""Enrolment from a CSV: every problem by row and column; all or nothing; re-import changes nothing."""

import io
import json
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from leaders.auth.models import User
from leaders.cohorts import enrolment
from leaders.cohorts.models import CohortMember, PendingImport
from leaders.organisations.models import Organisation
from tests.helpers import form_token, text_of

GOOD = (
    "name,email,organisation,job title,cohort role\n"
    "Priya Patel,priya.patel@barnsley.gov.uk,Barnsley Council,Head of Housing,learner\n"
    "Mark Evans,mark.evans@syfire.gov.uk,South Yorkshire Fire and Rescue,Station Manager,Learner\n"
    "Jo Reid,jo.reid@nhs.net,south yorkshire icb,Director of Strategy,\n"
    "Sam Lowe,sam.lowe@barnsley.ac.uk,Barnsley College,Vice Principal,facilitator\n"
)
BROKEN = (
    "name,email,organisation,job title,cohort role\n"
    ",no-name@example.org,Barnsley Council,Analyst,learner\n"
    "Bad Email,not-an-email,Barnsley Council,Analyst,learner\n"
    "Dup One,dup@example.org,Barnsley Council,,learner\n"
    "Dup Two,DUP@example.org,Barnsley Council,,learner\n"
    "No Org,no.org@example.org,,,learner\n"
    "Bad Role,bad.role@example.org,Barnsley Council,,captain\n"
)


@pytest.fixture
def app_overrides(tmp_path):
    return {"MAIL_OUTBOX_DIR": str(tmp_path / "outbox")}


def _upload(client, cohort_id, text, name="people.csv"):
    page = client.get(f"/cohorts/{cohort_id}/people/import")
    return client.post(
        f"/cohorts/{cohort_id}/people/import",
        data={"csrf_token": form_token(page), "file": (io.BytesIO(text.encode()), name)},
        content_type="multipart/form-data",
    )


def _plan_field(page) -> str:
    """The counts the confirmation page showed, which the form sends back."""
    match = re.search(r'name="plan" value="([^"]+)"', page.get_data(as_text=True))
    assert match, "the confirmation form has no plan field"
    return match.group(1)


def _confirm(client, location, **sectors):
    page = client.get(location)
    return client.post(
        location, data={"csrf_token": form_token(page), "plan": _plan_field(page), **sectors}
    )


def _counts(db):
    return (
        db.session.scalar(select(func.count()).select_from(User)),
        db.session.scalar(select(func.count()).select_from(CohortMember)),
        db.session.scalar(select(func.count()).select_from(Organisation)),
    )


def test_every_problem_is_listed_with_row_and_column_and_nothing_changes(cast, as_user, db):
    client = as_user(cast.manager)
    before = _counts(db)
    response = _upload(client, cast.cohort.id, BROKEN)
    assert response.status_code == 200
    body = text_of(response)
    assert "The file has 5 problems. Nothing has been imported" in body
    for row, column, message in [
        (2, "name", "Enter the person's full name"),
        (3, "email", '"not-an-email" is not an email address'),
        (5, "email", "This email address is already on row 4"),
        (6, "organisation", "Enter the organisation the person works for"),
        (
            7,
            "cohort role",
            '"captain" is not a cohort role. Use learner, facilitator, programme manager or organisation lead',
        ),
    ]:
        assert f"{row} {column} {message}" in body
    assert _counts(db) == before
    assert db.session.scalar(select(func.count()).select_from(PendingImport)) == 0


def test_valid_file_then_confirm_creates_organisations_and_invites(cast, as_user, db, app):
    client = as_user(cast.manager)
    response = _upload(client, cast.cohort.id, GOOD)
    assert response.status_code == 302
    confirm = client.get(response.headers["Location"])
    body = text_of(confirm)
    assert "add 4 people" in body
    assert "create 2 new organisations" in body  # the ICB is known, whatever its case
    assert "South Yorkshire Fire and Rescue" in body
    assert "Barnsley College" in body

    # Confirming without sectors is refused and changes nothing.
    before = _counts(db)
    refused = _confirm(client, response.headers["Location"])
    assert refused.status_code == 200
    assert 'Choose a sector for "South Yorkshire Fire and Rescue"' in text_of(refused)
    assert _counts(db) == before

    done = _confirm(
        client,
        response.headers["Location"],
        **{"sector-1": "fire_and_rescue", "sector-2": "education"},
    )
    assert done.status_code == 302
    after = _counts(db)
    assert after == (before[0] + 4, before[1] + 4, before[2] + 2)
    jo = db.session.execute(select(User).where(User.email == "jo.reid@nhs.net")).scalar_one()
    assert jo.organisation_id == cast.trust.id
    roles = dict(db.session.execute(select(User.email, CohortMember.role).join(CohortMember)).all())
    assert roles["sam.lowe@barnsley.ac.uk"] == "facilitator"
    sent = [json.loads(p.read_text()) for p in Path(app.config["MAIL_OUTBOX_DIR"]).glob("*.json")]
    assert sorted(m["to"] for m in sent) == sorted(
        [
            "priya.patel@barnsley.gov.uk",
            "mark.evans@syfire.gov.uk",
            "jo.reid@nhs.net",
            "sam.lowe@barnsley.ac.uk",
        ]
    )
    assert all(m["text"] and "/invitation/" in m["text"] for m in sent)

    # The same file again changes nothing.
    again = _upload(client, cast.cohort.id, GOOD)
    preview = text_of(client.get(again.headers["Location"]))
    assert "add 0 people to South Yorkshire 2027" in preview
    assert "leave 4 people as they are: already in the cohort with that role" in preview
    _confirm(client, again.headers["Location"])
    assert _counts(db) == after


def test_a_used_or_foreign_pending_import_is_refused(cast, as_user, db):
    client = as_user(cast.manager)
    location = _upload(client, cast.cohort.id, GOOD).headers["Location"]
    other_cohort_location = location.replace(
        f"/cohorts/{cast.cohort.id}/", f"/cohorts/{cast.other_cohort.id}/"
    )
    assert client.get(other_cohort_location).status_code == 403
    _confirm(client, location, **{"sector-1": "fire_and_rescue", "sector-2": "education"})
    response = client.get(location)
    assert response.status_code == 302  # gone: back to the upload page


def test_upload_needs_a_csv_file(cast, as_user):
    client = as_user(cast.manager)
    response = _upload(client, cast.cohort.id, GOOD, name="people.xlsx")
    assert "The file must be a CSV file" in text_of(response)


def test_oversized_upload_is_refused(cast, as_user, app):
    client = as_user(cast.manager)
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = _upload(client, cast.cohort.id, GOOD + "x" * 2000)
    assert response.status_code == 413
    assert "The file is too large" in text_of(response)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty"),
        (b"name,email\nA,a@example.org\n", 'Add a column headed "organisation"'),
        (
            b"name,email,organisation,job title,cohort role,shoe size\n",
            'Remove the column "shoe size"',
        ),
        (b"name,email,organisation,job title,cohort role\n", "The file has no people in it"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "The file is not a CSV file"),
    ],
)
def test_whole_file_problems(data, message):
    with pytest.raises(enrolment.ImportRejected) as rejected:
        enrolment.parse(data)
    assert any(message in p.message for p in rejected.value.problems)


def test_excel_bom_and_header_case_are_fine():
    rows = enrolment.parse(
        (
            "\ufeffName,EMAIL,Organisation,Job Title,Cohort_Role\n"
            "A B,a@example.org,X,,Organisation lead\n"
        ).encode()
    )
    assert rows[0].role == "organisation_lead"
    assert rows[0].email == "a@example.org"
