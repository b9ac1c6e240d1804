"""The network's figures are worked out once per version of what they read, not once per view."""

import random
from dataclasses import replace

from leaders.network import metrics_cache
from leaders.network.metrics import network_metrics
from leaders.network.metrics_cache import MetricsCache, metrics_version
from tests.cohorts.conftest import Cast
from tests.conftest import sign_in
from tests.factories import enrol, make_user
from tests.helpers import text_of
from tests.network import cohort, person, tie
from tests.network.test_sources import _figures, _joined, _tie


def _network(size: int = 30, seed: int = 0):
    people = cohort(size, seed=seed)
    rng = random.Random(seed)
    ties = [tie(rng.randint(1, size), rng.randint(1, size)) for _ in range(size * 2)]
    return people, ties


def test_the_cached_figures_are_the_figures():
    people, ties = _network()
    cache = MetricsCache()
    assert cache.metrics(people, ties) == network_metrics(people, ties)
    assert cache.metrics(list(reversed(people)), list(reversed(ties))) == network_metrics(
        people, ties
    )
    assert cache.computed == 1


def test_the_version_follows_every_input_of_the_figures():
    people, ties = _network()
    pairs = [(t.a, t.b) for t in ties]
    version = metrics_version(people, pairs)
    # The same network however its records come: order, direction, kinds, self-ties, strangers.
    assert metrics_version(reversed(people), [(b, a) for a, b in reversed(pairs)]) == version
    assert metrics_version(people, [*pairs, pairs[0], (1, 1), (1, 999)]) == version
    # Anything a figure reads is a new version.
    fresh = next(
        (a, b)
        for a in range(1, 31)
        for b in range(a + 1, 31)
        if (a, b) not in pairs and (b, a) not in pairs
    )
    assert metrics_version(people, [*pairs, fresh]) != version
    assert metrics_version(people, pairs[1:]) != version
    renamed = [replace(people[0], name="Zed"), *people[1:]]
    assert metrics_version(renamed, pairs) != version
    moved = [replace(people[0], organisation="Elsewhere"), *people[1:]]
    assert metrics_version(moved, pairs) != version
    resectored = [
        replace(people[0], sector="police" if people[0].sector != "police" else "nhs"),
        *people[1:],
    ]
    assert metrics_version(resectored, pairs) != version
    assert metrics_version([*people, person(31)], pairs) != version


def test_the_cache_is_bounded_and_least_recently_used_goes_first():
    people = [person(i, organisation=f"Org {i}") for i in range(1, 6)]
    small = MetricsCache(size=2)
    networks = [[tie(1, n)] for n in (2, 3, 4)]
    for ties in networks:
        small.metrics(people, ties)
    assert small.computed == 3
    small.metrics(people, networks[2])  # still kept
    assert small.computed == 3
    small.metrics(people, networks[0])  # evicted by the third: worked out again
    assert small.computed == 4
    assert len(small) == 2


def test_a_second_view_reuses_the_figures_and_a_new_tie_gives_fresh_ones(app, client):
    cast = Cast()
    for i in range(4):
        enrol(cast.cohort, make_user(name=f"Learner {i}"))
    ann, ben, cat = cast.learners[:3]
    _joined(*cast.learners)
    _tie(cast.cohort, ann, ben)
    sign_in(client, cast.manager)
    path = f"/cohorts/{cast.cohort.id}/network"
    metrics_cache.cache.clear()

    first = text_of(client.get(path))
    second = text_of(client.get(path))
    assert metrics_cache.cache.computed == 1
    assert second == first
    client.get(f"{path}?layer=programme")  # the same reported ties: the same figures
    assert metrics_cache.cache.computed == 1

    _tie(cast.cohort, ben, cat, kind="mentoring")
    third = text_of(client.get(path))
    assert metrics_cache.cache.computed == 2
    assert _figures(first)[1] == 1
    assert _figures(third)[1] == 2
