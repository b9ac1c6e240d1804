"""A learner's network: record, see and remove ties; privacy; suggestions."""

from sqlalchemy import func, select

from leaders.extensions import db
from leaders.network.models import Tie
from tests.cohorts.conftest import Cast
from tests.conftest import sign_in
from tests.factories import make_user
from tests.helpers import form_token, text_of


def _connect(client, cohort_id, other_id, kind="worked_together", note=""):
    path = f"/network/{cohort_id}/connect/{other_id}"
    page = client.get(path)
    return client.post(path, data={"csrf_token": form_token(page), "kind": kind, "note": note})


def _sign_out(client):
    client.post("/sign-out", data={"csrf_token": form_token(client.get("/home"))})


def test_record_a_tie_both_see_it_either_removes_it(app, client):
    cast = Cast()
    ann, _ben, cat = cast.learners
    sign_in(client, ann)
    found = text_of(client.get(f"/network?cohort={cast.cohort.id}&q=icb"))
    assert "Cat Health, South Yorkshire ICB" in found
    response = _connect(client, cast.cohort.id, cat.id, note="Discharge pilot")
    assert response.status_code == 302
    mine = text_of(client.get("/network"))
    assert "Cat Health" in mine
    assert "We have worked together Discharge pilot" in mine
    assert "1 person 1 sector 0 places" in mine  # the test organisations have no place
    _connect(client, cast.cohort.id, cat.id)  # the same again adds nothing
    assert db.session.scalar(select(func.count()).select_from(Tie)) == 1
    _sign_out(client)

    sign_in(client, cat)
    page = client.get("/network")
    assert "Ann Council" in text_of(page)
    tie = db.session.execute(select(Tie)).scalar_one()
    client.post(f"/network/ties/{tie.id}/remove", data={"csrf_token": form_token(page)})
    assert db.session.scalar(select(func.count()).select_from(Tie)) == 0


def test_others_cannot_see_or_remove_a_tie(app, client):
    cast = Cast()
    ann, ben, cat = cast.learners
    sign_in(client, ann)
    _connect(client, cast.cohort.id, cat.id)
    _sign_out(client)
    sign_in(client, ben)
    page = client.get("/network")
    assert "Cat Health" not in text_of(page).split("People to meet next")[0]
    tie = db.session.execute(select(Tie)).scalar_one()
    assert (
        client.post(
            f"/network/ties/{tie.id}/remove", data={"csrf_token": form_token(page)}
        ).status_code
        == 404
    )
    assert db.session.scalar(select(func.count()).select_from(Tie)) == 1


def test_only_people_in_your_cohort(app, client):
    cast = Cast()
    sign_in(client, cast.learners[0])
    assert client.get(f"/network/{cast.cohort.id}/connect/{cast.outsider.id}").status_code == 404
    assert (
        client.get(f"/network/{cast.other_cohort.id}/connect/{cast.outsider.id}").status_code == 404
    )
    assert client.get(f"/network?cohort={cast.other_cohort.id}").status_code == 404


def test_suggestions_come_from_sectors_you_do_not_reach(app, client):
    cast = Cast()
    sign_in(client, cast.learners[0])  # Ann, local government
    suggestions = text_of(client.get("/network")).split("People to meet next")[1]
    assert "Cat Health" in suggestions  # NHS
    assert "Ben Council" not in suggestions  # same organisation


def test_a_learner_without_a_cohort(app, client):
    sign_in(client, make_user())
    assert "You are not a learner in a cohort yet" in text_of(client.get("/network"))


def test_network_needs_sign_in(client):
    assert client.get("/network").status_code == 302


def test_a_tie_needs_a_kind(app, client):
    cast = Cast()
    sign_in(client, cast.learners[0])
    path = f"/network/{cast.cohort.id}/connect/{cast.learners[2].id}"
    response = client.post(path, data={"csrf_token": form_token(client.get(path)), "kind": ""})
    assert "Choose how you are connected" in text_of(response)
    assert db.session.scalar(select(func.count()).select_from(Tie)) == 0
