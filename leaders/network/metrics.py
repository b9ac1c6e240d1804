"""What the cohort network looks like, in figures a programme manager can act on.

Figures networkx has (density, components, betweenness) come from networkx. Definitions:

- A tie **crosses organisations** when its two people work for different bodies. Someone with no
  organisation recorded counts as a body of their own, so their ties always cross.
- A tie **crosses sectors** when both people have a sector recorded and the sectors differ; a tie
  where either sector is missing is left out of the sector figures (share and E-I index) rather
  than guessed, so those two figures describe the ties whose sectors are known.
- **Krackhardt's E-I index** by sector is (E - I) / (E + I), with E the ties between sectors and I
  the ties within one: -1 when every tie stays inside a sector (bonding), +1 when every tie
  crosses (bridging, in the sense of Hoppe and Reinelt, 2010). None when there is nothing to count.
- An **isolate** is someone with no tie outside their own organisation: no ties at all, or ties
  only with colleagues. That is the group the programme exists to connect.
- **Brokers** are the (at most) five people with the highest betweenness centrality (normalised,
  unweighted shortest paths), ties broken by name; people with a score of 0 are never listed.
  Betweenness costs about one breadth-first search per source person, so its work is counted as
  sources x (4 x people + ties) (each person visited costs networkx about four times a tie). It is
  exact while that is at most `BETWEENNESS_WORK_LIMIT` for every person as a source (about 0.6 s
  on a 2-core machine: any cohort of 60, 150 people with 12,000 ties, 300 with 5,000). Above that
  it is estimated from a fixed, seeded sample of source people sized to the same work (142 for
  1,000 people and 10,000 ties), so that network is measured in about half a second, and the
  same every time. The estimate is rough where many people have nearly the same score: on four
  evenly knit synthetic networks of that size the five it named were all in the exact top 6%
  (most in the top 1%), but not always the exact top five. `NetworkMetrics.betweenness_sample`
  says which happened, so a page can say "estimated".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import networkx as nx

from leaders.network.graph import Person, Tie, build_graph, tie_key

#: Work (sources x (4 x people + ties)) up to which betweenness is exact; above it, the estimate's.
BETWEENNESS_WORK_LIMIT = 2_000_000
#: How many brokers to list.
BROKER_COUNT = 5
#: Seed for the sampled betweenness estimate, so the estimate is stable between page loads.
BETWEENNESS_SEED = 0

EXPLANATIONS: Mapping[str, str] = MappingProxyType(
    {
        "people": "People in the network: the cohort's learners who have joined (signed in) or whom someone has named in a reported tie.",
        "ties": "Ties: pairs of people who reported knowing each other (declared on their network page or in a survey), each pair counted once.",
        "density": "Density: the share of all possible ties between people that exist, from 0 (none) to 1 (everyone knows everyone).",
        "cross_organisation_share": "Share of ties that cross organisations: how much people know people outside their own body.",
        "cross_sector_share": "Share of ties that cross sectors: how far the programme is building bridging ties between public bodies.",
        "ei_index": "E-I index by sector: from -1 (all ties stay inside a sector) to +1 (all ties cross sectors); above 0 means more bridging than bonding.",
        "components": "Separate groups: clusters of people with no tie between them; 1 means everyone is connected, however indirectly.",
        "largest_component": "Largest group: how many people are connected to each other through a chain of ties.",
        "isolates": "People without a tie outside their own organisation: the people the programme most needs to connect.",
        "brokers": "Brokers: people who link otherwise separate parts of the network, so information and help flow through them.",
        "degree": "Ties per person: how many people each person knows in the network.",
        "new_ties": "New ties: pairs of people who know each other now but did not at the earlier survey.",
        "new_cross_sector_ties": "New ties across sectors: new bridging ties between people from different sectors.",
        "lost_ties": "Lost ties: pairs who knew each other at the earlier survey but no longer say so.",
        "density_change": "Change in density: how much more (or less) connected the cohort is than at the earlier survey.",
        "cross_sector_share_change": "Change in the share of ties across sectors: whether new ties are bridging sectors or staying inside them.",
    }
)

#: For each figure a page shows: what it means for a programme manager, and what it does not prove.
SO_WHAT: Mapping[str, str] = MappingProxyType(
    {
        "people": "So what: the figures describe these people only; anyone who has not joined yet is listed apart, not counted as unconnected.",
        "ties": "So what: a rising count means people are reporting more working relationships; it counts pairs, not how strong or useful each tie is.",
        "density": "So what: compare it between surveys of the same cohort to see the network knitting together; a big cohort is naturally less dense, so do not compare cohorts of different sizes by it.",
        "cross_organisation_share": "So what: the higher it is, the more people know colleagues in other bodies, which is what place-based work needs; it does not say those ties are active.",
        "cross_sector_share": "So what: a rising share means the programme is building bridges between sectors; it leaves out ties where a sector is not recorded, and does not show joint work.",
        "ei_index": "So what: above 0, people reach across sectors more than within them; it says nothing about whether the bridging ties are used.",
        "components": "So what: more than 1 means some groups have no route to the rest; a session or introduction across the gap is the obvious next step.",
        "largest_component": "So what: close to the number of people means almost everyone is reachable through someone they know; it does not mean they know each other directly.",
        "isolates": "So what: these people are the first to introduce to someone elsewhere; it is based on what people reported, so some may simply not have reported their ties yet.",
        "brokers": "So what: these people hold the network together and could help with introductions; losing one would split it. A high score is not a measure of performance.",
    }
)


@dataclass(frozen=True)
class Broker:
    """A person with high betweenness: many shortest paths between others pass through them."""

    id: int
    name: str
    score: float


@dataclass(frozen=True)
class NetworkMetrics:
    """The figures for one network (one cohort, one survey wave)."""

    people: int
    ties: int
    density: float
    cross_organisation_share: float | None
    cross_sector_share: float | None
    ei_index: float | None
    components: int
    largest_component: int
    isolates: tuple[int, ...]
    brokers: tuple[Broker, ...]
    degree: Mapping[int, int]
    #: None when betweenness is exact; otherwise the number of sampled source people.
    betweenness_sample: int | None
    #: Every tie, as (smaller id, larger id): what `compare` works from.
    tie_keys: frozenset[tuple[int, int]]
    #: The ties that cross sectors, in the same form.
    cross_sector_tie_keys: frozenset[tuple[int, int]]


@dataclass(frozen=True)
class Change:
    """What changed between two survey waves."""

    new_ties: int
    new_cross_sector_ties: int
    lost_ties: int
    density_before: float
    density_after: float
    density_change: float
    cross_sector_share_before: float | None
    cross_sector_share_after: float | None
    #: None when either wave has no ties whose sectors are known.
    cross_sector_share_change: float | None
    new_tie_keys: tuple[tuple[int, int], ...]
    new_cross_sector_tie_keys: tuple[tuple[int, int], ...]
    lost_tie_keys: tuple[tuple[int, int], ...]


def _crosses_organisations(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a != b


def _sector_relation(a: str | None, b: str | None) -> bool | None:
    """True between sectors, False within one, None when either is unknown."""
    if a is None or b is None:
        return None
    return a != b


def _betweenness(graph: nx.Graph) -> tuple[dict[int, float], int | None]:
    nodes, edges = graph.number_of_nodes(), graph.number_of_edges()
    per_source = 4 * nodes + edges
    if nodes * per_source <= BETWEENNESS_WORK_LIMIT:
        return nx.betweenness_centrality(graph), None
    sample = min(nodes, max(50, BETWEENNESS_WORK_LIMIT // per_source))
    return nx.betweenness_centrality(graph, k=sample, seed=BETWEENNESS_SEED), sample


def _brokers(graph: nx.Graph, scores: dict[int, float]) -> tuple[Broker, ...]:
    # Rounded so that people with mathematically equal scores tie exactly and go by name.
    ranked = sorted(
        (node for node, score in scores.items() if score > 0),
        key=lambda node: (-round(scores[node], 12), graph.nodes[node]["name"], node),
    )
    return tuple(
        Broker(node, graph.nodes[node]["name"], scores[node]) for node in ranked[:BROKER_COUNT]
    )


def network_metrics(people: Iterable[Person], ties: Iterable[Tie]) -> NetworkMetrics:
    """Measure the network of `people` joined by `ties` (see the module docstring)."""
    graph = build_graph(people, ties)
    nodes = graph.nodes
    cross_organisation = 0
    within_sector = 0
    cross_sector: set[tuple[int, int]] = set()
    bridged: set[int] = set()
    for a, b in graph.edges():
        if _crosses_organisations(nodes[a]["organisation"], nodes[b]["organisation"]):
            cross_organisation += 1
            bridged.update((a, b))
        relation = _sector_relation(nodes[a]["sector"], nodes[b]["sector"])
        if relation is True:
            cross_sector.add(tie_key(a, b))
        elif relation is False:
            within_sector += 1

    tie_count = graph.number_of_edges()
    external, internal = len(cross_sector), within_sector
    classified = external + internal
    components = [len(c) for c in nx.connected_components(graph)]
    scores, sample = _betweenness(graph)
    return NetworkMetrics(
        people=graph.number_of_nodes(),
        ties=tie_count,
        density=nx.density(graph),
        cross_organisation_share=cross_organisation / tie_count if tie_count else None,
        cross_sector_share=external / classified if classified else None,
        ei_index=(external - internal) / classified if classified else None,
        components=len(components),
        largest_component=max(components, default=0),
        isolates=tuple(sorted(node for node in graph if node not in bridged)),
        brokers=_brokers(graph, scores),
        degree=MappingProxyType(dict(graph.degree())),
        betweenness_sample=sample,
        tie_keys=frozenset(tie_key(a, b) for a, b in graph.edges()),
        cross_sector_tie_keys=frozenset(cross_sector),
    )


def _attribute_network(
    people: Iterable[Person], ties: Iterable[Tie], attribute: str
) -> list[tuple[str, str, int]]:
    graph = build_graph(people, ties)
    weights: Counter[tuple[str, str]] = Counter()
    for a, b in graph.edges():
        x, y = graph.nodes[a][attribute], graph.nodes[b][attribute]
        if x is None or y is None or x == y:
            continue
        weights[(x, y) if x < y else (y, x)] += 1
    return sorted(((x, y, w) for (x, y), w in weights.items()), key=lambda e: (-e[2], e[0], e[1]))


def organisation_network(
    people: Iterable[Person], ties: Iterable[Tie]
) -> list[tuple[str, str, int]]:
    """Organisations joined by the number of ties between their people, heaviest first.

    Ties within one organisation, and ties of people with no organisation recorded, are left out.
    Each pair of names is in alphabetical order.
    """
    return _attribute_network(people, ties, "organisation")


def place_network(people: Iterable[Person], ties: Iterable[Tie]) -> list[tuple[str, str, int]]:
    """Places joined by the number of ties between their people, heaviest first (as above)."""
    return _attribute_network(people, ties, "place")


def compare(
    before: NetworkMetrics | Iterable[Tie],
    after: NetworkMetrics | Iterable[Tie],
    people: Sequence[Person] | None = None,
) -> Change:
    """What changed from one survey wave to the next.

    Pass each wave as its `NetworkMetrics`, or as its ties together with `people` (then the
    metrics are worked out here). Whether a new tie crosses sectors is judged as at `after`.
    """
    if not isinstance(before, NetworkMetrics) or not isinstance(after, NetworkMetrics):
        if people is None:
            raise ValueError("Pass people to compare survey waves given as ties")
        if not isinstance(before, NetworkMetrics):
            before = network_metrics(people, before)
        if not isinstance(after, NetworkMetrics):
            after = network_metrics(people, after)
    new = after.tie_keys - before.tie_keys
    new_cross = new & after.cross_sector_tie_keys
    lost = before.tie_keys - after.tie_keys
    share_before, share_after = before.cross_sector_share, after.cross_sector_share
    return Change(
        new_ties=len(new),
        new_cross_sector_ties=len(new_cross),
        lost_ties=len(lost),
        density_before=before.density,
        density_after=after.density,
        density_change=after.density - before.density,
        cross_sector_share_before=share_before,
        cross_sector_share_after=share_after,
        cross_sector_share_change=(
            None if share_before is None or share_after is None else share_after - share_before
        ),
        new_tie_keys=tuple(sorted(new)),
        new_cross_sector_tie_keys=tuple(sorted(new_cross)),
        lost_tie_keys=tuple(sorted(lost)),
    )
