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
from tests.helpers import form_token, plan_field, text_of

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


def _confirm(client, location, **sectors):
    """Confirm as the page would: sector-1 is the first new organisation's sector, and so on."""
    page = client.get(location)
    html = page.get_data(as_text=True)
    keys = dict(re.findall(r'name="(organisations-\d+-key)"[^>]*value="([^"]*)"', html))
    chosen = {
        f"organisations-{int(name.split('-')[1]) - 1}-sector": value
        for name, value in sectors.items()
    }
    return client.post(
        location,
        data={"csrf_token": form_token(page), "plan": plan_field(page), **keys, **chosen},
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


def test_upload_needs_a_csv_or_excel_file(cast, as_user):
    client = as_user(cast.manager)
    response = _upload(client, cast.cohort.id, GOOD, name="people.txt")
    assert "The file must be an Excel workbook (.xlsx) or a CSV file" in text_of(response)
    old = _upload(client, cast.cohort.id, GOOD, name="people.xls")
    assert "old Excel (.xls) workbook" in text_of(old)


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


# Rows that used to slip through -----------------------------------------------------------------

HEADER = "name,email,organisation,job title,cohort role\n"


@pytest.mark.parametrize(
    ("data", "row", "column", "message"),
    [
        (
            "name,email,organisation,email,job title,cohort role\n",
            1,
            "email",
            'The column "email" appears 2 times. Keep one column headed "email" and remove the others',
        ),
        (
            HEADER + '"Ann\nSmith",ann@example.org,Barnsley Council,,learner\n',
            2,
            "name",
            "The name has a line break in it. Remove the line break so it is on one line",
        ),
        (
            HEADER + 'Ann Smith,ann@example.org,"Barnsley\r\nCouncil",,learner\n',
            2,
            "organisation",
            "The organisation has a line break in it",
        ),
        (
            HEADER + "Ann\x07 Smith,ann@example.org,Barnsley Council,,learner\n",
            2,
            "name",
            "The name contains a hidden control character (U+0007). Remove it",
        ),
        (
            HEADER + "Ann Smith,ann@example.org,Barnsley Council,Head\u202eof,learner\n",
            2,
            "job title",
            "The job title contains a hidden control character (U+202E)",
        ),
        (
            HEADER
            + "Éva Kovács,éva@example.org,Barnsley Council,,learner\n"
            + "Eva Again,ÉVA@example.org,Barnsley Council,,learner\n",
            3,
            "email",
            "This email address is already on row 2. List each person once",
        ),
    ],
)
def test_bad_rows_are_row_and_column_errors(data, row, column, message):
    with pytest.raises(enrolment.ImportRejected) as rejected:
        enrolment.parse(data.encode())
    problems = rejected.value.problems
    assert [(p.row, p.column) for p in problems] == [(row, column)]
    assert message in problems[0].message
    assert problems[0].summary.startswith(f"Row {row}, column {column}: ")


def test_a_bad_row_writes_nothing_and_the_page_says_where(cast, as_user, db):
    client = as_user(cast.manager)
    before = _counts(db)
    response = _upload(
        client,
        cast.cohort.id,
        HEADER
        + "Priya Patel,priya.patel@barnsley.gov.uk,Barnsley Council,,learner\n"
        + '"Ann\nSmith",ann@example.org,Barnsley Council,,learner\n',
    )
    assert response.status_code == 200
    body = text_of(response)
    assert "The file has 1 problem. Nothing has been imported" in body
    assert "Row 3, column name: The name has a line break in it. Remove the line break" in body
    assert _counts(db) == before
    assert db.session.scalar(select(func.count()).select_from(PendingImport)) == 0


def test_an_address_differing_only_in_non_ascii_case_is_the_same_person(cast, as_user, db):
    from tests.factories import make_user

    eva = make_user(name="Éva Kovács", email="éva@example.org", organisation_id=cast.council.id)
    client = as_user(cast.manager)
    before = _counts(db)
    location = _upload(
        client, cast.cohort.id, HEADER + "Eva K,ÉVA@example.org,Barnsley Council,,learner\n"
    ).headers["Location"]
    preview = text_of(client.get(location))
    assert "add 1 person to South Yorkshire 2027: 0 new accounts" in preview
    assert _confirm(client, location).status_code == 302
    users, members, orgs = _counts(db)
    assert (users, members, orgs) == (before[0], before[1] + 1, before[2])  # no second account
    assert (
        db.session.scalar(select(CohortMember.role).where(CohortMember.user_id == eva.id))
        == "learner"
    )
    # Signing in with either spelling finds the one account.
    from leaders.auth.services import find_by_email

    assert find_by_email("ÉVA@EXAMPLE.ORG").id == eva.id


def test_the_preview_says_exactly_what_confirming_does(cast, as_user, db, app):
    """Preview, then confirm, then compare: including people already enrolled, and a role change."""
    ann, ben, _cat = cast.learners
    ann.password_hash = None  # invited once, never set a password
    db.session.commit()
    client = as_user(cast.manager)
    from tests.factories import make_user

    outsider = make_user(name="Ola Outside", organisation_id=cast.trust.id, password=None)
    data = (
        HEADER
        + f"Ann Council,{ann.email.upper()},Barnsley Council,,learner\n"  # already in, same role
        + f"Ben Council,{ben.email},Barnsley Council,,facilitator\n"  # already in: role changes
        + f"Ola Outside,{outsider.email},South Yorkshire ICB,,learner\n"  # account, not in cohort
        + "Nell New,nell.new@example.org,New Body,,learner\n"  # nobody yet
    )
    location = _upload(client, cast.cohort.id, data).headers["Location"]
    preview = text_of(client.get(location))
    assert (
        "add 2 people to South Yorkshire 2027: 1 new account, each emailed an invitation, and "
        "1 person who already has an account (their details stay as they are; 1 of them has not "
        "set a password yet and is sent an invitation)"
    ) in preview
    assert "change the cohort role of 1 person already in the cohort" in preview
    assert "leave 1 person as they are: already in the cohort with that role" in preview
    assert "create 1 new organisation" in preview

    before = _counts(db)
    done = _confirm(client, location, **{"sector-1": "voluntary_and_community"})
    assert done.status_code == 302
    after = _counts(db)
    assert after == (before[0] + 1, before[1] + 2, before[2] + 1)
    flash = text_of(client.get(f"/cohorts/{cast.cohort.id}/people"))
    assert (
        "Imported: 2 people added, 1 with a new role, 1 new organisation. 2 invitations queued: Emails shows when each is sent."
        in flash
    )
    sent = sorted(
        json.loads(p.read_text())["to"] for p in Path(app.config["MAIL_OUTBOX_DIR"]).glob("*.json")
    )
    assert sent == sorted([outsider.email, "nell.new@example.org"])


def test_confirming_a_plan_that_changed_since_the_preview_imports_nothing(cast, as_user, db):
    client = as_user(cast.manager)
    location = _upload(
        client, cast.cohort.id, HEADER + "Nell New,nell.new@example.org,Barnsley Council,,\n"
    ).headers["Location"]
    page = client.get(location)
    shown = plan_field(page)
    # Meanwhile, someone else invites Nell.
    from tests.factories import enrol, make_user

    enrol(cast.cohort, make_user(name="Nell New", email="nell.new@example.org"))
    before = _counts(db)
    response = client.post(location, data={"csrf_token": form_token(page), "plan": shown})
    assert response.status_code == 200
    body = text_of(response)
    assert "Nothing has been imported: the cohort changed since you checked this file" in body
    assert "leave 1 person as they are" in body
    assert _counts(db) == before


def test_a_sector_not_offered_is_an_error_on_its_field_and_imports_nothing(cast, as_user, db):
    client = as_user(cast.manager)
    location = _upload(client, cast.cohort.id, GOOD).headers["Location"]
    before = _counts(db)
    refused = _confirm(client, location, **{"sector-1": "pirates", "sector-2": "education"})
    assert refused.status_code == 200
    html = refused.get_data(as_text=True)
    assert 'Choose a sector for "South Yorkshire Fire and Rescue"' in text_of(refused)
    assert 'href="#organisations-0-sector"' in html  # the summary links to the field
    assert 'id="organisations-0-sector-error"' in html  # and the field shows the error
    assert 'id="organisations-1-sector-error"' not in html  # the good choice is kept
    assert '<option value="education" selected>' in html
    assert _counts(db) == before
