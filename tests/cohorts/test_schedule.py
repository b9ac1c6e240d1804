"""The release schedule: learners see modules as it opens them; managers set it."""

from datetime import date, timedelta

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


def test_manager_sets_the_schedule(cast, as_user):
    client = as_user(cast.manager)
    path = f"/cohorts/{cast.cohort.id}/schedule"
    token = form_token(client.get(path))
    response = client.post(
        path,
        data={
            "csrf_token": token,
            "m2-opens-day": "1",
            "m2-opens-month": "3",
            "m2-opens-year": "2027",
            "m2-due-day": "31",
            "m2-due-month": "3",
            "m2-due-year": "2027",
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
            "m1-opens-day": "31",
            "m1-opens-month": "2",
            "m1-opens-year": "2027",
            "m2-opens-day": "10",
            "m2-opens-month": "3",
            "m2-opens-year": "2027",
            "m2-due-day": "1",
            "m2-due-month": "3",
            "m2-due-year": "2027",
        },
    )
    body = text_of(response)
    assert "There is a problem" in body
    assert "First steps: opening date must be a real date, like 27 3 2027" in body
    assert "Going further: due date must be on or after the opening date" in body
    assert db.session.query(CohortModule).count() == 0
