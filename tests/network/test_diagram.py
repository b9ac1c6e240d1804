"""The diagram's markup made in Python, and the tied pairs the page reads without a graph."""

import random
import re

import html5lib

from leaders.network import diagram
from leaders.network.cohort_network import Edge
from leaders.network.graph import build_graph, pair_kinds
from leaders.network.layout import (
    NodePosition,
    layout,
    layout_pairs,
    network_version,
    pairs_version,
)
from leaders.network.metrics import attribute_network, organisation_network, place_network
from tests.network import cohort, tie

SVG = "{http://www.w3.org/2000/svg}"


def _at(id, x, y, sector="nhs", name=None):
    return NodePosition(id, name or f"Person {id}", sector, x, y, "#00703c")


def _svg(markup) -> object:
    page = f'<svg viewBox="0 0 720 520">{markup}</svg>'
    return html5lib.parse(page, namespaceHTMLElements=False)


def test_ties_are_one_path_per_layer_with_a_move_and_a_line_per_tie():
    a, b, c = _at(1, 10.0, 20.0), _at(2, 30.5, 40.0), _at(3, 50.0, 60.0, sector="police")
    markup = diagram.ties_markup(
        [Edge(a, b, frozenset()), Edge(b, c, frozenset())], [Edge(a, c, frozenset())]
    )
    paths = list(_svg(markup).iter(f"{SVG}path"))
    assert [p.get("class") for p in paths] == [diagram.PROGRAMME, diagram.TIE, diagram.CROSS]
    assert all(p.get("fill") == "none" for p in paths)
    assert [p.get("d") for p in paths] == [
        "M10.0 20.0L50.0 60.0",
        "M10.0 20.0L30.5 40.0",
        "M30.5 40.0L50.0 60.0",
    ]
    # No ties, no empty paths.
    assert diagram.ties_markup([]) == ""


def test_people_are_numbered_and_their_names_escaped():
    people = [
        _at(7, 1.0, 2.0, name='<script>alert("x")</script> & Co'),
        _at(9, 3.0, 4.0, name="Bell\x07 Ann"),
    ]
    markup = diagram.people_markup(people, {7: 1, 9: 2})
    assert "<script>" not in markup
    groups = list(_svg(markup).iter(f"{SVG}g"))
    assert [g.find(f"{SVG}title").text for g in groups] == [
        '1. <script>alert("x")</script> & Co',
        "2. Bell\ufffd Ann",  # a control character HTML cannot carry, shown as the template shows it
    ]
    assert [g.find(f"{SVG}text").text for g in groups] == ["1", "2"]
    assert [(c.get("cx"), c.get("cy")) for c in _svg(markup).iter(f"{SVG}circle")] == [
        ("1.0", "2.0"),
        ("3.0", "4.0"),
    ]


def test_tied_names_are_sorted_as_jinja_sorts_them():
    ann, ben, cat, dan = (
        _at(1, 0, 0, name="ann"),
        _at(2, 0, 0, name="Ben"),
        _at(3, 0, 0, name="cat"),
        _at(4, 0, 0, name="Dan"),
    )
    edges = [Edge(ann, dan, frozenset()), Edge(ann, ben, frozenset()), Edge(ann, cat, frozenset())]
    assert diagram.tied_names(edges) == {1: "Ben, cat, Dan", 2: "ann", 3: "ann", 4: "ann"}


def _network(size=40, seed=3):
    people = cohort(size, seed=seed)
    rng = random.Random(seed)
    kinds = ["worked_together", "mentoring", "knew_before"]
    ties = [
        tie(rng.randint(1, size + 3), rng.randint(1, size), rng.choice(kinds))
        for _ in range(size * 3)
    ]
    return people, ties


def test_the_pairs_are_the_graphs_edges_and_give_its_version_and_layout():
    people, ties = _network()
    pairs = pair_kinds(people, ties)
    graph = build_graph(people, ties)
    assert list(pairs) == sorted(pairs)
    assert [(a, b, kinds) for (a, b), kinds in pairs.items()] == [
        (a, b, data["kinds"]) for a, b, data in graph.edges(data=True)
    ]
    assert pairs_version([p.id for p in people], pairs) == network_version(graph)
    assert layout_pairs(people, pairs, 720, 520) == layout(people, ties, 720, 520)


def test_the_organisation_and_place_tables_from_the_pairs():
    people, ties = _network()
    pairs = pair_kinds(people, ties)
    assert attribute_network(people, pairs, "organisation") == organisation_network(people, ties)
    assert attribute_network(people, pairs, "place") == place_network(people, ties)


def test_the_page_draws_every_person_and_tie(app, client):
    from leaders.auth.models import User
    from leaders.extensions import db
    from tests.conftest import sign_in
    from tests.network.test_sources import _all_learners, _big_cast, _joined, _tie

    cast = _big_cast()
    learners = [db.session.get(User, i) for i in _all_learners(cast)]
    _joined(*learners)
    for a, b in [(0, 1), (1, 2), (2, 3), (0, 5)]:
        _tie(cast.cohort, learners[a], learners[b])
    sign_in(client, cast.manager)
    body = client.get(f"/cohorts/{cast.cohort.id}/network").get_data(as_text=True)
    d = " ".join(re.findall(r'<path class="app-network__tie[^"]*" fill="none" d="([^"]*)"', body))
    assert d.count("M") == d.count("L") == 4
    assert body.count('<g class="app-network__person">') == len(learners)
