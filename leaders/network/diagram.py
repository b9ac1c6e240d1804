"""The cohort network diagram's SVG markup, and each person's "tied to" list, made in Python.

A cohort of 300 has thousands of ties. Drawn as one Jinja `<line>` each (four attribute look-ups
and a test per tie), and with the "tied to" lists gathered and sorted by the template, they were
most of the page's time (bench/network.py, `page_300_ms`). Here each layer of ties is one SVG
`<path>`, a move and a line per tie: within a sector, across sectors, and the programme's
learning-set pairs (dashed, drawn first so reported ties sit on top). The styles are the page's
`app-network__tie` classes; `fill="none"` because a path, unlike a line, would be filled.

The only text in the markup is people's names, in each circle's `<title>`: they pass
`leaders.text.visible` and are escaped by markupsafe, as the template's `{{ }}` would do. The
diagram stays what it was for assistive technology: one image (`role="img"`) with a description,
the table beside it carrying the same data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from leaders.text import visible

if TYPE_CHECKING:
    from leaders.network.cohort_network import Edge
    from leaders.network.layout import NodePosition

TIE = "app-network__tie"
CROSS = "app-network__tie app-network__tie--cross"
PROGRAMME = "app-network__tie app-network__tie--programme"


def crosses_sectors(edge: Edge) -> bool:
    """Drawn as a tie across sectors: the two people's sectors differ (as the page always drew)."""
    return edge.a.sector != edge.b.sector


def _path(css_class: str, edges: Sequence[Edge]) -> str:
    if not edges:
        return ""
    d = "".join(f"M{e.a.x} {e.a.y}L{e.b.x} {e.b.y}" for e in edges)
    return f'<path class="{css_class}" fill="none" d="{d}"/>'


def ties_markup(edges: Iterable[Edge], programme: Sequence[Edge] = ()) -> Markup:
    """The ties as at most three paths: programme pairs (if given), within sectors, across."""
    edges = list(edges)
    within = [e for e in edges if not crosses_sectors(e)]
    across = [e for e in edges if crosses_sectors(e)]
    markup = _path(PROGRAMME, programme) + _path(TIE, within) + _path(CROSS, across)
    return Markup(markup)  # noqa: S704 (our classes and numbers only: no text)


def people_markup(positions: Iterable[NodePosition], numbers: Mapping[int, int]) -> Markup:
    """One group per person: their number in a ring of their sector's colour, their name as title."""
    return Markup(  # noqa: S704 (numbers, and names escaped here)
        "".join(
            f'<g class="app-network__person"><title>{numbers[p.id]}. {escape(visible(p.name))}'
            f'</title><circle cx="{p.x}" cy="{p.y}" r="15" stroke="{escape(p.colour)}"/>'
            f'<text x="{p.x}" y="{p.y}" dy="0.35em" text-anchor="middle">{numbers[p.id]}</text></g>'
            for p in positions
        )
    )


def tied_names(edges: Iterable[Edge]) -> dict[int, str]:
    """Each person's ties on the diagram, as names sorted ignoring case (as Jinja's `sort`), joined
    with commas. Plain text: the template escapes it when it prints it."""
    names: dict[int, list[str]] = {}
    for e in edges:
        names.setdefault(e.a.id, []).append(e.b.name)
        names.setdefault(e.b.id, []).append(e.a.name)
    return {person: ", ".join(sorted(found, key=str.lower)) for person, found in names.items()}
