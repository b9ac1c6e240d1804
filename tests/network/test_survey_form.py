"""The survey form: one group of checkboxes per question, per-field errors, forged ids refused."""

import html5lib
from sqlalchemy import func, select

from leaders.extensions import db
from leaders.network.models import SurveyAnswer, SurveyResponse, SurveyWave
from tests.cohorts.conftest import Cast
from tests.conftest import sign_in
from tests.helpers import form_token, text_of

NS = {"h": "http://www.w3.org/1999/xhtml"}


def _open_wave(cast) -> SurveyWave:
    wave = SurveyWave(cohort_id=cast.cohort.id, name="baseline")
    db.session.add(wave)
    db.session.commit()
    return wave


def _checked(page, name: str) -> set[str]:
    tree = html5lib.parse(page.get_data(as_text=True))
    return {
        box.get("value")
        for box in tree.iterfind(f".//h:input[@name='{name}']", NS)
        if box.get("checked") is not None
    }


def test_each_question_is_a_group_of_checkboxes_labelled_by_name(app, client):
    cast = Cast()
    ann, ben, cat = cast.learners
    wave = _open_wave(cast)
    sign_in(client, ann)
    page = client.get(f"/network/surveys/{wave.id}")
    tree = html5lib.parse(page.get_data(as_text=True))
    legends = ["".join(legend.itertext()).strip() for legend in tree.iterfind(".//h:legend", NS)]
    assert legends == [
        "Who did you know before the programme?",
        "Who have you worked with in the last three months?",
    ]
    for prefix in ("knew", "worked"):
        for person in (ben, cat):
            label = tree.find(f".//h:label[@for='{prefix}-{person.id}']", NS)
            assert "".join(label.itertext()).strip() == person.name
    assert tree.find(f".//h:input[@id='knew-{ann.id}']", NS) is None  # not themselves


def test_answers_are_shown_back_and_can_all_be_cleared(app, client):
    cast = Cast()
    ann, ben, cat = cast.learners
    wave = _open_wave(cast)
    sign_in(client, ann)
    page = client.get(f"/network/surveys/{wave.id}")
    data = {"csrf_token": form_token(page), "knew_before": [str(ben.id), str(cat.id)]}
    assert client.post(f"/network/surveys/{wave.id}", data=data).status_code == 302
    page = client.get(f"/network/surveys/{wave.id}")
    assert _checked(page, "knew_before") == {str(ben.id), str(cat.id)}
    assert _checked(page, "worked_with") == set()

    cleared = client.post(f"/network/surveys/{wave.id}", data={"csrf_token": form_token(page)})
    assert cleared.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(SurveyAnswer)) == 0
    assert _checked(client.get(f"/network/surveys/{wave.id}"), "knew_before") == set()


def test_a_forged_person_is_a_field_error_and_nothing_is_saved(app, client):
    cast = Cast()
    ann, ben, _ = cast.learners
    wave = _open_wave(cast)
    sign_in(client, ann)
    page = client.get(f"/network/surveys/{wave.id}")
    for forged in (str(cast.outsider.id), "not-a-number", str(ann.id)):
        response = client.post(
            f"/network/surveys/{wave.id}",
            data={
                "csrf_token": form_token(page),
                "knew_before": [str(ben.id)],
                "worked_with": [forged],
            },
        )
        assert response.status_code == 400
        body = text_of(response)
        assert "There is a problem" in body
        tree = html5lib.parse(response.get_data(as_text=True))
        summary = ".//h:ul[@class='govuk-list govuk-error-summary__list']//h:a"
        summary_links = [
            (a.get("href"), "".join(a.itertext()).strip()) for a in tree.iterfind(summary, NS)
        ]
        assert summary_links == [("#worked_with", "Choose only people in your cohort")]
        assert tree.find(".//h:fieldset[@id='worked_with']", NS) is not None  # the link's target
        error = tree.find(".//h:p[@id='worked_with-error']", NS)
        assert "Choose only people in your cohort" in "".join(error.itertext())
    assert db.session.scalar(select(func.count()).select_from(SurveyAnswer)) == 0
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 0
