"""Split a cohort into action learning sets of 5 to 8 people with the widest mix.

Goals, in order: (1) no two people from one organisation in a set, where that is possible;
(2) sectors spread across the sets; (3) places spread across the sets; sizes as even as the bounds
and any pinned people allow.

**Diversity score** (higher is better; 100 is a perfect mix)::

    score = 50 x S + 30 x P + 20 x B - 100 x O

- S, sector variety: the mean over sets of (distinct sectors in the set) / min(set size, distinct
  sectors in the cohort). 1 means every set has as many sectors as it could.
- P, place variety: the same for places.
- B, balance of sizes: 1 - max(0, largest - smallest - 1) / largest. Sizes one apart score 1.
- O, the avoidable same-organisation pairs: pairs of people from one organisation who share a
  set, less the fewest such pairs there must be because a body has more people than there are
  sets (its people spread as evenly as possible over the sets). Ten people from one council in
  nine sets must leave one pair; that pair costs nothing, a second would.

People with no organisation, sector or place recorded never count towards O or towards a distinct
sector or place. S, P and B each lie between 0 and 1, so the mix part lies between 0 and 100, and
one avoidable same-organisation pair costs 100: more than any gain in mix can buy back. That makes
goal (1) come first; the weights 50 and 30 put sectors ahead of places.

`allocate` chooses the number of sets (the one whose mean size is nearest the middle of the bounds,
unless told), places pinned people, fills the sets greedily (largest organisations first, each
person into the open set where they add the least overlap), then improves the split by simulated
annealing over swaps of two unpinned people, keeping the best split it sees. Swaps keep every size,
so bounds and pins hold throughout. The same people, pins and seed give the same allocation.

Sets are numbered from 0 in this API; messages for people name them from 1 ("set 1" is index 0).
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType

from leaders.network.graph import Person

SECTOR_WEIGHT = 50.0
PLACE_WEIGHT = 30.0
BALANCE_WEIGHT = 20.0
SAME_ORGANISATION_PENALTY = 100.0

#: Annealing steps per person in the cohort: 60 people take about a quarter of a second.
STEPS_PER_PERSON = 1500
_START_TEMPERATURE = 2.0
_END_TEMPERATURE = 0.01


@dataclass(frozen=True)
class SetMix:
    """Who is in one set, by organisation, sector and place."""

    size: int
    organisations: tuple[tuple[str, int], ...]
    sectors: tuple[tuple[str, int], ...]
    places: tuple[tuple[str, int], ...]
    #: Pairs of person ids from the same organisation, each pair (smaller id, larger id).
    same_organisation_pairs: tuple[tuple[int, int], ...]
    summary: str


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


# --- scoring -------------------------------------------------------------------------------------


def _by_id(people: Iterable[Person]) -> dict[int, Person]:
    lookup: dict[int, Person] = {}
    for person in people:
        if person.id in lookup:
            raise ValueError(f"Person {person.id} is listed more than once")
        lookup[person.id] = person
    return lookup


def _variety(distinct: int, size: int, cohort_distinct: int) -> float:
    best = min(size, cohort_distinct)
    return distinct / best if best else 1.0


def _balance(sizes: Sequence[int]) -> float:
    if not sizes or max(sizes) == 0:
        return 1.0
    return 1.0 - max(0, max(sizes) - min(sizes) - 1) / max(sizes)


def _same_organisation_pairs(members: Sequence[Person]) -> int:
    counts = Counter(p.organisation for p in members if p.organisation is not None)
    return sum(c * (c - 1) // 2 for c in counts.values())


def _unavoidable_pairs(people: Iterable[Person], n_sets: int) -> int:
    """The fewest same-organisation pairs any split into `n_sets` sets can have."""
    total = 0
    for count in Counter(p.organisation for p in people if p.organisation is not None).values():
        each, extra = divmod(count, n_sets)
        total += extra * (each + 1) * each // 2 + (n_sets - extra) * each * (each - 1) // 2
    return total


def score(sets: Sequence[Sequence[int]], people: Iterable[Person]) -> float:
    """The diversity score of a split (see the module docstring): higher is better."""
    lookup = _by_id(people)
    try:
        groups = [[lookup[i] for i in members] for members in sets]
    except KeyError as error:
        raise ValueError(f"Person {error.args[0]} is in a set but not in the cohort") from None
    if not groups:
        return 0.0
    everyone = [p for group in groups for p in group]
    sectors = len({p.sector for p in everyone} - {None})
    places = len({p.place for p in everyone} - {None})
    sector_part = sum(
        _variety(len({p.sector for p in g} - {None}), len(g), sectors) for g in groups
    ) / len(groups)
    place_part = sum(
        _variety(len({p.place for p in g} - {None}), len(g), places) for g in groups
    ) / len(groups)
    pairs = sum(_same_organisation_pairs(g) for g in groups)
    pairs -= _unavoidable_pairs(everyone, len(groups))
    return (
        SECTOR_WEIGHT * sector_part
        + PLACE_WEIGHT * place_part
        + BALANCE_WEIGHT * _balance([len(g) for g in groups])
        - SAME_ORGANISATION_PENALTY * pairs
    )


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


def _counted(values: Iterable[str | None]) -> tuple[tuple[str, int], ...]:
    counts = Counter(v for v in values if v is not None)
    return tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def explain(members: Sequence[int], people: Iterable[Person]) -> SetMix:
    """The mix of one set, with a one-line summary a programme manager can read."""
    lookup = _by_id(people)
    group = [lookup[i] for i in members]
    organisations = _counted(p.organisation for p in group)
    sectors = _counted(p.sector for p in group)
    places = _counted(p.place for p in group)
    pairs = tuple(
        (min(a.id, b.id), max(a.id, b.id))
        for index, a in enumerate(group)
        for b in group[index + 1 :]
        if a.organisation is not None and a.organisation == b.organisation
    )
    summary = (
        f"{_plural(len(group), 'person', 'people')} from "
        f"{_plural(len(organisations), 'organisation')} across "
        f"{_plural(len(sectors), 'sector')} and {_plural(len(places), 'place')}"
    )
    if pairs:
        summary += f"; {_plural(len(pairs), 'pair')} from the same organisation"
    return SetMix(len(group), organisations, sectors, places, tuple(sorted(pairs)), summary)


# --- baselines -----------------------------------------------------------------------------------


def _deal(ids: Sequence[int], n_sets: int) -> tuple[tuple[int, ...], ...]:
    if n_sets < 1 or n_sets > len(ids):
        raise ValueError(f"Choose between 1 and {len(ids)} sets for {len(ids)} people")
    return tuple(tuple(sorted(ids[i::n_sets])) for i in range(n_sets))


def random_split(
    people: Iterable[Person], n_sets: int, seed: int = 0
) -> tuple[tuple[int, ...], ...]:
    """Baseline: shuffle the cohort and deal it into `n_sets` sets of even size."""
    ids = sorted(_by_id(people))
    random.Random(seed).shuffle(ids)
    return _deal(ids, n_sets)


def greedy_split(people: Iterable[Person], n_sets: int) -> tuple[tuple[int, ...], ...]:
    """Baseline: sort by organisation and deal round-robin, so colleagues land in different sets."""
    ordered = sorted(_by_id(people).values(), key=lambda p: (p.organisation or "", p.id))
    return _deal([p.id for p in ordered], n_sets)


# --- allocation ----------------------------------------------------------------------------------


def _bounds_text(low: int, high: int) -> str:
    return f"sets of {low} to {high} people" if low != high else f"sets of {low} people"


def _choose_set_count(n: int, low: int, high: int, at_least: int) -> int:
    if n < low:
        raise ValueError(
            f"{_bounds_text(low, high).capitalize()} need at least {low} people, and there "
            f"{'is' if n == 1 else 'are'} {n}. Add at least "
            f"{_plural(low - n, 'more person', 'more people')}, or make the sets smaller."
        )
    feasible = [k for k in range(max(1, at_least), n // low + 1) if n <= k * high]
    if not feasible:
        if at_least > n // low:
            raise ValueError(
                f"A person is pinned to set {at_least}, but {_plural(n, 'person', 'people')} "
                f"make at most {_plural(n // low, 'set')} of {low} or more. "
                "Pin them to a lower set, or make the sets smaller."
            )
        raise ValueError(
            f"{_plural(n, 'person', 'people')} cannot be split into {_bounds_text(low, high)}. "
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
                f"The cohort of {n} does not fit in {_plural(n_sets, 'set')} of at most "
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


class _Search:
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


def _greedy_start(
    people: Sequence[Person], sizes: Sequence[int], pinned: Mapping[int, int]
) -> tuple[_Search, list[tuple[Person, int]]]:
    search = _Search(people, sizes)
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


def _anneal(search: _Search, movable: list[tuple[Person, int]], steps: int, seed: int) -> None:
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
    lookup = _by_id(people)
    cohort = [lookup[i] for i in sorted(lookup)]
    pins = dict(pinned or {})
    _check_pins(lookup, pins, n_sets)
    if n_sets is None:
        n_sets = _choose_set_count(
            len(cohort), set_size_min, set_size_max, max(pins.values(), default=-1) + 1
        )
    elif not set_size_min * n_sets <= len(cohort) <= set_size_max * n_sets:
        raise ValueError(
            f"{_plural(len(cohort), 'person', 'people')} cannot be split into "
            f"{_plural(n_sets, 'set')} of {set_size_min} to {set_size_max} people. "
            "Choose a different number of sets."
        )
    sizes = _target_sizes(len(cohort), n_sets, Counter(pins.values()), set_size_min, set_size_max)
    search, movable = _greedy_start(cohort, sizes, pins)
    _anneal(search, movable, STEPS_PER_PERSON * len(cohort), seed)
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
            f"{_plural(len(allocation.sets[from_set]) - 1, 'person', 'people')}, but a set needs "
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
