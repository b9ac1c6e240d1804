"""Split a cohort into action learning sets of 5 to 8 people with the widest mix.

Goals, in order: (1) no two people from one organisation in a set, where that is possible;
(2) sectors spread across the sets; (3) places spread across the sets; sizes as even as the bounds
and any pinned people allow.

The diversity score that measures the mix is in allocation_score.py (`score`, `explain`); the
search that looks for a good split is in allocation_search.py.

`allocate` checks the bounds and pins, chooses the number of sets (the one whose mean size is
nearest the middle of the bounds, unless told) and their sizes, then runs the search. The same
people, pins and seed give the same allocation. `random_split` and `greedy_split` are the
baselines it is measured against; `move` and `swap` are a manager's changes afterwards.

Sets are numbered from 0 in this API; messages for people name them from 1 ("set 1" is index 0).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType

from leaders.network.allocation_score import (
    BALANCE_WEIGHT,
    PLACE_WEIGHT,
    SAME_ORGANISATION_PENALTY,
    SECTOR_WEIGHT,
    SetMix,
    by_id,
    explain,
    plural,
    score,
)
from leaders.network.allocation_search import STEPS_PER_PERSON, anneal, greedy_start
from leaders.network.graph import Person

__all__ = [
    "BALANCE_WEIGHT",
    "PLACE_WEIGHT",
    "SAME_ORGANISATION_PENALTY",
    "SECTOR_WEIGHT",
    "STEPS_PER_PERSON",
    "Allocation",
    "SetMix",
    "allocate",
    "explain",
    "greedy_split",
    "move",
    "random_split",
    "score",
    "swap",
]


@dataclass(frozen=True)
class Allocation:
    """A split of a cohort into sets, with its diversity score."""

    sets: tuple[tuple[int, ...], ...]
    score: float
    people: tuple[Person, ...]
    set_size_min: int
    set_size_max: int
    pinned: Mapping[int, int]

    def set_of(self, person_id: int) -> int:
        """The index of the set `person_id` is in."""
        for index, members in enumerate(self.sets):
            if person_id in members:
                return index
        raise ValueError(f"Person {person_id} is not in this allocation")

    def mixes(self) -> tuple[SetMix, ...]:
        """`explain` for every set, in order."""
        return tuple(explain(members, self.people) for members in self.sets)


# --- baselines -----------------------------------------------------------------------------------


def _deal(ids: Sequence[int], n_sets: int) -> tuple[tuple[int, ...], ...]:
    if n_sets < 1 or n_sets > len(ids):
        raise ValueError(f"Choose between 1 and {len(ids)} sets for {len(ids)} people")
    return tuple(tuple(sorted(ids[i::n_sets])) for i in range(n_sets))


def random_split(
    people: Iterable[Person], n_sets: int, seed: int = 0
) -> tuple[tuple[int, ...], ...]:
    """Baseline: shuffle the cohort and deal it into `n_sets` sets of even size."""
    ids = sorted(by_id(people))
    random.Random(seed).shuffle(ids)
    return _deal(ids, n_sets)


def greedy_split(people: Iterable[Person], n_sets: int) -> tuple[tuple[int, ...], ...]:
    """Baseline: sort by organisation and deal round-robin, so colleagues land in different sets."""
    ordered = sorted(by_id(people).values(), key=lambda p: (p.organisation or "", p.id))
    return _deal([p.id for p in ordered], n_sets)


# --- allocation ----------------------------------------------------------------------------------


def _bounds_text(low: int, high: int) -> str:
    return f"sets of {low} to {high} people" if low != high else f"sets of {low} people"


def _choose_set_count(n: int, low: int, high: int, at_least: int) -> int:
    if n < low:
        raise ValueError(
            f"{_bounds_text(low, high).capitalize()} need at least {low} people, and there "
            f"{'is' if n == 1 else 'are'} {n}. Add at least "
            f"{plural(low - n, 'more person', 'more people')}, or make the sets smaller."
        )
    feasible = [k for k in range(max(1, at_least), n // low + 1) if n <= k * high]
    if not feasible:
        if at_least > n // low:
            raise ValueError(
                f"A person is pinned to set {at_least}, but {plural(n, 'person', 'people')} "
                f"make at most {plural(n // low, 'set')} of {low} or more. "
                "Pin them to a lower set, or make the sets smaller."
            )
        raise ValueError(
            f"{plural(n, 'person', 'people')} cannot be split into {_bounds_text(low, high)}. "
            "Add or remove people, or change the set sizes."
        )
    middle = (low + high) / 2
    return min(feasible, key=lambda k: (abs(n / k - middle), k))


def _target_sizes(
    n: int, n_sets: int, pinned_counts: Counter[int], low: int, high: int
) -> list[int]:
    for index, count in sorted(pinned_counts.items()):
        if count > high:
            raise ValueError(
                f"{count} people are pinned to set {index + 1}, but a set can have at most "
                f"{high}. Unpin some of them."
            )
    sizes = [max(low, pinned_counts[i]) for i in range(n_sets)]
    spare = n - sum(sizes)
    if spare < 0:
        raise ValueError(
            f"With these pins the sets need {sum(sizes)} people but the cohort has {n}. "
            "Pin fewer people to one set, or use fewer sets."
        )
    for _ in range(spare):
        open_sets = [i for i in range(n_sets) if sizes[i] < high]
        if not open_sets:
            raise ValueError(
                f"The cohort of {n} does not fit in {plural(n_sets, 'set')} of at most "
                f"{high}. Use more sets."
            )
        sizes[min(open_sets, key=lambda i: (sizes[i], i))] += 1
    return sizes


def _check_pins(
    lookup: Mapping[int, Person], pinned: Mapping[int, int], n_sets: int | None
) -> None:
    for person_id, index in pinned.items():
        if person_id not in lookup:
            raise ValueError(f"Person {person_id} is pinned but is not in the cohort")
        if index < 0 or (n_sets is not None and index >= n_sets):
            choose = f"from 1 to {n_sets}" if n_sets is not None else "numbered 1 or more"
            raise ValueError(
                f"{lookup[person_id].name} is pinned to a set that does not exist "
                f"(index {index}). Choose a set {choose}."
            )


def allocate(
    people: Iterable[Person],
    set_size_min: int = 5,
    set_size_max: int = 8,
    pinned: Mapping[int, int] | None = None,
    seed: int = 0,
    n_sets: int | None = None,
) -> Allocation:
    """Split `people` into sets of `set_size_min` to `set_size_max` with the widest mix.

    `pinned` maps a person's id to the index of the set they must be in. `n_sets` fixes the
    number of sets; by default it is the number whose mean size is nearest the middle of the
    bounds. Raises ValueError, with a message that says what to change, when it cannot be done.
    """
    if set_size_min < 1 or set_size_min > set_size_max:
        raise ValueError(
            f"Set sizes must run from a smallest of at least 1 to a largest no smaller than it "
            f"(got {set_size_min} to {set_size_max})"
        )
    lookup = by_id(people)
    cohort = [lookup[i] for i in sorted(lookup)]
    pins = dict(pinned or {})
    _check_pins(lookup, pins, n_sets)
    if n_sets is None:
        n_sets = _choose_set_count(
            len(cohort), set_size_min, set_size_max, max(pins.values(), default=-1) + 1
        )
    elif not set_size_min * n_sets <= len(cohort) <= set_size_max * n_sets:
        raise ValueError(
            f"{plural(len(cohort), 'person', 'people')} cannot be split into "
            f"{plural(n_sets, 'set')} of {set_size_min} to {set_size_max} people. "
            "Choose a different number of sets."
        )
    sizes = _target_sizes(len(cohort), n_sets, Counter(pins.values()), set_size_min, set_size_max)
    search, movable = greedy_start(cohort, sizes, pins)
    anneal(search, movable, STEPS_PER_PERSON * len(cohort), seed)
    sets = search.sets()
    return Allocation(
        sets=sets,
        score=score(sets, cohort),
        people=tuple(cohort),
        set_size_min=set_size_min,
        set_size_max=set_size_max,
        pinned=MappingProxyType(pins),
    )


# --- manual changes ------------------------------------------------------------------------------


def _rebuilt(allocation: Allocation, sets: list[list[int]], pins: dict[int, int]) -> Allocation:
    ordered = tuple(tuple(sorted(members)) for members in sets)
    return replace(
        allocation,
        sets=ordered,
        score=score(ordered, allocation.people),
        pinned=MappingProxyType(pins),
    )


def _name(allocation: Allocation, person_id: int) -> str:
    for person in allocation.people:
        if person.id == person_id:
            return person.name
    raise ValueError(f"Person {person_id} is not in this allocation")


def move(allocation: Allocation, person_id: int, to_set: int) -> Allocation:
    """Move one person to another set, keeping the size bounds, and re-score.

    A person who was pinned stays pinned, to their new set: a manager's choice holds if the
    allocation is run again.
    """
    name = _name(allocation, person_id)
    count = len(allocation.sets)
    if not 0 <= to_set < count:
        raise ValueError(f"There is no set {to_set + 1}. Choose a set from 1 to {count}.")
    from_set = allocation.set_of(person_id)
    if from_set == to_set:
        return allocation
    low, high = allocation.set_size_min, allocation.set_size_max
    if len(allocation.sets[from_set]) - 1 < low:
        raise ValueError(
            f"Moving {name} would leave set {from_set + 1} with "
            f"{plural(len(allocation.sets[from_set]) - 1, 'person', 'people')}, but a set needs "
            f"at least {low}. Swap {name} with someone in set {to_set + 1} instead."
        )
    if len(allocation.sets[to_set]) + 1 > high:
        raise ValueError(
            f"Set {to_set + 1} already has {high} people, the most a set can have. "
            f"Swap {name} with someone in set {to_set + 1} instead."
        )
    sets = [list(members) for members in allocation.sets]
    sets[from_set].remove(person_id)
    sets[to_set].append(person_id)
    pins = dict(allocation.pinned)
    if person_id in pins:
        pins[person_id] = to_set
    return _rebuilt(allocation, sets, pins)


def swap(allocation: Allocation, person_a: int, person_b: int) -> Allocation:
    """Swap two people between their sets (sizes do not change), and re-score.

    Pinned people stay pinned, to their new sets.
    """
    _name(allocation, person_a)
    _name(allocation, person_b)
    x, y = allocation.set_of(person_a), allocation.set_of(person_b)
    if x == y:
        return allocation
    sets = [list(members) for members in allocation.sets]
    sets[x][sets[x].index(person_a)] = person_b
    sets[y][sets[y].index(person_b)] = person_a
    pins = dict(allocation.pinned)
    if person_a in pins:
        pins[person_a] = y
    if person_b in pins:
        pins[person_b] = x
    return _rebuilt(allocation, sets, pins)
