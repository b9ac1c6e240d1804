"""How the cohort's network changed between its first and last survey waves: reported ties only.

The figures are leaders/network's (metrics.py defines them: crossing organisations and sectors,
Krackhardt's E-I index by sector, isolates, brokers by betweenness). Ties the programme made
(shared learning sets) never enter them. The two diagrams share one layout, worked out from the
ties of both waves together, so everyone stands in the same place in both and only the ties move.

People are never named here: the diagrams' nodes carry no names, and brokers are described by
sector alone. An organisation lead gets `StaffChange`: counts about their own staff only.
"""

from __future__ import annotations

from dataclasses import dataclass

from leaders.cohorts.access import CohortAccess
from leaders.cohorts.services import people as cohort_people
from leaders.network import services
from leaders.network.cohort_network import membership
from leaders.network.graph import Person, Tie, build_graph, tie_key
from leaders.network.layout import LegendEntry, NodePosition, layout, sector_legend
from leaders.network.metrics import Change, NetworkMetrics, compare, network_metrics
from leaders.network.models import SurveyWave, WaveName
from leaders.organisations.sectors import sector_label

WIDTH, HEIGHT = 360, 300


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    new: bool


@dataclass(frozen=True)
class Diagram:
    title: str
    nodes: list[NodePosition]
    lines: list[Line]

    @property
    def new_lines(self) -> int:
        return sum(1 for line in self.lines if line.new)


@dataclass(frozen=True)
class BrokerRow:
    sector: str
    score: float


@dataclass(frozen=True)
class NetworkChange:
    before_label: str
    after_label: str
    before: NetworkMetrics
    after: NetworkMetrics
    change: Change
    new_cross_organisation: int
    #: People with no tie outside their organisation at the first wave who have one at the last.
    isolates_connected: int
    brokers: list[BrokerRow]
    diagrams: tuple[Diagram, Diagram]
    legend: list[LegendEntry]


@dataclass(frozen=True)
class StaffChange:
    """An organisation lead's view: their own staff's ties, counted, between the two waves."""

    staff: int
    ties_before: int
    ties_after: int
    new_ties: int
    new_cross_organisation: int
    isolates_connected: int


@dataclass(frozen=True)
class NetworkSection:
    #: The survey waves held; the change needs two.
    waves: int
    change: NetworkChange | None
    staff: StaffChange | None


def _label(wave: SurveyWave) -> str:
    return WaveName(wave.name).label


def _crosses(by_id: dict[int, Person], key: tuple[int, int]) -> bool:
    a, b = by_id[key[0]], by_id[key[1]]
    return a.organisation is None or b.organisation is None or a.organisation != b.organisation


def _diagram(title: str, at: dict[int, NodePosition], keys, new: set) -> Diagram:
    lines = [
        Line(at[a].x, at[a].y, at[b].x, at[b].y, (a, b) in new)
        for a, b in sorted(keys)
        if a in at and b in at
    ]
    # New ties drawn last, on top.
    return Diagram(title, list(at.values()), sorted(lines, key=lambda line: line.new))


def _staff(
    staff_ids: set[int], by_id: dict[int, Person], before: NetworkMetrics, after: NetworkMetrics
) -> StaffChange:
    def mine(keys) -> set[tuple[int, int]]:
        return {k for k in keys if set(k) & staff_ids}

    new = mine(after.tie_keys) - mine(before.tie_keys)
    connected = (set(before.isolates) - set(after.isolates)) & staff_ids
    return StaffChange(
        len(staff_ids & set(by_id)),
        len(mine(before.tie_keys)),
        len(mine(after.tie_keys)),
        len(new),
        sum(1 for k in new if _crosses(by_id, k)),
        len(connected),
    )


def network_section(access: CohortAccess, staff_ids: set[int] | None = None) -> NetworkSection:
    """The change from the first survey wave to the last; `staff_ids` for an organisation lead.

    With fewer than two waves there is no change to report (the section says so).
    """
    cohort_id = access.cohort.id
    waves = services.waves(cohort_id)
    if len(waves) < 2:
        return NetworkSection(len(waves), None, None)
    people, _waiting = membership(cohort_id)
    # Closed (erased) accounts are in no figure of the report, as on the dashboard.
    taking_part = {
        p.user_id for p in cohort_people(CohortAccess(access.cohort, None, True), taking_part=True)
    }
    people = [p for p in people if p.id in taking_part]
    by_id = {p.id: p for p in people}
    first, last = waves[0], waves[-1]
    ties_before: list[Tie] = services.wave_ties(first)
    ties_after: list[Tie] = services.wave_ties(last)
    before = network_metrics(people, ties_before)
    after = network_metrics(people, ties_after)
    change = compare(before, after)
    if staff_ids is not None:
        return NetworkSection(len(waves), None, _staff(staff_ids, by_id, before, after))
    positions = layout(people, ties_before + ties_after, WIDTH, HEIGHT, margin=16)
    at = {p.id: p for p in positions}
    new = set(change.new_tie_keys)
    graph = build_graph(people, ties_after)
    brokers = [
        BrokerRow(sector_label(graph.nodes[b.id]["sector"], "Sector not recorded"), b.score)
        for b in after.brokers
    ]
    return NetworkSection(
        len(waves),
        NetworkChange(
            _label(first),
            _label(last),
            before,
            after,
            change,
            sum(1 for k in new if _crosses(by_id, tie_key(*k))),
            len(set(before.isolates) - set(after.isolates)),
            brokers,
            (
                _diagram(_label(first), at, before.tie_keys, set()),
                _diagram(_label(last), at, after.tie_keys, new),
            ),
            sector_legend({p.sector for p in people}),
        ),
        None,
    )
