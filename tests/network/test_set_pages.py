"""Facilitators see the sets they run; learners see their own set; nobody else's."""

from __future__ import annotations

from sqlalchemy import delete

from leaders.cohorts.models import CohortMember, LearningSet, LearningSetMember
from leaders.extensions import db
from leaders.network.set_members import facilitated_sets, learning_set_for
from tests.conftest import sign_in
from tests.factories import Cast, enrol, make_user
from tests.helpers import text_of


def _with_sets():
    cast = Cast()
    ann, ben, cat = cast.learners
    ann.job_title, cat.job_title = "Head of Housing", "Clinical Lead"
    rivers = LearningSet(
        cohort_id=cast.cohort.id, name="Rivers", facilitator_id=cast.facilitator.id
    )
    hills = LearningSet(cohort_id=cast.cohort.id, name="Hills")
    db.session.add_all([rivers, hills])
    db.session.flush()
    for learning_set, person in ((rivers, ann), (rivers, cat), (hills, ben)):
        db.session.add(
            LearningSetMember(cohort_id=cast.cohort.id, set_id=learning_set.id, user_id=person.id)
        )
    db.session.commit()
    return cast, rivers, hills


def _client(app, user):
    client = app.test_client()
    assert sign_in(client, user).status_code == 302
    return client


def test_a_facilitator_sees_the_sets_they_run(app):
    cast, _rivers, _ = _with_sets()
    page = text_of(_client(app, cast.facilitator).get("/learning-sets"))
    assert "Your learning sets" in page
    assert "Rivers" in page
    assert "Ann Council Barnsley Council Head of Housing" in page
    assert "Cat Health South Yorkshire ICB Clinical Lead" in page
    assert "Hills" not in page
    assert "Ben Council" not in page
    assert "See the cohort's sessions" in page


def test_a_facilitator_of_another_cohort_sees_none_of_them(app):
    cast, rivers, _ = _with_sets()
    other = make_user(name="Olive Other")
    enrol(cast.other_cohort, other, "facilitator")
    # Even named as the set's facilitator (an old row), they do not run cohort A's sets.
    rivers.facilitator_id = other.id
    db.session.commit()
    client = _client(app, other)
    page = text_of(client.get("/learning-sets"))
    assert "Rivers" not in page
    assert "Ann Council" not in page
    assert "You are not facilitating any learning sets" in page
    assert client.get(f"/cohorts/{cast.cohort.id}/sets").status_code == 403
    assert facilitated_sets(other.id) == []


def test_a_facilitator_who_leaves_the_cohort_no_longer_sees_its_set(app):
    cast, _, _ = _with_sets()
    assert [s.name for s in facilitated_sets(cast.facilitator.id)] == ["Rivers"]
    db.session.execute(
        delete(CohortMember).where(
            CohortMember.user_id == cast.facilitator.id, CohortMember.cohort_id == cast.cohort.id
        )
    )
    db.session.commit()
    assert facilitated_sets(cast.facilitator.id) == []


def test_a_learner_sees_their_own_set(app):
    cast, _rivers, _ = _with_sets()
    ann = cast.learners[0]
    mine = learning_set_for(ann.id, cast.cohort.id)
    assert mine is not None
    assert mine.name == "Rivers"
    assert [(m.name, m.organisation, m.job_title) for m in mine.members] == [
        ("Ann Council", "Barnsley Council", "Head of Housing"),
        ("Cat Health", "South Yorkshire ICB", "Clinical Lead"),
    ]
    assert mine.facilitator is not None
    assert mine.facilitator.name == "Fay Facilitator"
    page = text_of(_client(app, ann).get(f"/cohorts/{cast.cohort.id}/my-set"))
    assert "Your learning set: Rivers" in page
    assert "Ann Council (you) Barnsley Council Head of Housing" in page
    assert "Fay Facilitator" in page
    assert "Ben Council" not in page
    # Ben's set has no facilitator yet: his page says so.
    ben_page = text_of(_client(app, cast.learners[1]).get(f"/cohorts/{cast.cohort.id}/my-set"))
    assert "Your learning set: Hills" in ben_page
    assert "has not chosen a facilitator" in ben_page


def test_no_set_and_other_cohorts(app):
    cast, _, _ = _with_sets()
    assert learning_set_for(cast.outsider.id, cast.cohort.id) is None
    # Staff are not learners: no "own set", even in a set's cohort.
    assert learning_set_for(cast.facilitator.id, cast.cohort.id) is None
    outsider = _client(app, cast.outsider)
    assert outsider.get(f"/cohorts/{cast.cohort.id}/my-set").status_code == 404
    page = text_of(outsider.get(f"/cohorts/{cast.other_cohort.id}/my-set"))
    assert "has not confirmed the learning sets for this cohort yet" in page
