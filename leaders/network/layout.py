"""Where to draw each person when the network is shown as an SVG, and the sector colours.

The layout is the Fruchterman-Reingold spring layout that networkx's `spring_layout` uses (ties
pull people together, everyone pushes everyone apart, and each step is capped by a cooling
"temperature"), written here in plain Python: every networkx layout needs numpy, which the project
does not depend on. Starting points come from `random.Random(seed)` in person-id order, so the
same people, ties and seed give the same picture, to the decimal place, on every machine. It is
O(n^2) per step, fine for a cohort or a programme of a few hundred people.

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

import math
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import networkx as nx

from leaders.network.graph import Person, Tie, build_graph

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

# The same labels as leaders.organisations.models.SECTOR_LABELS (a test keeps them in step);
# copied because this package must not import the database models.
SECTOR_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "local_government": "Local government",
        "nhs": "NHS",
        "police": "Police",
        "fire_and_rescue": "Fire and rescue",
        "education": "Education",
        "combined_authority": "Combined authority",
        "central_government": "Central government",
        "voluntary_and_community": "Voluntary and community",
        "business": "Business",
        "other": "Other",
    }
)

_ITERATIONS = 50
_MIN_DISTANCE = 0.01


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
        LegendEntry(key, SECTOR_LABELS[key], colour)
        for key, colour in SECTOR_COLOURS.items()
        if wanted is None or key in wanted
    ]
    if wanted is None or any(s is None or s not in SECTOR_COLOURS for s in wanted):
        entries.append(LegendEntry(None, UNKNOWN_SECTOR_LABEL, UNKNOWN_SECTOR_COLOUR))
    return entries


def _spring(graph: nx.Graph, seed: int) -> dict[int, tuple[float, float]]:
    """Fruchterman-Reingold in the unit square, as networkx's `_fruchterman_reingold` does it."""
    nodes = list(graph)
    n = len(nodes)
    rng = random.Random(seed)
    xs = [rng.random() for _ in nodes]
    ys = [rng.random() for _ in nodes]
    index = {node: i for i, node in enumerate(nodes)}
    weight: dict[tuple[int, int], float] = {}
    for a, b, data in graph.edges(data=True):
        i, j = sorted((index[a], index[b]))
        weight[(i, j)] = float(data["weight"])
    k = math.sqrt(1.0 / n)
    temperature = max(max(xs) - min(xs), max(ys) - min(ys)) * 0.1
    cooling = temperature / (_ITERATIONS + 1)
    for _ in range(_ITERATIONS):
        dx = [0.0] * n
        dy = [0.0] * n
        for i in range(n):
            xi, yi = xs[i], ys[i]
            for j in range(i + 1, n):
                ddx, ddy = xi - xs[j], yi - ys[j]
                distance = max(math.hypot(ddx, ddy), _MIN_DISTANCE)
                pull = weight.get((i, j), 0.0)
                force = k * k / (distance * distance) - pull * distance / k
                dx[i] += ddx * force
                dy[i] += ddy * force
                dx[j] -= ddx * force
                dy[j] -= ddy * force
        for i in range(n):
            length = max(math.hypot(dx[i], dy[i]), _MIN_DISTANCE)
            xs[i] += dx[i] * temperature / length
            ys[i] += dy[i] * temperature / length
        temperature -= cooling
    return {node: (xs[i], ys[i]) for i, node in enumerate(nodes)}


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

    Positions are rounded to one decimal place, and listed in person-id order.
    """
    if width <= 2 * margin or height <= 2 * margin:
        raise ValueError(f"The box must be larger than twice the margin ({margin}) each way")
    graph = build_graph(people, ties)
    if not graph:
        return []
    spring = _spring(graph, seed)
    nodes = list(spring)
    xs = _fit([spring[n][0] for n in nodes], margin, width - margin)
    ys = _fit([spring[n][1] for n in nodes], margin, height - margin)
    return [
        NodePosition(
            id=node,
            name=graph.nodes[node]["name"],
            sector=graph.nodes[node]["sector"],
            x=round(x, 1),
            y=round(y, 1),
            colour=sector_colour(graph.nodes[node]["sector"]),
        )
        for node, x, y in zip(nodes, xs, ys, strict=True)
    ]
