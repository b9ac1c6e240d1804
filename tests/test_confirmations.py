"""Irreversible actions ask first: the first request changes nothing and shows a confirmation that
names the people affected; only the confirmed POST does it, and it is audited."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from leaders.audit import Action, AuditEvent
from leaders.auth.models import User
from leaders.cohorts.models import CohortMember
from leaders.extensions import db
from leaders.network.models import LearningSet, LearningSetMember, SurveyResponse, SurveyWave
from leaders.organisations.models import Organisation
from leaders.privacy.models import ErasureRequest
from tests.cohorts.conftest import Cast, make_organisation
from tests.conftest import sign_in
from tests.factories import enrol, make_user
from tests.helpers import form_token, page, text_of


@pytest.fixture
def cast(app) -> Cast:
    return Cast()


def signed_in(app, user):
    client = app.test_client()
    assert sign_in(client, user).status_code == 302
    return client


def audited(action: Action) -> int:
    return db.session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action.value)
    )


def assert_confirmation(response, heading: str, *names: str, shared: bool = True) -> str:
    """The GOV.UK "are you sure" page: the question, the people, a warning, a red button, Cancel."""
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = text_of(response)
    document = page(response)
    assert (document.one("h1").text or "").lstrip().startswith(heading)
    for name in names:
        assert name in text
    assert "govuk-warning-text" in html
    assert document.find_all("button", class_="govuk-button govuk-button--warning")
    if shared:  # the shared page (merging has its own form, with the same parts)
        assert 'name="confirm" value="yes"' in html
    assert 'name="csrf_token"' in html
    assert ">Cancel</a>" in html
    return text


def test_removing_someone_from_a_cohort(app, cast):
    ben = cast.learners[1]
    manager = signed_in(app, cast.manager)
    people = manager.get(f"/cohorts/{cast.cohort.id}/people")
    url = f"/cohorts/{cast.cohort.id}/people/{ben.id}/remove"
    assert f'href="{url}"' in people.get_data(as_text=True)  # a link to the question, not a POST
    member = select(func.count()).select_from(CohortMember).where(CohortMember.user_id == ben.id)

    text = assert_confirmation(
        manager.get(url), f"Remove Ben Council from {cast.cohort.name}?", ben.email
    )
    assert "Their account, progress, journal and attendance are kept" in text
    token = form_token(people)
    assert_confirmation(
        manager.post(url, data={"csrf_token": token}), "Remove Ben Council", ben.email
    )
    assert db.session.scalar(member) == 1
    assert audited(Action.REMOVED) == 0

    done = manager.post(url, data={"csrf_token": token, "confirm": "yes"})
    assert done.status_code == 302
    assert db.session.scalar(member) == 0
    assert audited(Action.REMOVED) == 1
    assert "Ben Council is no longer in this cohort" in text_of(manager.get(done.location))
    # Someone not in the cohort: nothing to confirm.
    assert manager.get(url).status_code == 404


def test_erasing_a_learner(app, cast):
    ann = cast.learners[0]
    request = ErasureRequest(user_id=ann.id)
    db.session.add(request)
    db.session.commit()
    admin = signed_in(app, cast.admin)
    listing = admin.get("/admin/erasure-requests")
    url = f"/admin/erasure-requests/{request.id}/erase"
    assert f'href="{url}"' in listing.get_data(as_text=True)

    text = assert_confirmation(
        admin.get(url), "Erase Ann Council's personal data?", ann.email, cast.cohort.name
    )
    assert "0 journal entries and 0 connections" in text
    assert "Erased data cannot be recovered" in text
    token = form_token(listing)
    assert_confirmation(admin.post(url, data={"csrf_token": token}), "Erase Ann Council")
    db.session.expire_all()
    assert db.session.get(User, ann.id).name == "Ann Council"
    assert audited(Action.ERASED) == 0

    assert admin.post(url, data={"csrf_token": token, "confirm": "yes"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, ann.id).name == "Erased learner"
    assert audited(Action.ERASED) == 1
    assert admin.get(url).status_code == 404  # done: nothing left to confirm


def _sets_cast() -> Cast:
    cast = Cast()
    organisations = [make_organisation(f"Body {i}", "nhs") for i in range(4)]
    for i in range(9):
        enrol(cast.cohort, make_user(name=f"Learner {i}", organisation_id=organisations[i % 4].id))
    return cast


def test_replacing_confirmed_learning_sets(app):
    cast = _sets_cast()
    manager = signed_in(app, cast.manager)
    sets = f"/cohorts/{cast.cohort.id}/sets"
    token = form_token(manager.get(sets))
    manager.post(f"{sets}/propose", data={"csrf_token": token})

    def version() -> str:  # the saved draft's version, which the page's forms carry
        return re.search(r'name="version" value="(\d+)"', manager.get(sets).get_data(True))[1]

    # The first sets replace nothing: no question.
    confirming = {"csrf_token": token, "version": version()}
    assert manager.post(f"{sets}/confirm", data=confirming).status_code == 302
    before = sorted(db.session.execute(select(LearningSetMember.set_id, LearningSetMember.user_id)))
    assert len(before) == 12

    manager.post(f"{sets}/propose", data={"csrf_token": token})
    confirming = {"csrf_token": token, "version": version()}
    text = assert_confirmation(
        manager.post(f"{sets}/confirm", data=confirming),
        f"Replace the confirmed learning sets for {cast.cohort.name}?",
        "Set 1:",
        "Set 2:",
        "Ann Council",
        "Learner 8",
    )
    assert "The 2 confirmed sets (12 people) will be replaced" in text
    db.session.expire_all()
    after = sorted(db.session.execute(select(LearningSetMember.set_id, LearningSetMember.user_id)))
    assert after == before
    assert audited(Action.SETS_CONFIRMED) == 1

    done = manager.post(f"{sets}/confirm", data={**confirming, "confirm": "yes"})
    assert done.status_code == 302
    db.session.expire_all()
    latest = db.session.scalars(
        select(AuditEvent.detail).order_by(AuditEvent.id.desc()).limit(1)
    ).one()
    assert latest == "2 sets, 12 people; 2 sets replaced"
    assert db.session.scalar(select(func.count()).select_from(LearningSet)) == 2
    assert audited(Action.SETS_CONFIRMED) == 2


def test_closing_a_survey_wave(app, cast):
    ann, _ben, _cat = cast.learners
    wave = SurveyWave(cohort_id=cast.cohort.id, name="baseline")
    db.session.add(wave)
    db.session.flush()
    db.session.add(SurveyResponse(wave_id=wave.id, respondent_id=ann.id))
    db.session.commit()
    manager = signed_in(app, cast.manager)
    token = form_token(manager.get(f"/cohorts/{cast.cohort.id}/network"))
    url = f"/cohorts/{cast.cohort.id}/network/waves/{wave.id}/close"

    text = assert_confirmation(
        manager.post(url, data={"csrf_token": token}),
        "Close the baseline survey?",
        "Ben Council",
        "Cat Health",
    )
    assert "2 learners have not answered it yet" in text
    assert "Ann Council" not in text.split("will not be able to:")[1].split("A closed survey")[0]
    db.session.expire_all()
    assert db.session.get(SurveyWave, wave.id).closed_at is None
    assert audited(Action.WAVE_CLOSED) == 0

    assert manager.post(url, data={"csrf_token": token, "confirm": "yes"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(SurveyWave, wave.id).closed_at is not None
    assert audited(Action.WAVE_CLOSED) == 1


def test_merging_organisations(app, cast):
    duplicate = make_organisation("Barnsley MBC")
    make_user(name="Mo Moved", organisation_id=duplicate.id)
    admin = signed_in(app, cast.admin)
    url = f"/admin/organisations/{duplicate.id}/merge/{cast.council.id}"
    text = assert_confirmation(
        admin.get(url), "Merge Barnsley MBC into Barnsley Council?", "Mo Moved", shared=False
    )
    assert "1 person will move from Barnsley MBC to Barnsley Council" in text
    assert db.session.get(Organisation, duplicate.id) is not None
    people = select(func.count()).select_from(User).where(User.organisation_id == duplicate.id)
    assert db.session.scalar(people) == 1
    assert audited(Action.ORGANISATIONS_MERGED) == 0

    assert admin.post(url, data={"csrf_token": form_token(admin.get(url))}).status_code == 302
    exists = select(func.count()).select_from(Organisation).where(Organisation.id == duplicate.id)
    assert db.session.scalar(exists) == 0
    assert audited(Action.ORGANISATIONS_MERGED) == 1
