"""Ties by source: reported figures, the programme's learning-set layer, people not joined yet."""

import re
from itertools import combinations

from sqlalchemy import select

from leaders.extensions import db
from leaders.network.models import LearningSetMember, SurveyAnswer, SurveyResponse, SurveyWave, Tie
from leaders.timeutil import utcnow
from tests.cohorts.conftest import Cast, make_organisation
from tests.conftest import sign_in
from tests.factories import enrol, make_user
from tests.helpers import form_token, text_of


def _tie(cohort, a, b, kind="worked_together"):
    low, high = sorted((a.id, b.id))
    db.session.add(
        Tie(cohort_id=cohort.id, user_a_id=low, user_b_id=high, kind=kind, created_by=a.id)
    )
    db.session.commit()


def _joined(*users):
    for user in users:
        user.last_sign_in_at = utcnow()
    db.session.commit()


def _figures(body: str) -> tuple[int, int, int]:
    """(people, ties, without a tie outside their organisation) from the page's headline."""
    match = re.search(
        r"Reported ties (\d+) (?:person|people) (\d+) ties? .*? of ties cross sectors "
        r"(\d+) without a tie outside their organisation",
        body,
    )
    assert match, body
    return tuple(int(g) for g in match.groups())


def _big_cast():
    cast = Cast()
    orgs = [
        make_organisation(f"Body {i}", sector)
        for i, sector in enumerate(["nhs", "police", "education", "fire_and_rescue"])
    ]
    for i in range(9):
        enrol(cast.cohort, make_user(name=f"Learner {i}", organisation_id=orgs[i % 4].id))
    return cast


def _all_learners(cast):
    from leaders.cohorts.models import CohortMember

    return list(
        db.session.execute(
            select(CohortMember.user_id).where(
                CohortMember.cohort_id == cast.cohort.id, CohortMember.role == "learner"
            )
        ).scalars()
    )


def test_confirming_sets_changes_no_reported_figure(app, client):
    from leaders.auth.models import User

    cast = _big_cast()
    learners = [db.session.get(User, i) for i in _all_learners(cast)]
    _joined(*learners)
    ann, ben, cat = cast.learners
    _tie(cast.cohort, ann, ben)  # same organisation
    _tie(cast.cohort, ann, cat)  # across organisations and sectors
    sign_in(client, cast.manager)
    path = f"/cohorts/{cast.cohort.id}/network"
    before = text_of(client.get(path))
    # 12 people, 2 ties; only Ann and Cat have a tie outside their organisation.
    assert _figures(before) == (12, 2, 10)
    assert "No learning sets are confirmed for this cohort." in before
    csv_before = client.get(f"{path}/edges.csv").get_data(as_text=True)

    page = client.get(f"/cohorts/{cast.cohort.id}/sets")
    token = form_token(page)
    client.post(f"/cohorts/{cast.cohort.id}/sets/propose", data={"csrf_token": token})
    # A new draft is at version 1: the confirm form carries the version it was drawn with.
    client.post(
        f"/cohorts/{cast.cohort.id}/sets/confirm", data={"csrf_token": token, "version": "1"}
    )
    groups: dict[int, list[int]] = {}
    for set_id, user_id in db.session.execute(
        select(LearningSetMember.set_id, LearningSetMember.user_id)
    ):
        groups.setdefault(set_id, []).append(user_id)
    assert len(groups) == 2
    pairs = {tuple(sorted(p)) for members in groups.values() for p in combinations(members, 2)}
    reported = {tuple(sorted((ann.id, ben.id))), tuple(sorted((ann.id, cat.id)))}
    new_pairs = pairs - reported

    for layer in ("", "&layer=programme"):
        after = text_of(client.get(f"{path}?x=1{layer}"))
        assert _figures(after) == (12, 2, 10), layer  # reported figures are untouched
        assert (
            f"2 learning sets put {len(pairs)} pairs of people in the network together. "
            f"{len(new_pairs)} of those pairs have no reported tie" in after
        )
    # The export follows the page: reported by default, the set pairs only with the layer.
    assert client.get(f"{path}/edges.csv").get_data(as_text=True) == csv_before
    with_sets = client.get(f"{path}/edges.csv?layer=programme").get_data(as_text=True)
    rows = with_sets.strip().splitlines()[1:]
    assert len(rows) == len(pairs | reported)
    assert sum(row.endswith(",Made by the programme") for row in rows) == len(new_pairs)
    assert "Same learning set" in with_sets

    # The diagram draws the set pairs (dashed) only when the layer is asked for.
    plain = client.get(path).get_data(as_text=True)
    layered = client.get(f"{path}?layer=programme").get_data(as_text=True)
    assert "app-network__tie--programme" not in plain
    # One dashed path, one move-and-line per pair (leaders/network/diagram.py).
    dashed = re.search(
        r'<path class="[^"]*app-network__tie--programme" fill="none" d="([^"]*)"', layered
    )
    assert layered.count("app-network__tie--programme") == 1
    assert dashed.group(1).count("M") == dashed.group(1).count("L") == len(new_pairs)
    assert 'aria-current="page">Also show learning sets' in layered


def test_people_not_joined_are_listed_apart_and_left_out_of_the_figures(app, client):
    from leaders.network import cohort_network
    from leaders.network.metrics import network_metrics

    cast = Cast()
    ann, ben, cat = cast.learners  # Ann, Ben: Barnsley Council; Cat: South Yorkshire ICB
    dan = make_user(name="Dan Council", organisation_id=cast.council.id)
    eve = make_user(name="Eve Health", organisation_id=cast.trust.id, password_hash=None)
    fay = make_user(name="Fay Health", organisation_id=cast.trust.id)
    for person in (dan, eve, fay):
        enrol(cast.cohort, person)
    _joined(ann, ben, cat)
    # Dan never signed in, but Ann named him: he is in the network. Eve (invited, no password)
    # and Fay (has a password, never signed in) are named by no one: not joined yet.
    _tie(cast.cohort, ann, dan)  # same organisation
    _tie(cast.cohort, ann, cat)  # across organisations
    sign_in(client, cast.manager)
    body = text_of(client.get(f"/cohorts/{cast.cohort.id}/network"))

    # Worked out by hand: 4 people (Ann, Ben, Cat, Dan), 2 ties; density = 2 / (4 x 3 / 2).
    # Without a tie outside their organisation: Ben (none) and Dan (only Ann, a colleague).
    assert _figures(body) == (4, 2, 2)
    assert "Density 0.333" in body
    assert "Not joined yet: 2 learners." in body
    assert "Eve Health, Fay Health" in body
    isolates = body.rsplit("Without a tie outside their organisation", 1)[1].split("People and")[0]
    assert "Ben Council" in isolates
    assert "Dan Council" in isolates
    assert "Eve Health" not in isolates
    assert "Fay Health" not in isolates

    from leaders.cohorts.access import cohort_access

    network = cohort_network.build(cohort_access(cast.manager, cast.cohort.id))
    assert [p.name for p in network.not_joined] == ["Eve Health", "Fay Health"]
    assert network.metrics.density == 2 / 6
    assert [network.person(i).name for i in network.metrics.isolates] == [
        "Ben Council",
        "Dan Council",
    ]
    # The same measure over everyone would have said 6 people, 2 of 15 pairs, 4 isolates.
    everyone = network_metrics(network.people + network.not_joined, network.ties)
    assert (everyone.people, len(everyone.isolates)) == (6, 4)

    # Once Fay signs in she is a member without ties: counted, and unconnected.
    _joined(fay)
    body = text_of(client.get(f"/cohorts/{cast.cohort.id}/network"))
    assert _figures(body) == (5, 2, 3)
    assert "Not joined yet: 1 learner." in body


def test_my_network_count_matches_the_managers_table(app, client):
    cast = Cast()
    ann, ben, cat = cast.learners
    dan = make_user(name="Dan Health", organisation_id=cast.trust.id)
    enrol(cast.cohort, dan)
    _joined(ann, ben, cat, dan)
    _tie(cast.cohort, ann, ben)
    _tie(cast.cohort, ann, ben, kind="mentoring")  # a second kind, the same person
    wave = SurveyWave(cohort_id=cast.cohort.id, name="baseline")
    db.session.add(wave)
    db.session.flush()
    # Cat names Ann in the survey; Ann names Ben (already a declared tie) and no one else.
    db.session.add_all(
        [
            SurveyResponse(wave_id=wave.id, respondent_id=cat.id),
            SurveyAnswer(wave_id=wave.id, respondent_id=cat.id, other_id=ann.id, worked_with=True),
            SurveyResponse(wave_id=wave.id, respondent_id=ann.id),
            SurveyAnswer(wave_id=wave.id, respondent_id=ann.id, other_id=ben.id, knew_before=True),
        ]
    )
    # A learning set with Dan: made by the programme, so not in either count.
    from leaders.network.models import LearningSet

    learning_set = LearningSet(cohort_id=cast.cohort.id, name="Set 1")
    db.session.add(learning_set)
    db.session.flush()
    for person in (ann, ben, cat, dan):
        db.session.add(
            LearningSetMember(cohort_id=cast.cohort.id, set_id=learning_set.id, user_id=person.id)
        )
    db.session.commit()

    manager = app.test_client()
    sign_in(manager, cast.manager)
    for layer in ("", "?layer=programme"):
        table = text_of(manager.get(f"/cohorts/{cast.cohort.id}/network{layer}"))
        table = table.split("People and their ties", 1)[1]
        for person, org, sector in (
            (ann, "Barnsley Council", "Local government"),
            (ben, "Barnsley Council", "Local government"),
            (cat, "South Yorkshire ICB", "NHS"),
            (dan, "South Yorkshire ICB", "NHS"),
        ):
            match = re.search(rf"\d+ {person.name} {org} {sector} (\d+)", table)
            assert match, person.name
            learner = app.test_client()
            sign_in(learner, person)
            mine = text_of(learner.get("/network"))
            count = re.search(r"Your reach (\d+) (?:person|people)", mine)
            assert count, mine
            assert count.group(1) == match.group(1), (person.name, layer)
    # Worked out by hand: Ann is tied to Ben (declared, survey) and Cat (Cat's answer): 2.
    ann_client = app.test_client()
    sign_in(ann_client, ann)
    mine = text_of(ann_client.get("/network"))
    assert "Your reach 2 people" in mine
    assert (
        "1 is a connection recorded on this page (listed below) and 1 comes only from the latest network survey"
        in mine
    )
    assert "You are in Set 1." in mine
