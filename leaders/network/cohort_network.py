"""The cohort's network as programme managers and facilitators see it, and as exports carry it.

"Now" is every tie the platform knows: declared ties, learning sets, and the latest survey wave.
A wave is that wave's answers alone, so waves can be compared like for like.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import networkx as nx

from leaders.cohorts.access import CohortAccess
from leaders.network import services
from leaders.network.graph import Person, Tie, build_graph
from leaders.network.layout import LegendEntry, NodePosition, layout, sector_legend
from leaders.network.metrics import (
    Change,
    NetworkMetrics,
    compare,
    network_metrics,
    organisation_network,
    place_network,
)
from leaders.network.models import SurveyWave

WIDTH, HEIGHT = 720, 520


@dataclass(frozen=True)
class Edge:
    a: NodePosition
    b: NodePosition
    kinds: frozenset[str]


@dataclass(frozen=True)
class CohortNetwork:
    people: list[Person]
    ties: list[Tie]
    metrics: NetworkMetrics
    positions: list[NodePosition]
    edges: list[Edge]
    legend: list[LegendEntry]
    organisations: list[tuple[str, str, int]]
    places: list[tuple[str, str, int]]
    waves: list[SurveyWave]
    wave: SurveyWave | None
    change: Change | None
    previous: SurveyWave | None

    #: People by id, built once (the page looks people up in loops).
    by_id: dict[int, Person]

    def person(self, person_id: int) -> Person:
        return self.by_id[person_id]


def ties_now(cohort_id: int, waves: list[SurveyWave]) -> list[Tie]:
    ties = services.declared_ties(cohort_id) + services.learning_set_ties(cohort_id)
    if waves:
        ties += services.wave_ties(waves[-1])
    return ties


def build(access: CohortAccess, wave_name: str | None = None) -> CohortNetwork:
    cohort_id = access.cohort.id
    people = services.cohort_people(cohort_id)
    waves = services.waves(cohort_id)
    wave = next((w for w in waves if w.name == wave_name), None) if wave_name else None
    ties = services.wave_ties(wave) if wave else ties_now(cohort_id, waves)
    metrics = network_metrics(people, ties)
    change = previous = None
    if wave:
        index = waves.index(wave)
        if index > 0:
            previous = waves[index - 1]
            change = compare(network_metrics(people, services.wave_ties(previous)), metrics)
    positions = layout(people, ties, WIDTH, HEIGHT)
    at = {p.id: p for p in positions}
    graph = build_graph(people, ties)
    edges = [
        Edge(at[a], at[b], frozenset(data.get("kinds", ())))
        for a, b, data in graph.edges(data=True)
        if a in at and b in at
    ]
    return CohortNetwork(
        people,
        ties,
        metrics,
        positions,
        edges,
        sector_legend({p.sector for p in people}),
        organisation_network(people, ties)[:15],
        place_network(people, ties)[:15],
        waves,
        wave,
        change,
        previous,
        {p.id: p for p in people},
    )


#: How each kind of tie reads in an export: a declared tie as the learner chose it, the others as
#: the network page and the survey describe them.
OTHER_KIND_LABELS = {
    "learning_set": "In the same learning set",
    "knew_before": "Knew each other before the programme",
    "worked_with": "Worked together in the last three months",
}


def kind_label(kind: str) -> str:
    from leaders.network.models import TieKind

    if kind in OTHER_KIND_LABELS:
        return OTHER_KIND_LABELS[kind]
    try:
        return TieKind(kind).label
    except ValueError:
        return kind


def _kinds(kinds) -> str:
    return "; ".join(sorted(kind_label(k) for k in kinds))


def edge_list_csv(network: CohortNetwork) -> str:
    """One row per tie, with the labels people see on screen (leaders/downloads.py keeps it safe)."""
    from leaders import downloads
    from leaders.cohorts.exports import sector_label

    headers = [
        "Person A",
        "Organisation A",
        "Sector A",
        "Person B",
        "Organisation B",
        "Sector B",
        "Kinds",
    ]
    by_id = {p.id: p for p in network.people}
    rows = []
    for edge in sorted(network.edges, key=lambda e: (e.a.name, e.b.name)):
        a, b = by_id[edge.a.id], by_id[edge.b.id]
        rows.append(
            [
                a.name,
                a.organisation or "",
                sector_label(a.sector),
                b.name,
                b.organisation or "",
                sector_label(b.sector),
                _kinds(edge.kinds),
            ]
        )
    return downloads.csv_text(headers, rows)


def graphml(network: CohortNetwork) -> bytes:
    """The network as GraphML (opens in Gephi): people with organisation, sector and place.

    Every text passes `xml_safe`, so the file is valid XML whatever was stored in a name.
    """
    from leaders.cohorts.exports import sector_label
    from leaders.text import xml_safe

    graph = build_graph(network.people, network.ties)
    clean = nx.Graph()
    # GraphML has no "missing" value: empty strings stand for what was not recorded.
    for person in network.people:
        clean.add_node(
            person.id,
            label=xml_safe(person.name),
            organisation=xml_safe(person.organisation),
            sector=sector_label(person.sector),
            place=xml_safe(person.place),
        )
    for a, b, data in graph.edges(data=True):
        clean.add_edge(a, b, kinds=_kinds(data.get("kinds", ())), weight=data.get("weight", 1))
    out = io.BytesIO()
    nx.write_graphml(clean, out)
    return out.getvalue()


@dataclass(frozen=True)
class StaffSummary:
    """What an organisation lead sees: aggregates for their own staff, no one's individual ties."""

    staff: int
    ties: int
    crossing_organisations: int
    sectors_reached: int
    without_outside_tie: int


def staff_summary(
    access: CohortAccess, network_people: list[Person], ties: list[Tie]
) -> StaffSummary:
    from leaders.cohorts.services import people as cohort_members

    staff_ids = {p.user_id for p in cohort_members(access) if p.role.value == "learner"}
    by_id = {p.id: p for p in network_people}
    own, crossing, sectors = set(), 0, set()
    outside: set[int] = set()
    for tie in ties:
        if tie.a == tie.b or not ({tie.a, tie.b} & staff_ids):
            continue
        key = tuple(sorted((tie.a, tie.b)))
        if key in own:
            continue
        own.add(key)
        a, b = by_id.get(tie.a), by_id.get(tie.b)
        if a and b and a.organisation != b.organisation:
            crossing += 1
            outside |= {x.id for x in (a, b) if x.id in staff_ids}
            sectors |= {x.sector for x in (a, b) if x.id not in staff_ids and x.sector}
    return StaffSummary(len(staff_ids), len(own), crossing, len(sectors), len(staff_ids - outside))
