"""The cohort network as a networkx graph, built from plain `Person` and `Tie` records.

A tie is undirected: (a, b) and (b, a) are one tie, however many times and under however many
kinds it is recorded. Its edge keeps the set of kinds and a weight, the number of distinct kinds
("worked together" and "mentoring" between the same two people give weight 2). Self-ties and ties
to people not in the list are ignored, so a tie to someone who has since left the cohort or been
erased does no harm.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx


@dataclass(frozen=True)
class Person:
    """A learner, as the network needs them."""

    id: int
    name: str
    organisation: str | None
    sector: str | None
    place: str | None


@dataclass(frozen=True)
class Tie:
    """A relationship between two learners, of one kind (e.g. "worked_together")."""

    a: int
    b: int
    kind: str


def tie_key(a: int, b: int) -> tuple[int, int]:
    """The one key for an undirected tie: the smaller id first."""
    return (a, b) if a < b else (b, a)


def build_graph(people: Iterable[Person], ties: Iterable[Tie]) -> nx.Graph:
    """One node per person (with organisation, sector, place, name); one edge per pair with a tie.

    Nodes are added in id order, and edges in key order, so everything built on the graph
    (layouts, sampled estimates) is the same whatever order the records came in.
    """
    graph = nx.Graph()
    for person in sorted(people, key=lambda p: p.id):
        graph.add_node(
            person.id,
            name=person.name,
            organisation=person.organisation,
            sector=person.sector,
            place=person.place,
        )
    kinds: dict[tuple[int, int], set[str]] = {}
    for tie in ties:
        if tie.a == tie.b or tie.a not in graph or tie.b not in graph:
            continue
        kinds.setdefault(tie_key(tie.a, tie.b), set()).add(tie.kind)
    for (a, b), edge_kinds in sorted(kinds.items()):
        graph.add_edge(a, b, kinds=frozenset(edge_kinds), weight=len(edge_kinds))
    return graph
