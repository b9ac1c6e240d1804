"""Betweenness and Burt's constraint come from igraph: they must agree with networkx's definitions.

networkx is the reference (the module docstring of leaders.network.metrics says why igraph does the
work). Exact betweenness, the seeded sample (same sources, same rescaling as networkx's `k`/`seed`)
and constraint are compared on random graphs, disconnected ones and ones with isolated people.
"""

from __future__ import annotations

import math

import networkx as nx
import pytest

from leaders.network import metrics
from leaders.network.graph import build_graph
from tests.network import person, tie


def random_network(nodes: int, edges: int, seed: int):
    graph = nx.gnm_random_graph(nodes, edges, seed=seed)
    people = [person(i + 1, organisation=f"O{i % 7}") for i in range(nodes)]
    ties = [tie(a + 1, b + 1) for a, b in graph.edges()]
    return people, ties


@pytest.mark.parametrize(("nodes", "edges", "seed"), [(12, 20, 1), (40, 70, 2), (60, 45, 3)])
def test_exact_betweenness_agrees_with_networkx(nodes: int, edges: int, seed: int) -> None:
    people, ties = random_network(nodes, edges, seed)
    graph = build_graph(people, ties)
    ours, sample = metrics._betweenness(metrics.fast_graph(people, ties))
    assert sample is None
    reference = nx.betweenness_centrality(graph)
    assert ours.keys() == reference.keys()
    for node, value in reference.items():
        assert ours[node] == pytest.approx(value, abs=1e-12)


@pytest.mark.parametrize(("nodes", "edges", "seed"), [(60, 120, 4), (80, 100, 5)])
def test_the_sampled_estimate_is_networkx_s_own_estimate(monkeypatch, nodes, edges, seed) -> None:
    monkeypatch.setattr(metrics, "BETWEENNESS_WORK_LIMIT", 10)
    people, ties = random_network(nodes, edges, seed)
    graph = build_graph(people, ties)
    ours, sample = metrics._betweenness(metrics.fast_graph(people, ties))
    assert sample == 50
    reference = nx.betweenness_centrality(graph, k=sample, seed=metrics.BETWEENNESS_SEED)
    for node, value in reference.items():
        assert ours[node] == pytest.approx(value, abs=1e-12)


def test_constraint_agrees_with_networkx_and_is_none_for_people_without_ties() -> None:
    people, ties = random_network(30, 40, 6)
    people.append(person(99, organisation="Alone"))
    graph = build_graph(people, ties)
    ours = metrics._constraint(metrics.fast_graph(people, ties))
    for node, value in nx.constraint(graph).items():
        if math.isnan(value):
            assert ours[node] is None
        else:
            assert ours[node] == pytest.approx(value, abs=1e-12)
    assert ours[99] is None


def test_brokers_carry_their_constraint() -> None:
    # A star of two triangles joined through person 1: 1 spans the hole between them.
    people = [person(i, organisation=f"O{i}") for i in range(1, 6)]
    ties = [tie(1, 2), tie(1, 3), tie(2, 3), tie(1, 4), tie(1, 5), tie(4, 5)]
    result = metrics.network_metrics(people, ties)
    (broker,) = result.brokers
    assert broker.id == 1
    reference = nx.constraint(build_graph(people, ties))
    assert broker.constraint == pytest.approx(reference[1])
    # Spanning the hole leaves them less constrained than anyone inside a triangle.
    assert all(broker.constraint < reference[other] for other in range(2, 6))
