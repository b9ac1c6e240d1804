"""A bounded, thread-safe least-recently-used store of worked-out results, for the network's
layouts and figures (each keyed on a version of exactly what it was worked out from).

Why not functools.lru_cache: its key is the call's arguments, and these results are keyed on a
hash of their inputs (the inputs themselves are large and unhashable), and the pages' tests need
to know how many results were actually worked out (`computed`), not only hits and misses overall.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class LRU(Generic[K, V]):
    """At most `size` results; the least recently used goes first."""

    def __init__(self, size: int) -> None:
        self.size = size
        #: How many results were worked out (misses), since made or cleared.
        self.computed = 0
        self._entries: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_make(self, key: K, make: Callable[[], V]) -> V:
        """The result kept for `key`, or `make()`'s, kept. `make` runs outside the lock: two
        threads missing the same key at once both work it out, and one result is kept."""
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        found = make()
        with self._lock:
            self.computed += 1
            self._entries[key] = found
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return found

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.computed = 0

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[K]:
        with self._lock:
            return iter(list(self._entries))
