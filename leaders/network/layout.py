"""Where to draw each person when the network is shown as an SVG, and the sector colours.

The layout is networkx's `spring_layout` (Fruchterman-Reingold: ties pull people together, everyone
pushes everyone apart), seeded, so the same people, ties and seed give the same picture. It is
computed once per **network version** (`network_version`: a hash of the person ids and the tied
pairs with their weights, the only inputs the layout reads) and kept in a small in-process LRU
cache, so a page view on an unchanged network does not recompute it. Names and sectors are not
part of the version: renaming someone or changing their organisation moves nobody. From 500
people networkx switches to its sparse solver, which uses scipy.

Sector colours come from the GOV.UK Design System colour palette. Each has a contrast of at least
3:1 against white (WCAG 2.2 non-text contrast, 1.4.11) and they are at least 20 apart (CIE76
delta E) from each other. Colour is never the only cue (WCAG 1.4.1): pages show the legend
from `sector_legend()` and a table of the same data.

| sector | colour | name in the GOV.UK palette | contrast on white |
|---|---|---|---|
| local_government | #1d70b8 | blue | 5.2:1 |
| nhs | #00703c | green | 6.2:1 |
| police | #003078 | dark blue | 12.4:1 |
| fire_and_rescue | #d4351c | red | 4.9:1 |
| education | #b35900 | (darkened orange) | 4.8:1 |
| combined_authority | #4c2c92 | purple | 10.1:1 |
| central_government | #912b88 | bright purple | 7.2:1 |
| voluntary_and_community | #d53880 | pink | 4.5:1 |
| business | #28a197 | turquoise | 3.2:1 |
| other | #505a5f | dark grey | 7.1:1 |
| not recorded | #0b0c0c | black | 19.6:1 |
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

from leaders.network.graph import Person, Tie, pair_kinds
from leaders.network.lru import LRU
from leaders.organisations.sectors import Sector

if TYPE_CHECKING:
    import networkx as nx

SECTOR_COLOURS: Mapping[str, str] = MappingProxyType(
    {
        "local_government": "#1d70b8",
        "nhs": "#00703c",
        "police": "#003078",
        "fire_and_rescue": "#d4351c",
        "education": "#b35900",
        "combined_authority": "#4c2c92",
        "central_government": "#912b88",
        "voluntary_and_community": "#d53880",
        "business": "#28a197",
        "other": "#505a5f",
    }
)
#: For people with no sector recorded, or a sector this palette does not know.
UNKNOWN_SECTOR_COLOUR = "#0b0c0c"
UNKNOWN_SECTOR_LABEL = "Sector not recorded"

_ITERATIONS = 50
#: How many layouts the process keeps (one per network version, box and seed).
CACHE_SIZE = 128


@dataclass(frozen=True)
class NodePosition:
    """One person's point in the box, in SVG user units (origin top left)."""

    id: int
    name: str
    sector: str | None
    x: float
    y: float
    colour: str


@dataclass(frozen=True)
class LegendEntry:
    """One row of the colour key."""

    sector: str | None
    label: str
    colour: str


def sector_colour(sector: str | None) -> str:
    """The colour for a sector key, or the 'not recorded' colour."""
    return SECTOR_COLOURS.get(sector or "", UNKNOWN_SECTOR_COLOUR)


def sector_legend(sectors: Iterable[str | None] | None = None) -> list[LegendEntry]:
    """The colour key, in the taxonomy's order; only `sectors` (if given) and 'not recorded' last."""
    wanted = None if sectors is None else set(sectors)
    entries = [
        LegendEntry(key, Sector(key).label, colour)
        for key, colour in SECTOR_COLOURS.items()
        if wanted is None or key in wanted
    ]
    if wanted is None or any(s is None or s not in SECTOR_COLOURS for s in wanted):
        entries.append(LegendEntry(None, UNKNOWN_SECTOR_LABEL, UNKNOWN_SECTOR_COLOUR))
    return entries


def network_version(graph: nx.Graph) -> str:
    """What the layout depends on, as a short hash: the person ids and each tied pair's weight.

    `build_graph` adds nodes and edges in a fixed order, but the hash sorts them anyway so that it
    never depends on the order records came in.
    """
    edges = sorted(
        (min(a, b), max(a, b), int(data.get("weight", 1))) for a, b, data in graph.edges(data=True)
    )
    return _version(sorted(graph), edges)


def pairs_version(ids: Iterable[int], pairs: Mapping[tuple[int, int], frozenset[str]]) -> str:
    """`network_version` of the graph of these people and `pair_kinds` pairs, without the graph."""
    return _version(sorted(ids), sorted((a, b, len(kinds)) for (a, b), kinds in pairs.items()))


def _version(nodes: list[int], edges: list[tuple[int, int, int]]) -> str:
    return hashlib.sha256(repr((nodes, edges)).encode()).hexdigest()[:32]


class LayoutCache(LRU[tuple[str, int], dict[int, tuple[float, float]]]):
    """Unit-square positions keyed on (version, seed). `computed` counts the layouts actually
    computed (cache misses), so a test can tell that a second page view on the same network
    reused the first one's picture."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        super().__init__(size)

    def positions(self, graph: nx.Graph, seed: int) -> dict[int, tuple[float, float]]:
        return self.positions_for(network_version(graph), seed, lambda: graph)

    def positions_for(
        self, version: str, seed: int, graph: Callable[[], nx.Graph]
    ) -> dict[int, tuple[float, float]]:
        """The positions for this network version; `graph` is called to lay it out on a miss."""
        return self.get_or_make((version, seed), lambda: _spring(graph(), seed))


#: The process's layouts (each worker keeps its own).
cache = LayoutCache()


def _spring(graph: nx.Graph, seed: int) -> dict[int, tuple[float, float]]:
    """networkx's spring layout, ties weighted by their number of kinds."""
    import networkx as nx  # here, not at import: see leaders/network/__init__.py

    found = nx.spring_layout(graph, weight="weight", iterations=_ITERATIONS, seed=seed)
    return {int(node): (float(x), float(y)) for node, (x, y) in found.items()}


def _fit(values: list[float], low: float, high: float) -> list[float]:
    smallest, largest = min(values), max(values)
    if largest - smallest < 1e-12:
        return [(low + high) / 2] * len(values)
    return [low + (v - smallest) / (largest - smallest) * (high - low) for v in values]


def layout(
    people: Iterable[Person],
    ties: Iterable[Tie],
    width: float = 800,
    height: float = 600,
    seed: int = 1,
    margin: float = 40,
) -> list[NodePosition]:
    """A position for every person inside `width` x `height`, at least `margin` from each edge.

    Positions are rounded to one decimal place, and listed in person-id order. The spring layout
    itself comes from `cache` when this network version was laid out before.
    """
    people = list(people)
    return layout_pairs(people, pair_kinds(people, ties), width, height, seed, margin)


def layout_pairs(
    people: Iterable[Person],
    pairs: Mapping[tuple[int, int], frozenset[str]],
    width: float = 800,
    height: float = 600,
    seed: int = 1,
    margin: float = 40,
) -> list[NodePosition]:
    """`layout`, from the pairs `pair_kinds` gives: a page that has them builds a graph only when
    this network version is not cached (the graph `build_graph` would make, as the layout reads it:
    nodes in id order, edges in key order, weighted by their number of kinds)."""
    if width <= 2 * margin or height <= 2 * margin:
        raise ValueError(f"The box must be larger than twice the margin ({margin}) each way")
    by_id = {p.id: p for p in people}
    if not by_id:
        return []
    nodes = sorted(by_id)

    def graph() -> nx.Graph:
        import networkx as nx  # here, not at import: see leaders/network/__init__.py

        made = nx.Graph()
        made.add_nodes_from(nodes)
        for (a, b), kinds in pairs.items():
            made.add_edge(a, b, kinds=kinds, weight=len(kinds))
        return made

    spring = cache.positions_for(pairs_version(nodes, pairs), seed, graph)
    xs = _fit([spring[n][0] for n in nodes], margin, width - margin)
    ys = _fit([spring[n][1] for n in nodes], margin, height - margin)
    return [
        NodePosition(
            id=node,
            name=by_id[node].name,
            sector=by_id[node].sector,
            x=round(x, 1),
            y=round(y, 1),
            colour=sector_colour(by_id[node].sector),
        )
        for node, x, y in zip(nodes, xs, ys, strict=True)
    ]
