"""The cohort network for managers: privacy, figures, waves, survey answers, exports."""

import io

import networkx as nx
from sqlalchemy import func, select

from leaders.extensions import db
from leaders.network.models import SurveyAnswer, SurveyResponse, SurveyWave, Tie
from tests.cohorts.conftest import Cast
from tests.conftest import sign_in
from tests.helpers import form_token, text_of


def _tie(cast, a, b, kind="worked_together"):
    low, high = sorted((a.id, b.id))
    db.session.add(
        Tie(cohort_id=cast.cohort.id, user_a_id=low, user_b_id=high, kind=kind, created_by=a.id)
    )
    db.session.commit()


def test_who_is_tied_to_whom_is_for_managers_and_facilitators(app, client):
    cast = Cast()
    ann, _ben, cat = cast.learners
    _tie(cast, ann, cat)
    path = f"/cohorts/{cast.cohort.id}/network"
    for user in (cast.manager, cast.facilitator, cast.admin):
        c = app.test_client()
        sign_in(c, user)
        body = text_of(c.get(path))
        assert "Ann Council Barnsley Council Local government 1 Cat Health" in body, user.name
    for user in (ann, cast.other_manager, cast.outsider):
        c = app.test_client()
        sign_in(c, user)
        assert c.get(path).status_code == 403, user.name
        assert c.get(f"{path}/edges.csv").status_code == 403


def _joined(*users):
    from leaders.timeutil import utcnow

    for user in users:
        user.last_sign_in_at = utcnow()
    db.session.commit()


def test_organisation_leads_see_aggregates_for_their_staff_only(app, client):
    cast = Cast()
    ann, ben, cat = cast.learners
    _tie(cast, ann, cat)
    sign_in(client, cast.lead)
    body = text_of(client.get(f"/cohorts/{cast.cohort.id}/network"))
    # Ben has never signed in and no one named him: not joined yet, not an unconnected member.
    assert "Your staff in the network 1" in body
    assert "Ties your staff hold 1" in body
    assert "Staff without a tie outside your organisation 0" in body
    assert "Staff not joined yet 1" in body
    assert "Cat Health" not in body
    _joined(ben)
    body = text_of(client.get(f"/cohorts/{cast.cohort.id}/network"))
    assert "Your staff in the network 2" in body
    assert "Staff without a tie outside your organisation 1" in body
    assert "Staff not joined yet 0" in body
    assert client.get(f"/cohorts/{cast.cohort.id}/network/edges.csv").status_code == 403


def test_figures_and_isolates(app, client):
    cast = Cast()
    ann, ben, cat = cast.learners
    _joined(cat)
    _tie(cast, ann, ben)  # same organisation: bonding
    sign_in(client, cast.manager)
    body = text_of(client.get(f"/cohorts/{cast.cohort.id}/network"))
    assert (
        "3 people 1 tie 0% of ties cross sectors 3 without a tie outside their organisation" in body
    )


def test_exports(app, client):
    cast = Cast()
    ann, ben, cat = cast.learners
    _joined(ben)
    _tie(cast, ann, cat)
    sign_in(client, cast.manager)
    csv_text = client.get(f"/cohorts/{cast.cohort.id}/network/edges.csv").get_data(as_text=True)
    # The labels people see on screen, not the stored codes.
    assert (
        "Ann Council,Barnsley Council,Local government,Cat Health,South Yorkshire ICB,NHS,"
        "We have worked together,Reported" in csv_text
    )
    assert "local_government" not in csv_text
    graphml = client.get(f"/cohorts/{cast.cohort.id}/network/network.graphml")
    graph = nx.read_graphml(io.BytesIO(graphml.get_data()))
    assert graph.number_of_nodes() == 3
    assert graph.number_of_edges() == 1
    assert {d["sector"] for _, d in graph.nodes(data=True)} == {"Local government", "NHS"}
    assert [d["source"] for _, _, d in graph.edges(data=True)] == ["Reported"]


def test_survey_waves_open_answer_close_compare(app, client):
    cast = Cast()
    ann, ben, cat = cast.learners
    manager = app.test_client()
    sign_in(manager, cast.manager)
    page = manager.get(f"/cohorts/{cast.cohort.id}/network")
    token = form_token(page)
    manager.post(
        f"/cohorts/{cast.cohort.id}/network/waves", data={"csrf_token": token, "name": "baseline"}
    )
    baseline = db.session.execute(select(SurveyWave)).scalar_one()

    learner = app.test_client()
    sign_in(learner, ann)
    assert "The baseline network survey is open" in text_of(learner.get("/network"))
    survey = learner.get(f"/network/surveys/{baseline.id}")
    assert (
        learner.post(
            f"/network/surveys/{baseline.id}",
            data={"csrf_token": form_token(survey), "knew_before": [str(ben.id)]},
        ).status_code
        == 302
    )
    forged = learner.post(
        f"/network/surveys/{baseline.id}",
        data={"csrf_token": form_token(survey), "worked_with": [str(cast.outsider.id)]},
    )
    assert forged.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 1

    manager.post(
        f"/cohorts/{cast.cohort.id}/network/waves/{baseline.id}/close",
        data={"csrf_token": token, "confirm": "yes"},
    )
    closed = learner.post(
        f"/network/surveys/{baseline.id}",
        data={"csrf_token": form_token(survey), "knew_before": [str(cat.id)]},
    )
    assert closed.status_code == 403
    assert [a.other_id for a in db.session.execute(select(SurveyAnswer)).scalars()] == [
        ben.id
    ]  # frozen

    manager.post(
        f"/cohorts/{cast.cohort.id}/network/waves", data={"csrf_token": token, "name": "midpoint"}
    )
    midpoint = db.session.execute(
        select(SurveyWave).where(SurveyWave.name == "midpoint")
    ).scalar_one()
    survey = learner.get(f"/network/surveys/{midpoint.id}")
    learner.post(
        f"/network/surveys/{midpoint.id}",
        data={"csrf_token": form_token(survey), "worked_with": [str(ben.id), str(cat.id)]},
    )
    body = text_of(manager.get(f"/cohorts/{cast.cohort.id}/network?wave=midpoint"))
    assert "Since the baseline survey: 1 new ties, 1 of them across sectors; 0 lost." in body


def test_only_managers_open_waves(app, client):
    cast = Cast()
    sign_in(client, cast.facilitator)
    page = client.get(f"/cohorts/{cast.cohort.id}/network")
    response = client.post(
        f"/cohorts/{cast.cohort.id}/network/waves",
        data={"csrf_token": form_token(page), "name": "baseline"},
    )
    assert response.status_code == 403
    assert db.session.scalar(select(func.count()).select_from(SurveyWave)) == 0


def test_a_learner_cannot_answer_another_cohorts_survey(app, client):
    cast = Cast()
    wave = SurveyWave(cohort_id=cast.other_cohort.id, name="baseline")
    db.session.add(wave)
    db.session.commit()
    sign_in(client, cast.learners[0])
    assert client.get(f"/network/surveys/{wave.id}").status_code == 404


def test_survey_reminders_go_to_those_who_have_not_answered(app, runner, tmp_path):
    import json
    from pathlib import Path

    app.config["MAIL_OUTBOX_DIR"] = str(tmp_path / "outbox")
    cast = Cast()
    ann, ben, cat = cast.learners
    for user in (ann, ben, cat):  # signed in and active: not at risk, so only survey reminders go
        from leaders.timeutil import utcnow

        user.last_sign_in_at = user.last_active_at = utcnow()
    cast.other_cohort.ends_on = cast.other_cohort.starts_on
    wave = SurveyWave(cohort_id=cast.cohort.id, name="baseline")
    db.session.add(wave)
    db.session.flush()
    db.session.add(SurveyResponse(wave_id=wave.id, respondent_id=ann.id))
    db.session.commit()
    first = runner.invoke(args=["send-reminders"])
    assert first.exit_code == 0, first.output
    assert "2 network survey reminders" in first.output
    assert runner.invoke(args=["send-reminders"]).exit_code == 0  # again: nothing new
    sent = [json.loads(p.read_text()) for p in Path(app.config["MAIL_OUTBOX_DIR"]).glob("*.json")]
    surveys = sorted(m["to"] for m in sent if "network survey" in m["subject"])
    assert surveys == sorted([ben.email, cat.email])
    assert all("five minutes" in m["text"] for m in sent if "network survey" in m["subject"])
