"""The release schedule: learners see modules as it opens them; managers set it."""

from datetime import date, timedelta

import html5lib

from leaders.cohorts.models import CohortModule
from leaders.extensions import db
from leaders.learning.models import LessonProgress
from leaders.timeutil import uk_today
from tests.helpers import form_token, text_of

LATER = "/courses/sample-course/going-further/mapping-your-place"


def _close_going_further(cohort, opens=None):
    opens = opens or uk_today() + timedelta(days=30)
    db.session.add(
        CohortModule(cohort_id=cohort.id, module_key="sample-course/going-further", opens_on=opens)
    )
    db.session.commit()
    return opens


def test_a_closed_module_cannot_be_opened_and_records_nothing(cast, as_user):
    opens = _close_going_further(cast.cohort)
    client = as_user(cast.learners[0])
    response = client.get(LATER)
    assert response.status_code == 403
    body = text_of(response)
    assert "This module is not open yet" in body
    assert f"{opens.day} {opens:%B %Y}" in body
    assert db.session.query(LessonProgress).count() == 0
    course = text_of(client.get("/courses/sample-course"))
    assert f"Opens {opens.day} {opens:%B %Y}" in course
    # Writes are refused too.
    page = client.get("/courses/sample-course/first-steps/welcome")
    assert (
        client.post(f"{LATER}/complete", data={"csrf_token": form_token(page)}).status_code == 403
    )


def test_an_opened_module_can_be_read(cast, as_user):
    _close_going_further(cast.cohort, opens=uk_today())
    assert as_user(cast.learners[0]).get(LATER).status_code == 200


def test_managers_preview_every_module(cast, as_user):
    _close_going_further(cast.cohort)
    assert as_user(cast.manager).get(LATER).status_code == 200


def test_learners_outside_any_cohort_of_the_course_get_403(app, as_user):
    from tests.factories import make_user

    client = as_user(make_user())
    assert client.get("/courses/sample-course").status_code == 403
    assert client.get("/courses/sample-course/first-steps/welcome").status_code == 403
    assert "no courses for you yet" in text_of(client.get("/courses"))


def parse(response):
    return html5lib.parse(response.get_data(as_text=True), namespaceHTMLElements=False)


def _keys():
    """The hidden field on each row that says which module it is."""
    return {
        "modules-0-key": "sample-course/first-steps",
        "modules-1-key": "sample-course/going-further",
    }


def test_manager_sets_the_schedule(cast, as_user):
    client = as_user(cast.manager)
    path = f"/cohorts/{cast.cohort.id}/schedule"
    token = form_token(client.get(path))
    response = client.post(
        path,
        data={
            "csrf_token": token,
            **_keys(),
            "modules-1-opens": ["1", "3", "2027"],
            "modules-1-due": ["31", "3", "2027"],
        },
    )
    assert response.status_code == 302
    row = db.session.query(CohortModule).one()
    assert (row.module_key, row.opens_on, row.due_on) == (
        "sample-course/going-further",
        date(2027, 3, 1),
        date(2027, 3, 31),
    )


def test_bad_schedule_dates_are_explained_and_nothing_changes(cast, as_user):
    client = as_user(cast.manager)
    path = f"/cohorts/{cast.cohort.id}/schedule"
    token = form_token(client.get(path))
    response = client.post(
        path,
        data={
            "csrf_token": token,
            **_keys(),
            "modules-0-opens": ["31", "2", "2027"],
            "modules-1-opens": ["10", "3", "2027"],
            "modules-1-due": ["1", "3", "2027"],
        },
    )
    body = text_of(response)
    assert "There is a problem" in body
    assert "First steps: opening date must be a real date, like 27 3 2027" in body
    assert "Going further: due date must be on or after the opening date" in body
    assert db.session.query(CohortModule).count() == 0
    page = parse(response)
    # Each error is in the summary, linked to the day box of its date, and next to its field.
    links = {
        a.text.strip(): a.get("href")
        for a in page.findall(".//div[@class='govuk-error-summary']//a")
    }
    assert links == {
        "First steps: opening date must be a real date, like 27 3 2027": "#modules-0-opens-day",
        "Going further: due date must be on or after the opening date": "#modules-1-due-day",
    }
    messages = [
        " ".join("".join(m.itertext()).split())
        for m in page.iter("p")
        if "govuk-error-message" in (m.get("class") or "")
    ]
    assert messages == [
        "Error: First steps: opening date must be a real date, like 27 3 2027",
        "Error: Going further: due date must be on or after the opening date",
    ]
    # What was typed is shown back, box by box.
    assert page.find(".//input[@id='modules-0-opens-day']").get("value") == "31"
    assert page.find(".//input[@id='modules-1-due-month']").get("value") == "3"


def test_a_schedule_from_an_out_of_date_page_changes_nothing(cast, as_user):
    client = as_user(cast.manager)
    path = f"/cohorts/{cast.cohort.id}/schedule"
    token = form_token(client.get(path))
    response = client.post(
        path,
        data={
            "csrf_token": token,
            "modules-0-key": "sample-course/going-further",
            "modules-1-key": "sample-course/first-steps",
            "modules-0-opens": ["1", "3", "2027"],
        },
    )
    assert "The page is out of date: load it again and start over" in text_of(response)
    assert db.session.query(CohortModule).count() == 0
