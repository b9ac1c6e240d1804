"""Network tests: small hand-built networks with known answers, and synthetic cohorts."""

from __future__ import annotations

import random

from leaders.network.graph import Person, Tie

# Weighted roughly like a real cohort: mostly councils and the NHS, a few of everything else.
SECTOR_MIX = (
    ["local_government"] * 6
    + ["nhs"] * 4
    + ["police"] * 2
    + ["education"] * 2
    + ["voluntary_and_community"] * 2
    + ["fire_and_rescue", "combined_authority", "central_government"]
)


def person(
    id: int,
    organisation: str | None = "Org",
    sector: str | None = "local_government",
    place: str | None = "Leeds",
    name: str | None = None,
) -> Person:
    return Person(id, name or f"Person {id:03d}", organisation, sector, place)


def tie(a: int, b: int, kind: str = "worked_together") -> Tie:
    return Tie(a, b, kind)


def cohort(size: int, organisations: int = 20, places: int = 15, seed: int = 0) -> list[Person]:
    """A realistic cohort: bodies of uneven size, each in one sector and (mostly) one place."""
    rng = random.Random(seed)
    place_names = [f"Place {i}" for i in range(places)]
    bodies = [
        (f"Body {i}", rng.choice(SECTOR_MIX), rng.choice(place_names)) for i in range(organisations)
    ]
    weights = [1 / (i + 1) ** 0.7 for i in range(organisations)]
    people = []
    for i in range(1, size + 1):
        name, sector, place = rng.choices(bodies, weights)[0]
        if rng.random() < 0.2:
            place = rng.choice(place_names)
        people.append(Person(i, f"Person {i:03d}", name, sector, place))
    return people
