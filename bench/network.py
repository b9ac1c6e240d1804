"""Benchmark the network core: metrics on a large programme, set allocation on a full cohort.

    .venv/bin/python bench/network.py [--runs 5] [--seeds 11]

Generates a programme of 1,000 people (60 organisations of uneven size, 8 sectors, 15 places)
joined by 10,000 distinct ties (about 40% within an organisation, 30% within a place, 30% across
the programme) and times `network_metrics` (median of several runs). Then generates a cohort of
60 people (20 organisations, 8 sectors, 15 places), times `allocate` (median of several runs) and
compares its diversity score with a random split (median over several seeds) and the greedy
round-robin split, both into the same number of sets.

Then the programme scale: every cohort of a course together, 10,000 people (600 organisations,
150 places) and 100,000 ties, timed the same way (`metrics_10k_s`, target under 2 s). Betweenness is
estimated there from a seeded sample of sources; once (not timed) the exact betweenness is worked
out with igraph and the estimate's error stated: the largest absolute error, and how many of the
five brokers named are in the exact top five and top 1%.

Targets on a 2-core machine: metrics under 1 s (1,000 people), under 2 s (10,000); allocation under 2 s and scoring above both
baselines. Pure Python and networkx, no database. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from leaders.network import metrics as network  # noqa: E402
from leaders.network.allocation import (  # noqa: E402
    allocate,
    greedy_split,
    random_split,
    score,
)
from leaders.network.graph import Person, Tie  # noqa: E402
from leaders.network.metrics import network_metrics  # noqa: E402

SECTORS = [
    "local_government",
    "nhs",
    "police",
    "fire_and_rescue",
    "education",
    "combined_authority",
    "central_government",
    "voluntary_and_community",
]
# How often each sector's bodies send people: councils and the NHS most.
SECTOR_WEIGHTS = [30, 25, 8, 6, 12, 4, 5, 10]
KINDS = ["worked_together", "met_at_session", "introduced", "mentoring", "learning_set"]


def make_people(size: int, organisations: int, places: int, rng: random.Random) -> list[Person]:
    place_names = [f"Place {i}" for i in range(places)]
    bodies = [
        (f"Body {i}", rng.choices(SECTORS, SECTOR_WEIGHTS)[0], rng.choice(place_names))
        for i in range(organisations)
    ]
    # Some bodies send many people, most send a few.
    weights = [1 / (i + 1) ** 0.7 for i in range(organisations)]
    people = []
    for i in range(1, size + 1):
        name, sector, place = rng.choices(bodies, weights)[0]
        if rng.random() < 0.2:  # works across places (an ICB, a county-wide service)
            place = rng.choice(place_names)
        people.append(Person(i, f"Person {i:04d}", name, sector, place))
    return people


def make_ties(people: list[Person], count: int, rng: random.Random) -> list[Tie]:
    by_org: dict[str | None, list[int]] = {}
    by_place: dict[str | None, list[int]] = {}
    for p in people:
        by_org.setdefault(p.organisation, []).append(p.id)
        by_place.setdefault(p.place, []).append(p.id)
    ids = [p.id for p in people]
    seen: set[tuple[int, int]] = set()
    ties = []
    while len(ties) < count:
        a = rng.choice(people)
        roll = rng.random()
        pool = by_org[a.organisation] if roll < 0.4 else by_place[a.place] if roll < 0.7 else ids
        b = rng.choice(pool)
        key = (min(a.id, b), max(a.id, b))
        if b == a.id or key in seen:
            continue
        seen.add(key)
        ties.append(Tie(a.id, b, rng.choice(KINDS)))
    return ties


def timed(function, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each (median)")
    parser.add_argument("--seeds", type=int, default=11, help="random splits to take the median of")
    args = parser.parse_args()
    rng = random.Random(2025)

    people = make_people(1000, 60, 15, rng)
    ties = make_ties(people, 10_000, rng)
    metrics_s, result = timed(lambda: network_metrics(people, ties), args.runs)
    print(
        f"metrics: {result.people} people, {result.ties} ties, density {result.density:.4f}, "
        f"cross-sector share {result.cross_sector_share:.3f}, E-I {result.ei_index:+.3f}, "
        f"{len(result.isolates)} isolates, {result.components} component(s), "
        f"betweenness sample {result.betweenness_sample or 'exact'}"
    )
    print(f"metrics: median {metrics_s:.3f} s over {args.runs} runs (target < 1 s)")

    programme = make_people(10_000, 600, 150, rng)
    programme_ties = make_ties(programme, 100_000, rng)
    metrics_10k_s, big = timed(
        lambda: network_metrics(programme, programme_ties), max(1, args.runs // 2)
    )
    fast = network.fast_graph(programme, programme_ties)
    order = fast.order
    raw = fast.graph.betweenness(directed=False)
    n = len(order)
    exact = {node: raw[i] * 2 / ((n - 1) * (n - 2)) for i, node in enumerate(order)}
    estimate, _ = network._betweenness(fast)
    max_error = max(abs(estimate[node] - exact[node]) for node in order)
    ranked = sorted(order, key=lambda node: -exact[node])
    named = [b.id for b in big.brokers]
    in_top5 = len(set(named) & set(ranked[:5]))
    in_top1pct = len(set(named) & set(ranked[: n // 100]))
    print(
        f"metrics at programme scale: {big.people} people, {big.ties} ties, "
        f"betweenness sample {big.betweenness_sample or 'exact'}; median {metrics_10k_s:.3f} s "
        f"(target < 2 s)"
    )
    print(
        f"betweenness estimate vs exact: largest absolute error {max_error:.2e} "
        f"(largest exact score {exact[ranked[0]]:.2e}); of the 5 brokers named {in_top5} are in "
        f"the exact top 5 and {in_top1pct} in the exact top 1%"
    )

    cohort = make_people(60, 20, 15, rng)
    allocation_s, allocation = timed(lambda: allocate(cohort, seed=0), args.runs)
    n_sets = len(allocation.sets)
    score_random = statistics.median(
        score(random_split(cohort, n_sets, seed), cohort) for seed in range(args.seeds)
    )
    score_greedy = score(greedy_split(cohort, n_sets), cohort)
    print(
        f"allocation: 60 people into {n_sets} sets of "
        f"{min(map(len, allocation.sets))}-{max(map(len, allocation.sets))}, "
        f"median {allocation_s:.3f} s over {args.runs} runs (target < 2 s)"
    )
    print(
        f"allocation: score {allocation.score:.2f}; random median of {args.seeds} "
        f"{score_random:.2f}; greedy {score_greedy:.2f}"
    )
    for index, mix in enumerate(allocation.mixes(), start=1):
        print(f"  set {index}: {mix.summary}")
    met = (
        metrics_s < 1
        and metrics_10k_s < 2
        and allocation_s < 2
        and allocation.score > score_random
        and allocation.score > score_greedy
    )
    print("targets met" if met else "TARGETS MISSED")
    print(
        json.dumps(
            {
                "metrics_s": round(metrics_s, 4),
                "metrics_10k_s": round(metrics_10k_s, 4),
                "betweenness_10k_sample": big.betweenness_sample,
                "betweenness_10k_max_error": float(f"{max_error:.3g}"),
                "brokers_10k_in_exact_top5": in_top5,
                "allocation_s": round(allocation_s, 4),
                "score": round(allocation.score, 2),
                "score_random": round(score_random, 2),
                "score_greedy": round(score_greedy, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
