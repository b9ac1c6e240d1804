"""The cohort's network as programme managers and facilitators see it, and as exports carry it.

Figures, the diagram and the change between survey waves use **reported** ties only: ties people
declared on their network page and survey answers. "Now" is the declared ties and the latest survey
wave; a wave is that wave's answers alone, so waves can be compared like for like. Ties **made by
the programme** (two people in one learning set) are a separate layer with counts of their own: a
page may draw them, but they never change a reported figure.

**Not joined yet**: a learner who has never signed in and whom no one has named in a reported tie.
They are listed apart and left out of the network (its people, density, components, and the people
without a tie outside their organisation), because a missing tie there says nothing yet. Anyone
someone has named is in the network whether or not they have signed in, so every reported tie
counts, and a learner's own count ("My network") is their number of ties in the manager's table.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from leaders import downloads
from leaders.cohorts.access import CohortAccess
from leaders.cohorts.services import people as cohort_members
from leaders.network import diagram, services
from leaders.network.graph import (
    PROGRAMME,
    REPORTED,
    SOURCE_LABELS,
    Person,
    Tie,
    build_graph,
    kind_label,
    pair_kinds,
    tie_key,
)
from leaders.network.layout import LegendEntry, NodePosition, layout_pairs, sector_legend
from leaders.network.metrics import (
    Change,
    NetworkMetrics,
    attribute_network,
    compare,
)
from leaders.network.metrics_cache import cached_metrics
from leaders.network.models import SurveyWave
from leaders.organisations.sectors import sector_label
from leaders.text import xml_safe

if TYPE_CHECKING:
    from markupsafe import Markup

WIDTH, HEIGHT = 720, 520
#: The `layer` values a page takes: reported ties only (the default), or with learning sets drawn.
LAYERS = (REPORTED, PROGRAMME)


@dataclass(frozen=True)
class Edge:
    a: NodePosition
    b: NodePosition
    kinds: frozenset[str]


@dataclass(frozen=True)
class ProgrammeLayer:
    """The ties the programme made (shared learning sets), counted apart from reported ties."""

    #: Confirmed sets in the cohort.
    sets: int
    #: Pairs of people in the network who share a set.
    ties: int
    #: Of those, pairs with no reported tie between them.
    new_pairs: int
    #: Of those, pairs who work for different organisations.
    new_cross_organisation: int
    #: People with no reported tie outside their organisation who share a set with someone who
    #: works elsewhere: the set is, so far, their only link outside.
    outside_only_by_set: tuple[int, ...]
    #: Each person's set name.
    set_of: dict[int, str]
    ties_list: list[Tie]
    #: The pairs to draw on the programme layer (those not already drawn as reported ties).
    edges: list[Edge]


@dataclass(frozen=True)
class CohortNetwork:
    #: The people in the network: joined, or named in a reported tie.
    people: list[Person]
    #: Learners who have not joined yet (never signed in, and no one has named them).
    not_joined: list[Person]
    #: The reported ties shown (Now: declared and the latest wave; or one wave's answers).
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
    programme: ProgrammeLayer
    #: Whether the page draws the programme layer (`?layer=programme`).
    show_programme: bool
    #: The number each person carries on the diagram (their row in the table), 1 upwards.
    numbers: dict[int, int]

    #: People by id, built once (the page looks people up in loops).
    by_id: dict[int, Person]

    def person(self, person_id: int) -> Person:
        return self.by_id[person_id]

    @property
    def ties_svg(self) -> Markup:
        """The diagram's ties (and the programme's pairs, when that layer is shown) as SVG."""
        return diagram.ties_markup(self.edges, self.programme.edges if self.show_programme else ())

    @property
    def people_svg(self) -> Markup:
        """The diagram's people as SVG: numbered circles, named in their titles."""
        return diagram.people_markup(self.positions, self.numbers)

    @property
    def tied_names(self) -> dict[int, str]:
        """Each person's reported ties on the diagram, by name (the table's "Tied to")."""
        return diagram.tied_names(self.edges)

    @property
    def shown_ties(self) -> list[Tie]:
        """The ties on the page: reported, and the programme's when that layer is shown."""
        return self.ties + (self.programme.ties_list if self.show_programme else [])


def ties_now(cohort_id: int, waves: list[SurveyWave]) -> list[Tie]:
    """Reported ties now: declared ties and the latest survey wave's answers."""
    ties = services.declared_ties(cohort_id)
    if waves:
        ties += services.wave_ties(waves[-1])
    return ties


def membership(cohort_id: int) -> tuple[list[Person], list[Person]]:
    """(people in the network, people who have not joined yet), each by name."""
    learners = services.cohort_people(cohort_id)
    waiting = services.not_signed_in(cohort_id) - services.ever_named(cohort_id)
    return [p for p in learners if p.id not in waiting], [p for p in learners if p.id in waiting]


def tied_to(user_id: int, cohort_id: int) -> set[int]:
    """The people this learner has a reported tie with now: their count in the manager's table."""
    learners = {p.id for p in services.cohort_people(cohort_id)}
    found = set()
    for tie in ties_now(cohort_id, services.waves(cohort_id)):
        if user_id in (tie.a, tie.b) and tie.a != tie.b and {tie.a, tie.b} <= learners:
            found.add(tie.b if tie.a == user_id else tie.a)
    return found


def _crosses(a: Person, b: Person) -> bool:
    return a.organisation is None or b.organisation is None or a.organisation != b.organisation


def _programme_layer(
    cohort_id: int, people: list[Person], metrics: NetworkMetrics, at: dict[int, NodePosition]
) -> ProgrammeLayer:
    by_id = {p.id: p for p in people}
    every_set = services.set_names(cohort_id)
    set_of = {i: name for i, name in every_set.items() if i in by_id}
    ties = [t for t in services.learning_set_ties(cohort_id) if t.a in by_id and t.b in by_id]
    pairs = {tie_key(t.a, t.b) for t in ties if t.a != t.b}
    new = sorted(pairs - metrics.tie_keys)
    isolates = set(metrics.isolates)
    outside = {
        person
        for a, b in pairs
        if _crosses(by_id[a], by_id[b])
        for person in (a, b)
        if person in isolates
    }
    return ProgrammeLayer(
        sets=len(set(every_set.values())),
        ties=len(pairs),
        new_pairs=len(new),
        new_cross_organisation=sum(1 for a, b in new if _crosses(by_id[a], by_id[b])),
        outside_only_by_set=tuple(sorted(outside)),
        set_of=set_of,
        ties_list=ties,
        edges=[
            Edge(at[a], at[b], frozenset({"learning_set"})) for a, b in new if a in at and b in at
        ],
    )


def build(
    access: CohortAccess, wave_name: str | None = None, layer: str | None = None
) -> CohortNetwork:
    cohort_id = access.cohort.id
    people, not_joined = membership(cohort_id)
    waves = services.waves(cohort_id)
    wave = next((w for w in waves if w.name == wave_name), None) if wave_name else None
    ties = services.wave_ties(wave) if wave else ties_now(cohort_id, waves)
    metrics = cached_metrics(people, ties)
    change = previous = None
    if wave:
        index = waves.index(wave)
        if index > 0:
            previous = waves[index - 1]
            change = compare(cached_metrics(people, services.wave_ties(previous)), metrics)
    # Drawn from reported ties alone, so that showing the programme layer moves no one.
    pairs = pair_kinds(people, ties)
    positions = layout_pairs(people, pairs, WIDTH, HEIGHT)
    at = {p.id: p for p in positions}
    edges = [Edge(at[a], at[b], kinds) for (a, b), kinds in pairs.items()]
    return CohortNetwork(
        people,
        not_joined,
        ties,
        metrics,
        positions,
        edges,
        sector_legend({p.sector for p in people}),
        attribute_network(people, pairs, "organisation")[:15],
        attribute_network(people, pairs, "place")[:15],
        waves,
        wave,
        change,
        previous,
        _programme_layer(cohort_id, people, metrics, at),
        layer == PROGRAMME,
        {p.id: number for number, p in enumerate(people, start=1)},
        {p.id: p for p in people},
    )


def _kinds(kinds) -> str:
    return "; ".join(sorted(kind_label(k) for k in kinds))


def _sources(kinds) -> str:
    found = {PROGRAMME if kind == "learning_set" else REPORTED for kind in kinds}
    return "; ".join(SOURCE_LABELS[s] for s in (REPORTED, PROGRAMME) if s in found)


def edge_list_csv(network: CohortNetwork) -> str:
    """The ties on the page, one row per pair, with the labels the page shows (leaders/downloads.py
    keeps every cell safe)."""
    headers = [
        "Person A",
        "Organisation A",
        "Sector A",
        "Person B",
        "Organisation B",
        "Sector B",
        "Kinds",
        "Source",
    ]
    by_id = {p.id: p for p in network.people}
    graph = build_graph(network.people, network.shown_ties)
    edges = sorted(graph.edges(data=True), key=lambda e: (by_id[e[0]].name, by_id[e[1]].name))
    rows = []
    for a_id, b_id, data in edges:
        a, b = by_id[a_id], by_id[b_id]
        kinds = data.get("kinds", ())
        rows.append(
            [
                a.name,
                a.organisation or "",
                sector_label(a.sector),
                b.name,
                b.organisation or "",
                sector_label(b.sector),
                _kinds(kinds),
                _sources(kinds),
            ]
        )
    return downloads.csv_text(headers, rows)


def graphml(network: CohortNetwork) -> bytes:
    """The network as GraphML (opens in Gephi): people with organisation, sector and place.

    Every text passes `xml_safe`, so the file is valid XML whatever was stored in a name.
    """
    graph = build_graph(network.people, network.shown_ties)
    import networkx as nx  # here, not at import: see leaders/network/__init__.py

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
        kinds = data.get("kinds", ())
        clean.add_edge(
            a, b, kinds=_kinds(kinds), source=_sources(kinds), weight=data.get("weight", 1)
        )
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
    #: Staff who have not joined yet (see the module docstring): not in the figures above.
    not_joined: int


def staff_summary(access: CohortAccess, network: CohortNetwork) -> StaffSummary:
    """Reported ties only; staff who have not joined yet are counted apart."""
    staff_ids = {p.user_id for p in cohort_members(access) if p.role.value == "learner"}
    waiting = staff_ids & {p.id for p in network.not_joined}
    staff_ids -= waiting
    ties = network.ties
    by_id = {p.id: p for p in network.people}
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
    return StaffSummary(
        len(staff_ids), len(own), crossing, len(sectors), len(staff_ids - outside), len(waiting)
    )
