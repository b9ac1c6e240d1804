"""One pluralisation helper, and the pages that count things with it (and the home page greeting)."""

from datetime import timedelta

import pytest

from leaders.cohorts.models import Attendance, CohortSession
from leaders.extensions import db
from leaders.filters import plural
from leaders.timeutil import utcnow
from tests.cohorts.conftest import Cast
from tests.conftest import sign_in
from tests.factories import make_user
from tests.helpers import form_token, text_of


@pytest.mark.parametrize(
    ("count", "words", "expected"),
    [
        (0, ("apology", "apologies"), "0 apologies"),
        (1, ("apology", "apologies"), "1 apology"),
        (2, ("apology", "apologies"), "2 apologies"),
        (1, ("new organisation",), "1 new organisation"),
        (3, ("new organisation",), "3 new organisations"),
        (1, ("person", "people"), "1 person"),
        (1200, ("person", "people"), "1,200 people"),
    ],
)
def test_plural(count, words, expected):
    assert plural(count, *words) == expected


def test_plural_word_alone():
    assert plural(1, "learner", number=False) == "learner"
    assert plural(4, "has", "have", number=False) == "have"


def test_templates_have_the_filter(app):
    with app.test_request_context():
        render = app.jinja_env.from_string
        assert render('{{ 1 | plural("day") }}').render() == "1 day"
        assert render('{{ plural(2, "person", "people") }}').render() == "2 people"


def test_sessions_page_counts_one_apology(app, client):
    cast = Cast()
    session = CohortSession(
        cohort_id=cast.cohort.id, title="Workshop 1", starts_at=utcnow() - timedelta(days=1)
    )
    db.session.add(session)
    db.session.flush()
    ann, ben, cat = cast.learners
    for user, status in ((ann, "present"), (ben, "apologies"), (cat, "present")):
        db.session.add(Attendance(session_id=session.id, user_id=user.id, status=status))
    db.session.commit()
    sign_in(client, cast.manager)
    body = text_of(client.get(f"/cohorts/{cast.cohort.id}/sessions"))
    assert "2 present, 1 apology, 0 absent" in body
    assert "1 apologies" not in body
    assert "Change attendance for Workshop 1" in body  # the register is taken


def test_people_page_and_home_count_with_the_helper(app, client):
    cast = Cast()
    sign_in(client, cast.manager)
    people = text_of(client.get(f"/cohorts/{cast.cohort.id}/people"))
    assert "6 people" in people  # manager, facilitator, lead and three learners
    assert "3 learners · programme manager" in text_of(client.get("/home"))


def test_welcome_back_only_after_an_earlier_sign_in(app, client):
    user = make_user(name="Fiona First")
    assert sign_in(client, user).status_code == 302
    first = text_of(client.get("/home"))
    assert "Welcome, Fiona First" in first
    assert "Welcome back" not in first
    client.post("/sign-out", data={"csrf_token": form_token(client.get("/home"))})
    assert sign_in(client, user).status_code == 302
    assert "Welcome back, Fiona First" in text_of(client.get("/home"))
