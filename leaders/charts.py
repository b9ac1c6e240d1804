"""Figures drawn as a bar chart with a table beside it (components/charts.html): labels with how
many and what share. The dashboard and the impact report count their mixes the same way."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Count:
    label: str
    count: int
    percent: int


def percent(part: int, whole: int) -> int:
    """`part` as a whole-number percentage of `whole` (0 when there is no whole)."""
    return round(100 * part / whole) if whole else 0


def counts(values: Iterable[str], total: int) -> list[Count]:
    """Each label with how many times it occurs and its share of `total`: largest first, then by
    label."""
    found = Counter(values)
    return [
        Count(label, n, percent(n, total))
        for label, n in sorted(found.items(), key=lambda item: (-item[1], item[0]))
    ]
