"""The objective of learning-set allocation: how well mixed a split of a cohort is.

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

`explain` describes one set's mix in words a programme manager can read. The search
(allocation_search.py) works out the change a swap makes to this same score without re-scoring
every set, so a change to the formula here must be made there too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from leaders.network.graph import Person

SECTOR_WEIGHT = 50.0
PLACE_WEIGHT = 30.0
BALANCE_WEIGHT = 20.0
SAME_ORGANISATION_PENALTY = 100.0


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


def by_id(people: Iterable[Person]) -> dict[int, Person]:
    """People by id; ValueError if one is listed twice."""
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
    lookup = by_id(people)
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


def plural(count: int, word: str, plural: str | None = None) -> str:
    """ "1 person", "2 people": the count with the word that fits it."""
    return f"{count} {word if count == 1 else plural or word + 's'}"


def _counted(values: Iterable[str | None]) -> tuple[tuple[str, int], ...]:
    counts = Counter(v for v in values if v is not None)
    return tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def explain(members: Sequence[int], people: Iterable[Person]) -> SetMix:
    """The mix of one set, with a one-line summary a programme manager can read."""
    lookup = by_id(people)
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
        f"{plural(len(group), 'person', 'people')} from "
        f"{plural(len(organisations), 'organisation')} across "
        f"{plural(len(sectors), 'sector')} and {plural(len(places), 'place')}"
    )
    if pairs:
        summary += f"; {plural(len(pairs), 'pair')} from the same organisation"
    return SetMix(len(group), organisations, sectors, places, tuple(sorted(pairs)), summary)
