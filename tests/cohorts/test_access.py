"""Every cohort route, for every kind of user: who gets in, who gets 403, who is sent to sign in."""

import pytest

from tests.helpers import text_of

PAGES = [
    "/cohorts/{id}",
    "/cohorts/{id}/people",
    "/cohorts/{id}/sessions",
    "/cohorts/{id}/learners/{learner}",
]
MANAGER_PAGES = [
    "/cohorts/{id}/edit",
    "/cohorts/{id}/schedule",
    "/cohorts/{id}/people/invite",
    "/cohorts/{id}/people/import",
    "/cohorts/{id}/sessions/new",
    "/cohorts/{id}/export/progress.csv",
    "/cohorts/{id}/export/learners.xlsx",
]


def _paths(cast, paths):
    return [p.format(id=cast.cohort.id, learner=cast.learners[0].id) for p in paths]


@pytest.mark.parametrize("who", ["manager", "admin"])
def test_managers_and_admins_reach_everything(cast, as_user, who):
    client = as_user(getattr(cast, who))
    for path in _paths(cast, PAGES + MANAGER_PAGES):
        assert client.get(path).status_code == 200, path


def test_facilitators_see_but_do_not_manage(cast, as_user):
    client = as_user(cast.facilitator)
    for path in _paths(cast, PAGES):
        assert client.get(path).status_code == 200, path
    for path in _paths(cast, MANAGER_PAGES):
        assert client.get(path).status_code == 403, path


@pytest.mark.parametrize("who", ["other_manager", "outsider"])
def test_people_from_other_cohorts_get_403(cast, as_user, who):
    client = as_user(getattr(cast, who))
    for path in _paths(cast, PAGES + MANAGER_PAGES):
        assert client.get(path).status_code == 403, path


def test_learners_get_403(cast, as_user):
    client = as_user(cast.learners[0])
    for path in _paths(cast, PAGES + MANAGER_PAGES):
        assert client.get(path).status_code == 403, path
    assert client.get("/cohorts/new").status_code == 403


def test_anonymous_are_sent_to_sign_in(cast, client):
    for path in _paths(cast, PAGES + MANAGER_PAGES):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/sign-in")


def test_organisation_lead_sees_only_their_own_staff(cast, as_user):
    client = as_user(cast.lead)
    board = text_of(client.get(f"/cohorts/{cast.cohort.id}"))
    assert "Ann Council" in board
    assert "Ben Council" in board
    assert "Cat Health" not in board
    assert (
        client.get(f"/cohorts/{cast.cohort.id}/learners/{cast.learners[2].id}").status_code == 404
    )
    assert (
        client.get(f"/cohorts/{cast.cohort.id}/learners/{cast.learners[0].id}").status_code == 200
    )
    for path in _paths(cast, MANAGER_PAGES):
        if "/export/" in path:
            # Their own staff's progress (issue 14 point 10): tests/oversight/test_dashboard_tables.py.
            response = client.get(path)
            assert response.status_code == 200, path
            if path.endswith(".csv"):
                assert "Cat Health" not in response.get_data(as_text=True)
        else:
            assert client.get(path).status_code == 403, path


def test_cohort_list_shows_only_your_cohorts(cast, as_user):
    body = text_of(as_user(cast.manager).get("/cohorts"))
    assert "South Yorkshire 2027" in body
    assert "Kent 2027" not in body


def test_unknown_cohort_is_404(cast, as_user):
    assert as_user(cast.admin).get("/cohorts/9999").status_code == 404
