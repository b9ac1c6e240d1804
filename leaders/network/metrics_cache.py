"""The network's figures, worked out once per version of what they read, and kept in-process.

`network_metrics` is a pure function of the people as the figures read them (id; name, which
breaks ties between brokers; organisation; sector; place) and of the tied pairs (a pair's kinds
count in no figure). `metrics_version` hashes exactly those, so a second view of an unchanged
network reuses the first one's figures (betweenness and constraint were a third of the page for
300 people), and anything that could change a figure gives a new version and fresh figures: a new
or removed tie or survey answer, someone joining the network, a rename, a move to another
organisation. As with the layout (leaders/network/layout.py) the cache is a small LRU, bounded
(`CACHE_SIZE`) and thread-safe; each worker keeps its own. What it returns is immutable
(`NetworkMetrics` is frozen, its collections tuples, frozensets and read-only mappings), so
requests can share it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from leaders.network.graph import Person, Tie, tie_key
from leaders.network.lru import LRU
from leaders.network.metrics import NetworkMetrics, network_metrics

#: How many versions' figures the process keeps (a page shows one or two: a wave and the one
#: before). The figures for 300 people and 2,500 ties hold about 340 KB (their tie keys), so a
#: full cache of cohorts that size is about 11 MB per worker.
CACHE_SIZE = 32


def metrics_version(people: Iterable[Person], pairs: Iterable[tuple[int, int]]) -> str:
    """What the figures depend on, as a short hash: each person's fields and the tied pairs among
    them (each pair once, smaller id first; self-ties and pairs with someone not listed left out,
    as the figures leave them out)."""
    rows = sorted((p.id, p.name, p.organisation, p.sector, p.place) for p in people)
    ids = {row[0] for row in rows}
    keys = sorted({tie_key(a, b) for a, b in pairs if a != b and a in ids and b in ids})
    return hashlib.sha256(repr((rows, keys)).encode()).hexdigest()[:32]


class MetricsCache(LRU[str, NetworkMetrics]):
    """`NetworkMetrics` keyed on `metrics_version`. `computed` counts the figures actually worked
    out (cache misses), so a test can tell that a second page view on the same network reused the
    first one's."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        super().__init__(size)

    def metrics(self, people: Iterable[Person], ties: Iterable[Tie]) -> NetworkMetrics:
        """`network_metrics(people, ties)`, from the cache when this version was measured before."""
        people, ties = list(people), list(ties)
        key = metrics_version(people, ((t.a, t.b) for t in ties))
        return self.get_or_make(key, lambda: network_metrics(people, ties))


#: The process's figures (each worker keeps its own).
cache = MetricsCache()


def cached_metrics(people: Iterable[Person], ties: Iterable[Tie]) -> NetworkMetrics:
    """The figures for this network, worked out only if this version was not measured before."""
    return cache.metrics(people, ties)
