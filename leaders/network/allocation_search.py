"""The search of learning-set allocation: how a well-mixed split is found.

Pinned people go to their sets first; then the rest fill the sets greedily, largest
organisations first, each person into the open set where they add the least overlap
(`greedy_start`). Simulated annealing then improves the split by swaps of two unpinned people,
keeping the best split it sees (`anneal`). Swaps keep every size, so bounds and pins hold
throughout, and the same people, pins and seed give the same result.

`Search` keeps per-set counts so that the change a swap makes to the diversity score
(allocation_score.py) is worked out in constant time rather than by re-scoring every set.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Mapping, Sequence

from leaders.network.allocation_score import (
    PLACE_WEIGHT,
    SAME_ORGANISATION_PENALTY,
    SECTOR_WEIGHT,
)
from leaders.network.graph import Person

#: Annealing steps per person in the cohort: 60 people take about a quarter of a second.
STEPS_PER_PERSON = 1500
_START_TEMPERATURE = 2.0
_END_TEMPERATURE = 0.01


class Search:
    """Sets with per-set counts, so the effect of a swap is worked out in constant time."""

    def __init__(self, people: Sequence[Person], sizes: Sequence[int]) -> None:
        self.n_sets = len(sizes)
        self.members: list[list[Person]] = [[] for _ in sizes]
        self.orgs = [Counter[str]() for _ in sizes]
        self.sectors = [Counter[str]() for _ in sizes]
        self.places = [Counter[str]() for _ in sizes]
        cohort_sectors = len({p.sector for p in people} - {None})
        cohort_places = len({p.place for p in people} - {None})
        # Sizes never change during the search, so each set's best possible variety is fixed.
        self.sector_scale = [
            SECTOR_WEIGHT / self.n_sets / max(1, min(s, cohort_sectors)) for s in sizes
        ]
        self.place_scale = [
            PLACE_WEIGHT / self.n_sets / max(1, min(s, cohort_places)) for s in sizes
        ]

    def add(self, person: Person, index: int) -> None:
        self.members[index].append(person)
        for counter, value in self._keys(person, index):
            if value is not None:
                counter[value] += 1

    def remove(self, person: Person, index: int) -> None:
        self.members[index].remove(person)
        for counter, value in self._keys(person, index):
            if value is not None:
                counter[value] -= 1
                if not counter[value]:
                    del counter[value]

    def _keys(self, person: Person, index: int) -> tuple[tuple[Counter[str], str | None], ...]:
        return (
            (self.orgs[index], person.organisation),
            (self.sectors[index], person.sector),
            (self.places[index], person.place),
        )

    def overlap(self, person: Person, index: int) -> tuple[int, int, int]:
        """How many in set `index` share the person's organisation, sector and place."""
        return (
            self.orgs[index][person.organisation] if person.organisation is not None else 0,
            self.sectors[index][person.sector] if person.sector is not None else 0,
            self.places[index][person.place] if person.place is not None else 0,
        )

    def _half(self, out: Person, into: Person, index: int) -> float:
        """The change in score for set `index` when `out` leaves and `into` joins it."""
        change = 0.0
        if out.organisation != into.organisation:
            orgs = self.orgs[index]
            lost = orgs[out.organisation] - 1 if out.organisation is not None else 0
            gained = orgs[into.organisation] if into.organisation is not None else 0
            change -= SAME_ORGANISATION_PENALTY * (gained - lost)
        if out.sector != into.sector:
            sectors = self.sectors[index]
            distinct = (into.sector is not None and not sectors[into.sector]) - (
                out.sector is not None and sectors[out.sector] == 1
            )
            change += self.sector_scale[index] * distinct
        if out.place != into.place:
            places = self.places[index]
            distinct = (into.place is not None and not places[into.place]) - (
                out.place is not None and places[out.place] == 1
            )
            change += self.place_scale[index] * distinct
        return change

    def swap_gain(self, a: Person, x: int, b: Person, y: int) -> float:
        return self._half(a, b, x) + self._half(b, a, y)

    def swap(self, a: Person, x: int, b: Person, y: int) -> None:
        self.remove(a, x)
        self.remove(b, y)
        self.add(b, x)
        self.add(a, y)

    def sets(self) -> tuple[tuple[int, ...], ...]:
        return tuple(tuple(sorted(p.id for p in group)) for group in self.members)


def greedy_start(
    people: Sequence[Person], sizes: Sequence[int], pinned: Mapping[int, int]
) -> tuple[Search, list[tuple[Person, int]]]:
    search = Search(people, sizes)
    placed: dict[int, int] = {}
    for person in people:
        if person.id in pinned:
            search.add(person, pinned[person.id])
            placed[person.id] = pinned[person.id]
    org_size = Counter(p.organisation for p in people)
    sector_size = Counter(p.sector for p in people)
    free = sorted(
        (p for p in people if p.id not in pinned),
        key=lambda p: (
            -org_size[p.organisation] if p.organisation is not None else 0,
            -sector_size[p.sector] if p.sector is not None else 0,
            p.organisation or "",
            p.id,
        ),
    )
    for person in free:
        index = min(
            (i for i in range(len(sizes)) if len(search.members[i]) < sizes[i]),
            key=lambda i: (*search.overlap(person, i), len(search.members[i]), i),
        )
        search.add(person, index)
        placed[person.id] = index
    movable = [(p, placed[p.id]) for p in people if p.id not in pinned]
    return search, movable


def anneal(search: Search, movable: list[tuple[Person, int]], steps: int, seed: int) -> None:
    """Improve `search` in place by swaps of unpinned people; leave it at the best split seen."""
    if len({index for _, index in movable}) < 2:
        return
    rng = random.Random(seed)
    where = {person.id: index for person, index in movable}
    pool = [person for person, _ in movable]
    current = best = 0.0
    best_where = dict(where)
    cooling = (_END_TEMPERATURE / _START_TEMPERATURE) ** (1 / max(1, steps))
    temperature = _START_TEMPERATURE
    for _ in range(steps):
        temperature *= cooling
        a, b = rng.sample(pool, 2)
        x, y = where[a.id], where[b.id]
        if x == y:
            continue
        gain = search.swap_gain(a, x, b, y)
        if gain >= 0 or rng.random() < math.exp(gain / temperature):
            search.swap(a, x, b, y)
            where[a.id], where[b.id] = y, x
            current += gain
            if current > best + 1e-9:
                best, best_where = current, dict(where)
    for person in pool:
        if where[person.id] != best_where[person.id]:
            search.remove(person, where[person.id])
            search.add(person, best_where[person.id])
