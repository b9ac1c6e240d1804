"""Every form's text fields: a line break or a control character in a single-line field, or a control
character in a multi-line one, is refused with the field's error and nothing is stored; good text is
stored normalised (NFC, trimmed, CRLF as LF)."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import PasswordField, StringField, TextAreaField

import leaders
from leaders import text
from leaders.auth.models import Role, User
from leaders.cohorts.models import Cohort, CohortSession
from leaders.extensions import db
from leaders.forms import Form
from leaders.learning.models import JournalEntry
from leaders.network.models import Tie
from leaders.organisations.models import Organisation
from tests.cohorts.conftest import Cast
from tests.conftest import sign_in
from tests.factories import make_user
from tests.helpers import form_token, text_of

LINE_BREAKS = ["Ann\nJones", "Ann\r\nJones", "Ann\rJones"]
CONTROL = "Ann\x00Jones"
CONTROL_ERROR = "Remove the hidden control character from"


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _post(client, path, data):
    return client.post(path, data={"csrf_token": form_token(client.get(path)), **data})


def _refused(response, message, model, before):
    body = text_of(response)
    assert response.status_code == 200
    assert "There is a problem" in body
    assert body.count(message) == 2, body  # in the error summary and by the field
    assert _count(model) == before


# The mechanism: every form, every text field ------------------------------------------------------


def _all_form_classes() -> list[type]:
    for module in pkgutil.walk_packages(leaders.__path__, "leaders."):
        if module.name.endswith("forms"):
            importlib.import_module(module.name)
    found, todo = [], [FlaskForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.append(sub)
            todo.append(sub)
    return [f for f in found if f.__module__.startswith("leaders.")]


def test_every_form_in_the_app_checks_its_text_fields(app):
    forms = _all_form_classes()
    assert len(forms) >= 10
    checked = 0
    with app.test_request_context():
        for form_class in forms:
            assert issubclass(form_class, Form), (
                f"{form_class.__name__} must extend leaders.forms.Form"
            )
            form = form_class(meta={"csrf": False})
            for field in form:
                first = field.filters[0] if field.filters else None
                check = getattr(first, "check", None)
                if isinstance(field, PasswordField):
                    assert check is None, field.name
                elif isinstance(field, TextAreaField):
                    assert check is text.multi_line, (form_class.__name__, field.name)
                    checked += 1
                elif isinstance(field, StringField) and isinstance(field.data, str | None):
                    assert check is text.single_line, (form_class.__name__, field.name)
                    checked += 1
    assert checked >= 10


# Each form ----------------------------------------------------------------------------------------


@pytest.fixture
def cast(app) -> Cast:
    return Cast()


def _cohort_data(name):
    return {
        "course": "sample-course",
        "name": name,
        "starts_on": ["1", "9", "2027"],
        "ends_on": ["1", "8", "2028"],
    }


@pytest.mark.parametrize("name", LINE_BREAKS)
def test_a_cohort_name_with_a_line_break_is_refused(cast, client, name):
    sign_in(client, cast.manager)
    before = _count(Cohort)
    response = _post(client, "/cohorts/new", _cohort_data(name))
    _refused(response, "Remove the line break from the cohort name", Cohort, before)


def test_a_cohort_name_with_nul_is_refused_and_a_good_one_is_stored_as_nfc(cast, client):
    sign_in(client, cast.manager)
    before = _count(Cohort)
    _refused(_post(client, "/cohorts/new", _cohort_data(CONTROL)), CONTROL_ERROR, Cohort, before)
    good = _post(client, "/cohorts/new", _cohort_data(" Ysgol Llanfair w\u0302\ty\u0302 "))
    assert good.status_code == 302
    assert db.session.scalar(select(Cohort.name).order_by(Cohort.id.desc()).limit(1)) == (
        "Ysgol Llanfair ŵ ŷ"
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "New\r\nBcc: evil@example.org", "Remove the line break from the full name"),
        ("name", CONTROL, CONTROL_ERROR + " the full name"),
        ("job_title", "Head of\nPolicy", "Remove the line break from the job title"),
        (
            "email",
            "new@example.org\r\nBcc: evil@example.org",
            "Remove the line break from the email",
        ),
    ],
)
def test_an_invitation_with_a_line_break_or_nul_is_refused(cast, client, field, value, message):
    sign_in(client, cast.manager)
    data = {
        "name": "New Person",
        "email": "new.person@example.org",
        "job_title": "Head of Policy",
        "organisation": str(cast.council.id),
        "role": "learner",
    } | {field: value}
    before = _count(User)
    response = _post(client, f"/cohorts/{cast.cohort.id}/people/invite", data)
    _refused(response, message, User, before)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "Workshop\n2", "Remove the line break from the title"),
        ("location", "Room\r1", "Remove the line break from the place"),
        ("location", "Room\x001", CONTROL_ERROR + " the place"),
    ],
)
def test_a_session_with_a_line_break_or_nul_is_refused(cast, client, field, value, message):
    sign_in(client, cast.manager)
    data = {
        "title": "Workshop 2",
        "kind": "workshop",
        "day": ["3", "3", "2027"],
        "start_time": "09:30",
        "end_time": "12:00",
        "location": "Town hall",
    } | {field: value}
    before = _count(CohortSession)
    response = _post(client, f"/cohorts/{cast.cohort.id}/sessions/new", data)
    _refused(response, message, CohortSession, before)


def test_a_tie_note_keeps_its_lines_but_not_a_control_character(cast, client):
    ann, _ben, cat = cast.learners
    sign_in(client, ann)
    path = f"/network/{cast.cohort.id}/connect/{cat.id}"
    response = _post(client, path, {"kind": "worked_together", "note": "Discharge\x00 pilot"})
    _refused(response, CONTROL_ERROR + " the note", Tie, 0)
    good = _post(client, path, {"kind": "worked_together", "note": "Discharge\r\npilot  \r\n"})
    assert good.status_code == 302
    assert db.session.scalar(select(Tie.note)) == "Discharge\npilot"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Kent County\nCouncil", "Remove the line break from the name"),
        ("Kent County\x00Council", CONTROL_ERROR + " the name"),
    ],
)
def test_an_organisation_name_with_a_line_break_or_nul_is_refused(app, client, name, message):
    sign_in(client, make_user(role=Role.ADMIN))
    data = {"name": name, "sector": "local_government", "place_code": ""}
    before = _count(Organisation)
    response = _post(client, "/admin/organisations/new", data)
    _refused(response, message, Organisation, before)


MAPPING = "/courses/sample-course/going-further/mapping-your-place"
PROMPT = "who-is-missing"


def test_a_reflection_with_nul_is_refused_and_crlf_is_stored_as_lf(learner_client):
    def write(body):
        page = learner_client.get(MAPPING)
        return learner_client.post(
            f"{MAPPING}/journal/{PROMPT}",
            data={
                f"app-{PROMPT}-csrf_token": form_token(page),
                f"app-{PROMPT}-body": body,
                f"app-{PROMPT}-visibility": "private",
            },
        )

    response = write("The fire service\x00 is missing.")
    assert response.status_code == 200
    body = text_of(response)
    assert body.count(CONTROL_ERROR + " your reflection.") == 2  # the label is "Your reflection"
    assert "The fire service\ufffd is missing." in body  # shown back, the hidden character marked
    assert _count(JournalEntry) == 0
    assert write("First line\r\n\r\n- a list\r\n").status_code == 302
    assert db.session.scalar(select(JournalEntry.body)) == "First line\n\n- a list"


def test_an_email_with_a_line_break_is_refused_at_sign_in(app, client):
    page = client.get("/sign-in")
    response = client.post(
        "/sign-in",
        data={
            "email": "someone@example.org\nX",
            "password": "x",
            "csrf_token": form_token(page),
        },
    )
    assert response.status_code == 200
    assert "Remove the line break from the email address" in text_of(response)
