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
  unweighted shortest paths, as networkx defines it), ties broken by name; people with a score of
  0 are never listed. Each broker also carries **Burt's constraint** (0 to 1; low means their ties
  reach into parts of the network that are not tied to each other: a structural hole they span).
- Betweenness and constraint come from **igraph** (C), not networkx: on a programme of 10,000
  people and 100,000 ties networkx needs minutes for exact betweenness and igraph about 10 s, with
  constraint in 0.03 s (measured on this 2-core machine, loaded). rustworkx was measured too: its
  exact betweenness took longer than igraph's, and it has neither sampled sources nor constraint.
  tests/network/test_metrics_igraph.py checks that both agree with networkx on small graphs.
  Betweenness costs about one breadth-first search per source person, counted as
  sources x (4 x people + ties). It is exact while that is at most `BETWEENNESS_WORK_LIMIT` for
  every person as a source (any cohort; a programme of 1,000 people and 10,000 ties). Above that it
  is estimated from a fixed, seeded sample of source people sized to the same work (about 280 for
  10,000 people and 100,000 ties): the same sources networkx's `betweenness_centrality(k=…, seed=…)`
  would draw, scaled as networkx scales them, so the estimate is the same every time.
  `bench/network.py` states its error against the exact figure. `NetworkMetrics.betweenness_sample`
  says which happened, so a page can say "estimated".
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import igraph

from leaders.network.graph import Person, Tie, pair_kinds, tie_key

#: Work (sources x (4 x people + ties)) up to which betweenness is exact; above it, the estimate's.
#: About 0.4 s of igraph on a 2-core machine.
BETWEENNESS_WORK_LIMIT = 40_000_000
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
    #: Burt's constraint, 0 to 1: low when their contacts are not tied to each other.
    constraint: float | None = None


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


@dataclass(frozen=True)
class FastGraph:
    """The network as the figures need it: people in id order, each pair with a tie once, in igraph.

    The same nodes and edges as `build_graph` (self-ties and ties to people not in the network
    left out), without building a networkx graph: at 10,000 people and 100,000 ties that took
    half of the time the figures need.
    """

    people: Sequence[Person]
    keys: Sequence[tuple[int, int]]
    graph: igraph.Graph

    @property
    def order(self) -> list[int]:
        return [p.id for p in self.people]


def fast_graph(people: Iterable[Person], ties: Iterable[Tie]) -> FastGraph:
    import igraph  # here, not at import: see leaders/network/__init__.py

    by_id = {p.id: p for p in people}
    ordered = [by_id[i] for i in sorted(by_id)]
    keys = sorted({tie_key(t.a, t.b) for t in ties if t.a != t.b and t.a in by_id and t.b in by_id})
    position = {p.id: i for i, p in enumerate(ordered)}
    graph = igraph.Graph(n=len(ordered), edges=[(position[a], position[b]) for a, b in keys])
    return FastGraph(ordered, keys, graph)


def _betweenness(fast: FastGraph) -> tuple[dict[int, float], int | None]:
    """Normalised betweenness as networkx defines it: exact, or from a seeded sample of sources."""
    order = fast.order
    nodes, edges = len(order), len(fast.keys)
    if nodes < 3:
        return dict.fromkeys(order, 0.0), None
    per_source = 4 * nodes + edges
    if nodes * per_source <= BETWEENNESS_WORK_LIMIT:
        raw = fast.graph.betweenness(directed=False)
        scale = 2 / ((nodes - 1) * (nodes - 2))
        return {node: raw[i] * scale for i, node in enumerate(order)}, None
    sample = min(nodes, max(50, BETWEENNESS_WORK_LIMIT // per_source))
    # The sources networkx would draw for k=sample, seed=BETWEENNESS_SEED (in node order).
    chosen = random.Random(BETWEENNESS_SEED).sample(range(nodes), sample)
    raw = fast.graph.betweenness(directed=False, sources=chosen)
    # networkx's rescaling when sampling without endpoints: a source is never on its own paths.
    as_source = set(chosen)
    scale_source = 2 / ((sample - 1) * (nodes - 2)) if sample > 1 else 0.0
    scale_other = 2 / (sample * (nodes - 2))
    return {
        node: raw[i] * (scale_source if i in as_source else scale_other)
        for i, node in enumerate(order)
    }, sample


def _constraint(fast: FastGraph) -> dict[int, float | None]:
    """Burt's constraint per person (unweighted, as networkx's `constraint`); None with no ties."""
    values = fast.graph.constraint()
    return {node: None if math.isnan(v) else v for node, v in zip(fast.order, values, strict=True)}


def _brokers(
    people: Mapping[int, Person], scores: dict[int, float], constraint: Mapping[int, float | None]
) -> tuple[Broker, ...]:
    # Rounded so that people with mathematically equal scores tie exactly and go by name.
    ranked = sorted(
        (node for node, score in scores.items() if score > 0),
        key=lambda node: (-round(scores[node], 12), people[node].name, node),
    )
    return tuple(
        Broker(node, people[node].name, scores[node], constraint.get(node))
        for node in ranked[:BROKER_COUNT]
    )


def network_metrics(people: Iterable[Person], ties: Iterable[Tie]) -> NetworkMetrics:
    """Measure the network of `people` joined by `ties` (see the module docstring)."""
    fast = fast_graph(people, ties)
    by_id = {p.id: p for p in fast.people}
    cross_organisation = 0
    within_sector = 0
    cross_sector: set[tuple[int, int]] = set()
    bridged: set[int] = set()
    for key in fast.keys:
        a, b = by_id[key[0]], by_id[key[1]]
        if _crosses_organisations(a.organisation, b.organisation):
            cross_organisation += 1
            bridged.update(key)
        relation = _sector_relation(a.sector, b.sector)
        if relation is True:
            cross_sector.add(key)
        elif relation is False:
            within_sector += 1

    tie_count = len(fast.keys)
    people_count = len(fast.people)
    external, internal = len(cross_sector), within_sector
    classified = external + internal
    components = [len(c) for c in fast.graph.connected_components()] if people_count else []
    scores, sample = _betweenness(fast)
    possible = people_count * (people_count - 1) / 2
    return NetworkMetrics(
        people=people_count,
        ties=tie_count,
        density=tie_count / possible if possible else 0.0,
        cross_organisation_share=cross_organisation / tie_count if tie_count else None,
        cross_sector_share=external / classified if classified else None,
        ei_index=(external - internal) / classified if classified else None,
        components=len(components),
        largest_component=max(components, default=0),
        isolates=tuple(node for node in fast.order if node not in bridged),
        brokers=_brokers(by_id, scores, _constraint(fast)),
        degree=MappingProxyType(dict(zip(fast.order, fast.graph.degree(), strict=True))),
        betweenness_sample=sample,
        tie_keys=frozenset(fast.keys),
        cross_sector_tie_keys=frozenset(cross_sector),
    )


def _attribute_network(
    people: Iterable[Person], ties: Iterable[Tie], attribute: str
) -> list[tuple[str, str, int]]:
    people = list(people)
    return attribute_network(people, pair_kinds(people, ties), attribute)


def attribute_network(
    people: Iterable[Person], pairs: Iterable[tuple[int, int]], attribute: str
) -> list[tuple[str, str, int]]:
    """`organisation_network` or `place_network` (`attribute`), from the pairs `pair_kinds` gives."""
    value = {p.id: getattr(p, attribute) for p in people}
    weights: Counter[tuple[str, str]] = Counter()
    for a, b in pairs:
        x, y = value[a], value[b]
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
