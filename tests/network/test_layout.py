"""Layout: every person inside the box, the same picture for the same seed, and the colours."""

import itertools
import math
import random

import pytest

from leaders.network.graph import build_graph
from leaders.network.layout import (
    SECTOR_COLOURS,
    UNKNOWN_SECTOR_COLOUR,
    LayoutCache,
    cache,
    layout,
    network_version,
    sector_colour,
    sector_legend,
)
from leaders.organisations.models import Sector
from tests.network import cohort, person, tie


def _cohort_with_ties(size: int = 40, seed: int = 0):
    people = cohort(size, seed=seed)
    rng = random.Random(seed)
    ties = [tie(rng.randint(1, size), rng.randint(1, size)) for _ in range(size * 2)]
    return people, ties


def test_every_position_is_inside_the_box_with_its_margin():
    people, ties = _cohort_with_ties()
    positions = layout(people, ties, width=640, height=480, margin=30)
    assert [p.id for p in positions] == sorted(p.id for p in people)
    for p in positions:
        assert 30 <= p.x <= 610
        assert 30 <= p.y <= 450
    # The picture fills the box: someone sits on each margin.
    assert min(p.x for p in positions) == 30
    assert max(p.y for p in positions) == 450


def test_the_same_seed_gives_the_same_picture_whatever_the_order():
    people, ties = _cohort_with_ties()
    first = layout(people, ties, seed=3)
    assert layout(list(reversed(people)), list(reversed(ties)), seed=3) == first
    assert layout(people, ties, seed=4) != first


def test_tied_people_are_drawn_closer_than_people_in_general():
    people, ties = _cohort_with_ties(60, seed=2)
    where = {p.id: (p.x, p.y) for p in layout(people, ties)}
    tied = [math.dist(where[t.a], where[t.b]) for t in ties if t.a != t.b]
    everyone = [math.dist(where[a], where[b]) for a, b in itertools.combinations(where, 2)]
    assert sum(tied) / len(tied) < 0.75 * sum(everyone) / len(everyone)


def test_one_person_sits_in_the_middle_and_nobody_gives_no_positions():
    assert layout([], []) == []
    [only] = layout([person(1, sector=None)], [], width=200, height=100, margin=10)
    assert (only.x, only.y) == (100, 50)
    assert only.colour == UNKNOWN_SECTOR_COLOUR


def test_a_box_smaller_than_its_margins_is_refused():
    with pytest.raises(ValueError, match="larger than twice the margin"):
        layout([person(1)], [], width=60, height=600, margin=40)


def test_the_palette_covers_the_sector_taxonomy_and_the_legend_uses_its_labels():
    assert list(SECTOR_COLOURS) == [sector.value for sector in Sector]
    assert [e.label for e in sector_legend()][:-1] == [sector.label for sector in Sector]
    assert sector_colour("nhs") == SECTOR_COLOURS["nhs"]
    assert sector_colour("ambulance") == sector_colour(None) == UNKNOWN_SECTOR_COLOUR


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def _rgb(colour: str) -> tuple[float, float, float]:
    return tuple(_linear(int(colour[i : i + 2], 16)) for i in (1, 3, 5))


def _contrast_on_white(colour: str) -> float:
    r, g, b = _rgb(colour)
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


def _lab(colour: str) -> tuple[float, float, float]:
    r, g, b = _rgb(colour)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def test_colours_have_3_to_1_contrast_on_white_and_are_distinguishable():
    colours = [*SECTOR_COLOURS.values(), UNKNOWN_SECTOR_COLOUR]
    assert len(set(colours)) == len(colours)
    for colour in colours:
        assert _contrast_on_white(colour) >= 3.0, colour
    for a, b in itertools.combinations(colours, 2):
        assert math.dist(_lab(a), _lab(b)) >= 20, (a, b)


def test_the_legend_lists_sectors_in_order_and_can_list_only_those_present():
    legend = sector_legend()
    assert [e.sector for e in legend] == [*SECTOR_COLOURS, None]
    assert legend[1].label == "NHS"
    assert legend[-1].label == "Sector not recorded"
    present = sector_legend(["police", "nhs", "police"])
    assert [(e.sector, e.label) for e in present] == [("nhs", "NHS"), ("police", "Police")]
    assert [e.sector for e in sector_legend(["nhs", None])] == ["nhs", None]


def test_the_layout_is_computed_once_per_network_version():
    people, ties = _cohort_with_ties(30, seed=5)
    cache.clear()
    first = layout(people, ties)
    # Another view of the same network (records in another order, another box) reuses it.
    assert layout(list(reversed(people)), list(reversed(ties))) == first
    layout(people, ties, width=400, height=300)
    assert cache.computed == 1
    # A new tie is a new version: a new picture.
    more = [*ties, tie(people[0].id, people[-1].id, kind="mentoring")]
    assert network_version(build_graph(people, more)) != network_version(build_graph(people, ties))
    assert layout(people, more) != first
    assert cache.computed == 2
    # Another seed is laid out afresh; going back to the first network is a cache hit.
    layout(people, ties, seed=9)
    assert cache.computed == 3
    assert layout(people, ties) == first
    assert cache.computed == 3


def test_the_version_reads_people_and_tied_pairs_not_names_or_kinds_order():
    people, ties = _cohort_with_ties(20, seed=1)
    version = network_version(build_graph(people, ties))
    renamed = [person(p.id, name=f"Someone {p.id}", sector=None) for p in people]
    assert network_version(build_graph(renamed, ties)) == version
    # A second kind on an existing pair changes its weight, so the version.
    a, b = next((t.a, t.b) for t in ties if t.a != t.b)
    assert network_version(build_graph(people, [*ties, tie(a, b, kind="knew_before")])) != version
    # One more person with no tie changes it too.
    assert network_version(build_graph([*people, person(999)], ties)) != version


def test_the_cache_is_bounded():
    small = LayoutCache(size=2)
    people = [person(i) for i in range(1, 6)]
    graphs = [build_graph(people, [tie(1, n)]) for n in (2, 3, 4)]
    for graph in graphs:
        small.positions(graph, seed=1)
    small.positions(graphs[0], seed=1)  # evicted by the third: computed again
    assert small.computed == 4


def test_a_programme_of_five_hundred_people_is_laid_out():
    # networkx uses its sparse solver from 500 people.
    people, ties = _cohort_with_ties(500, seed=3)
    positions = layout(people, ties)
    assert len(positions) == 500
    assert all(40 <= p.x <= 760 and 40 <= p.y <= 560 for p in positions)
