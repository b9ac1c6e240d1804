"""The cohort network as a networkx graph, built from plain `Person` and `Tie` records.

A tie is undirected: (a, b) and (b, a) are one tie, however many times and under however many
kinds it is recorded. Its edge keeps the set of kinds and a weight, the number of distinct kinds
("worked together" and "mentoring" between the same two people give weight 2). Self-ties and ties
to people not in the list are ignored, so a tie to someone who has since left the cohort or been
erased does no harm.

Every tie has a **source**: *reported* when a person said so (a tie they declared on their network
page, or a survey answer), or *made by the programme* (membership of the same learning set). The
source follows from the kind, so there is one mechanism: `Tie.source`. Figures use reported ties;
programme ties are a layer a page may show beside them, never mixed into the figures.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx


@dataclass(frozen=True)
class Person:
    """A learner, as the network needs them."""

    id: int
    name: str
    organisation: str | None
    sector: str | None
    place: str | None


#: A tie someone reported: declared on the network page, or named in a survey.
REPORTED = "reported"
#: A tie the programme made: two people in the same learning set.
PROGRAMME = "programme"
SOURCE_LABELS = {REPORTED: "Reported", PROGRAMME: "Made by the programme"}

#: The kinds of tie the programme makes (everything else is reported by people).
PROGRAMME_KINDS = frozenset({"learning_set"})

#: What each kind of tie is called on screen and in exports.
KIND_LABELS = {
    "worked_together": "We have worked together",
    "met_at_session": "We met at a programme session",
    "introduced": "The programme introduced us",
    "mentoring": "Mentoring",
    "knew_before": "Knew before the programme (survey)",
    "worked_with": "Worked with in the last three months (survey)",
    "learning_set": "Same learning set",
}


@dataclass(frozen=True)
class Tie:
    """A relationship between two learners, of one kind (e.g. "worked_together")."""

    a: int
    b: int
    kind: str

    @property
    def source(self) -> str:
        return PROGRAMME if self.kind in PROGRAMME_KINDS else REPORTED


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())


def tie_key(a: int, b: int) -> tuple[int, int]:
    """The one key for an undirected tie: the smaller id first."""
    return (a, b) if a < b else (b, a)


def pair_kinds(
    people: Iterable[Person], ties: Iterable[Tie]
) -> dict[tuple[int, int], frozenset[str]]:
    """Each pair with a tie, as (smaller id, larger id), and its kinds, in key order: the edges
    `build_graph` makes, without networkx (a page that only reads the pairs needs no graph)."""
    ids = {person.id for person in people}
    kinds: dict[tuple[int, int], set[str]] = {}
    for tie in ties:
        a, b = tie.a, tie.b
        if a == b or a not in ids or b not in ids:
            continue
        key = (a, b) if a < b else (b, a)
        found = kinds.get(key)
        if found is None:
            kinds[key] = {tie.kind}
        else:
            found.add(tie.kind)
    return {key: frozenset(kinds[key]) for key in sorted(kinds)}


def build_graph(people: Iterable[Person], ties: Iterable[Tie]) -> nx.Graph:
    """One node per person (with organisation, sector, place, name); one edge per pair with a tie.

    Nodes are added in id order, and edges in key order, so everything built on the graph
    (layouts, sampled estimates) is the same whatever order the records came in.
    """
    import networkx as nx  # here, not at import: see leaders/network/__init__.py

    people = list(people)
    graph = nx.Graph()
    for person in sorted(people, key=lambda p: p.id):
        graph.add_node(
            person.id,
            name=person.name,
            organisation=person.organisation,
            sector=person.sector,
            place=person.place,
        )
    for (a, b), edge_kinds in pair_kinds(people, ties).items():
        graph.add_edge(a, b, kinds=edge_kinds, weight=len(edge_kinds))
    return graph
