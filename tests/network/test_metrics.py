"""Network metrics on small hand-built networks whose answers are worked out by hand."""

import ast
import dataclasses
from pathlib import Path

import pytest

from leaders.network import metrics
from leaders.network.graph import build_graph
from leaders.network.metrics import (
    EXPLANATIONS,
    Change,
    NetworkMetrics,
    compare,
    network_metrics,
    organisation_network,
    place_network,
)
from tests.network import person, tie

PURE = [
    "__init__",
    "graph",
    "metrics",
    "allocation",
    "allocation_score",
    "allocation_search",
    "layout",
    "lru",
]
#: The one module of another feature the core may read: the sector taxonomy, plain data.
SECTORS = Path(metrics.__file__).parent.parent / "organisations" / "sectors.py"


def test_the_computational_core_imports_no_flask_no_database_and_no_other_feature():
    core = [Path(metrics.__file__).with_name(f"{name}.py") for name in PURE]
    for module in [*core, SECTORS]:
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                root = name.split(".")[0]
                assert root not in {"flask", "flask_sqlalchemy", "sqlalchemy"}, (module, name)
                if root == "leaders":
                    assert module != SECTORS, (module, name)
                    assert name.split(".")[-1] in PURE or name == "leaders.organisations.sectors", (
                        module,
                        name,
                    )


def test_build_graph_counts_a_tie_once_and_weights_it_by_its_kinds():
    people = [person(1), person(2), person(3)]
    graph = build_graph(
        people,
        [
            tie(1, 2, "worked_together"),
            tie(2, 1, "worked_together"),
            tie(2, 1, "mentoring"),
            tie(1, 1, "knew_before"),
            tie(3, 99, "introduced"),
        ],
    )
    assert sorted(graph.edges()) == [(1, 2)]
    assert graph.edges[1, 2]["weight"] == 2
    assert graph.edges[1, 2]["kinds"] == {"worked_together", "mentoring"}
    assert graph.nodes[3] == {
        "name": "Person 003",
        "organisation": "Org",
        "sector": "local_government",
        "place": "Leeds",
    }


def test_density_is_the_share_of_possible_ties():
    # 4 people can have 6 ties; 3 exist.
    people = [person(i, organisation=f"O{i}") for i in range(1, 5)]
    result = network_metrics(people, [tie(1, 2), tie(2, 3), tie(3, 4), tie(4, 3, "mentoring")])
    assert result.people == 4
    assert result.ties == 3
    assert result.density == pytest.approx(0.5)


def test_ei_index_and_sector_share_by_hand():
    people = [
        person(1, "Leeds City Council", "local_government"),
        person(2, "Bradford Council", "local_government"),
        person(3, "Leeds Teaching Hospitals", "nhs"),
        person(4, "West Yorkshire Police", "police"),
        person(5, "Unknown body", None),
    ]
    # Within a sector: 1-2 (I = 1). Across: 1-3, 2-4, 3-4 (E = 3). 4-5 has an unknown sector.
    ties = [tie(1, 2), tie(1, 3), tie(2, 4), tie(3, 4), tie(4, 5)]
    result = network_metrics(people, ties)
    assert result.ei_index == pytest.approx((3 - 1) / (3 + 1))
    assert result.cross_sector_share == pytest.approx(3 / 4)
    assert result.cross_organisation_share == pytest.approx(1.0)
    assert result.cross_sector_tie_keys == {(1, 3), (2, 4), (3, 4)}


def test_ei_index_is_minus_one_when_every_tie_stays_in_its_sector():
    people = [person(1, "A"), person(2, "B"), person(3, "C")]
    result = network_metrics(people, [tie(1, 2), tie(2, 3)])
    assert result.ei_index == -1.0
    assert result.cross_sector_share == 0.0


def test_with_no_ties_the_shares_and_ei_index_are_none():
    people = [person(1, "A"), person(2, "B", "nhs")]
    result = network_metrics(people, [])
    assert result.ties == 0
    assert result.density == 0.0
    assert result.cross_organisation_share is None
    assert result.cross_sector_share is None
    assert result.ei_index is None
    assert result.components == 2
    assert result.largest_component == 1
    assert result.isolates == (1, 2)
    assert result.brokers == ()


def test_an_empty_network_has_no_components():
    result = network_metrics([], [])
    assert (result.people, result.ties, result.components, result.largest_component) == (0, 0, 0, 0)


def test_isolates_are_people_with_no_tie_outside_their_own_organisation():
    people = [
        person(1, "Leeds City Council"),
        person(2, "Leeds City Council"),  # tied only to a colleague: an isolate
        person(3, "NHS West Yorkshire", "nhs"),
        person(4, "West Yorkshire Fire", "fire_and_rescue"),  # no ties at all: an isolate
        person(5, None, None),  # no organisation recorded: their tie crosses
        person(6, "Leeds City Council"),  # tied only to someone with no organisation
    ]
    result = network_metrics(people, [tie(1, 2), tie(1, 3), tie(5, 6)])
    assert result.isolates == (2, 4)


def test_brokers_on_a_bridge_are_its_two_ends_tied_by_name():
    # Two triangles joined by the tie 3-4; 3 and 4 carry every path between the halves.
    people = [person(i, organisation=f"O{i}") for i in (1, 2, 5, 6)]
    people += [person(3, "O3", name="Zainab"), person(4, "O4", name="Aled")]
    ties = [tie(1, 2), tie(2, 3), tie(1, 3), tie(3, 4), tie(4, 5), tie(5, 6), tie(4, 6)]
    result = network_metrics(people, ties)
    assert [b.id for b in result.brokers] == [4, 3]
    assert [b.name for b in result.brokers] == ["Aled", "Zainab"]
    # Of the 10 pairs of other people, 3 lies between the 2 x 3 = 6 pairs {1, 2} x {4, 5, 6}.
    assert result.brokers[0].score == pytest.approx(6 / 10)
    assert result.betweenness_sample is None


def test_the_centre_of_a_star_is_the_only_broker():
    people = [person(i, organisation=f"O{i}") for i in range(1, 7)]
    result = network_metrics(people, [tie(1, i) for i in range(2, 7)])
    assert [(b.id, b.score) for b in result.brokers] == [(1, 1.0)]
    assert result.degree == {1: 5, 2: 1, 3: 1, 4: 1, 5: 1, 6: 1}


def test_at_most_five_brokers_ranked_by_score():
    people = [person(i, organisation=f"O{i}") for i in range(1, 11)]
    path = [tie(i, i + 1) for i in range(1, 10)]
    result = network_metrics(people, path)
    assert len(result.brokers) == 5
    # On a path of 10 the middle two carry the most, then outwards.
    assert [b.id for b in result.brokers] == [5, 6, 4, 7, 3]


def test_large_networks_estimate_betweenness_from_a_fixed_sample(monkeypatch):
    monkeypatch.setattr(metrics, "BETWEENNESS_WORK_LIMIT", 10)
    people = [person(i, organisation=f"O{i}") for i in range(1, 61)]
    ties = [tie(i, i + 1) for i in range(1, 60)]
    first = network_metrics(people, ties)
    assert first.betweenness_sample == 50
    assert network_metrics(people, ties).brokers == first.brokers


def test_components_count_and_largest():
    people = [person(i, organisation=f"O{i}") for i in range(1, 8)]
    # {1, 2, 3}, {4, 5}, {6}, {7}
    result = network_metrics(people, [tie(1, 2), tie(2, 3), tie(4, 5)])
    assert result.components == 4
    assert result.largest_component == 3


def test_organisation_network_weights_ties_between_bodies():
    people = [
        person(1, "Leeds City Council", place="Leeds"),
        person(2, "Leeds City Council", place="Leeds"),
        person(3, "NHS West Yorkshire", place="Wakefield"),
        person(4, "West Yorkshire Police", place="Wakefield"),
        person(5, None, place=None),
    ]
    ties = [tie(1, 2), tie(1, 3), tie(2, 3), tie(2, 3, "mentoring"), tie(3, 4), tie(4, 5)]
    assert organisation_network(people, ties) == [
        ("Leeds City Council", "NHS West Yorkshire", 2),
        ("NHS West Yorkshire", "West Yorkshire Police", 1),
    ]
    assert place_network(people, ties) == [("Leeds", "Wakefield", 2)]


def test_compare_counts_new_cross_sector_ties_between_waves():
    people = [
        person(1, "Leeds City Council", "local_government"),
        person(2, "Bradford Council", "local_government"),
        person(3, "NHS West Yorkshire", "nhs"),
        person(4, "West Yorkshire Police", "police"),
    ]
    baseline = [tie(1, 2), tie(3, 4)]
    end = [tie(2, 1), tie(1, 3), tie(2, 4), tie(1, 4, "met_at_session")]
    change = compare(network_metrics(people, baseline), network_metrics(people, end))
    assert change.new_ties == 3
    assert change.new_tie_keys == ((1, 3), (1, 4), (2, 4))
    assert change.new_cross_sector_ties == 3
    assert change.lost_ties == 1
    assert change.lost_tie_keys == ((3, 4),)
    assert change.density_change == pytest.approx(4 / 6 - 2 / 6)
    assert change.cross_sector_share_before == pytest.approx(1 / 2)
    assert change.cross_sector_share_after == pytest.approx(3 / 4)
    assert change.cross_sector_share_change == pytest.approx(1 / 4)
    assert compare(baseline, end, people) == change


def test_compare_from_no_ties_has_no_share_change():
    people = [person(1, "A"), person(2, "B", "nhs")]
    change = compare([], [tie(1, 2)], people)
    assert change.new_ties == change.new_cross_sector_ties == 1
    assert change.cross_sector_share_change is None


def test_compare_needs_people_when_given_ties():
    with pytest.raises(ValueError, match="Pass people"):
        compare([], [])


def test_every_figure_has_a_one_line_explanation():
    internal = {"tie_keys", "cross_sector_tie_keys", "betweenness_sample"}
    figures = {f.name for f in dataclasses.fields(NetworkMetrics)} - internal
    changes = {"new_ties", "new_cross_sector_ties", "lost_ties", "density_change"}
    changes.add("cross_sector_share_change")
    assert changes <= {f.name for f in dataclasses.fields(Change)}
    assert set(EXPLANATIONS) == figures | changes
    for text in EXPLANATIONS.values():
        assert "\n" not in text
        assert text[0].isupper()
        assert text.endswith(".")
