"""Action learning set allocation: bounds, pins, the mix, the baselines, manual moves."""

import statistics

import pytest

from leaders.network.allocation import (
    SAME_ORGANISATION_PENALTY,
    allocate,
    explain,
    greedy_split,
    move,
    random_split,
    score,
    swap,
)
from tests.network import cohort, person


def _everyone_once(allocation, people):
    placed = [i for members in allocation.sets for i in members]
    assert sorted(placed) == sorted(p.id for p in people)


@pytest.mark.parametrize("size", range(20, 61))
def test_every_set_is_within_bounds_for_20_to_60_people(size):
    people = cohort(size, seed=size)
    allocation = allocate(people)
    _everyone_once(allocation, people)
    assert all(5 <= len(members) <= 8 for members in allocation.sets)
    sizes = [len(members) for members in allocation.sets]
    assert max(sizes) - min(sizes) <= 1
    assert allocation.score == pytest.approx(score(allocation.sets, people))


def test_the_number_of_sets_puts_sizes_near_the_middle_of_the_bounds():
    assert len(allocate(cohort(20)).sets) == 3  # 7, 7, 6
    assert len(allocate(cohort(60)).sets) == 9  # 6 or 7 each
    assert len(allocate(cohort(60), n_sets=8).sets) == 8


def test_no_two_people_from_one_organisation_share_a_set_when_that_is_possible():
    sectors = ["local_government", "nhs", "police", "education", "fire_and_rescue"]
    people = [person(i, f"Body {i % 10}", sectors[i % 5], f"Place {i % 7}") for i in range(1, 31)]
    allocation = allocate(people)
    assert len(allocation.sets) == 5
    for mix in allocation.mixes():
        assert mix.same_organisation_pairs == ()
        assert all(count == 1 for _, count in mix.organisations)


def test_when_one_body_is_too_big_its_people_are_spread_as_evenly_as_possible():
    # 14 from one council in 3 sets: at best 5 + 5 + 4, so 10 + 10 + 6 = 26 pairs.
    people = [person(i, "Big Council") for i in range(1, 15)]
    people += [person(i, f"Body {i}", "nhs") for i in range(15, 21)]
    allocation = allocate(people)
    pairs = sum(len(mix.same_organisation_pairs) for mix in allocation.mixes())
    assert pairs == 26
    # Pairs nobody could avoid cost nothing; one more would cost the full penalty.
    assert 0 < allocation.score <= 100


def test_pins_are_honoured():
    people = cohort(40, seed=3)
    # Three colleagues pinned together: the allocator must keep them there regardless.
    pinned = {1: 0, 2: 0, 3: 0, 10: 4, 11: 2}
    allocation = allocate(people, pinned=pinned, seed=5)
    for person_id, index in pinned.items():
        assert allocation.set_of(person_id) == index
    assert dict(allocation.pinned) == pinned
    _everyone_once(allocation, people)
    assert all(5 <= len(members) <= 8 for members in allocation.sets)


def test_a_pin_to_a_high_set_raises_the_number_of_sets():
    allocation = allocate(cohort(40), pinned={7: 7})
    assert len(allocation.sets) == 8
    assert allocation.set_of(7) == 7


def test_the_same_seed_gives_the_same_allocation():
    people = cohort(48, seed=9)
    assert allocate(people, seed=4) == allocate(list(reversed(people)), seed=4)


@pytest.mark.parametrize("seed", range(5))
def test_beats_random_and_greedy_splits_on_a_realistic_cohort(seed):
    people = cohort(60, organisations=20, places=15, seed=seed)
    allocation = allocate(people, seed=seed)
    n_sets = len(allocation.sets)
    random_score = statistics.median(
        score(random_split(people, n_sets, s), people) for s in range(9)
    )
    greedy_score = score(greedy_split(people, n_sets), people)
    assert allocation.score > greedy_score
    assert allocation.score > random_score


def test_the_score_rewards_mix_and_punishes_colleagues_sharing_a_set():
    people = [
        person(1, "A", "nhs", "Leeds"),
        person(2, "A", "nhs", "Leeds"),
        person(3, "B", "police", "York"),
        person(4, "C", "police", "York"),
    ]
    # Colleagues apart, each set one NHS and one police, one Leeds and one York: a perfect mix.
    assert score([[1, 3], [2, 4]], people) == pytest.approx(100)
    # Colleagues together, one sector and one place per set.
    assert score([[1, 2], [3, 4]], people) == pytest.approx(
        50 * 0.5 + 30 * 0.5 + 20 - SAME_ORGANISATION_PENALTY
    )
    # Three colleagues in two sets must leave one pair: that pair is not penalised, a third is.
    trio = [*people, person(5, "A", "education", "Hull"), person(6, "D", "nhs", "Hull")]
    assert score([[1, 2, 3], [4, 5, 6]], trio) > 0
    assert score([[1, 2, 5], [3, 4, 6]], trio) < 0
    # Uneven sizes (3 and 1) lose a third of the balance part, and variety in the lone set.
    assert score([[1, 3, 4], [2]], people) < score([[1, 3], [2, 4]], people)


def test_explain_summarises_a_set():
    people = [
        person(1, "Leeds City Council", "local_government", "Leeds"),
        person(2, "Leeds City Council", "local_government", "Leeds"),
        person(3, "NHS West Yorkshire", "nhs", "Wakefield"),
        person(4, "West Yorkshire Police", "police", None),
    ]
    mix = explain([1, 2, 3, 4], people)
    assert mix.size == 4
    assert mix.organisations == (
        ("Leeds City Council", 2),
        ("NHS West Yorkshire", 1),
        ("West Yorkshire Police", 1),
    )
    assert mix.sectors == (("local_government", 2), ("nhs", 1), ("police", 1))
    assert mix.places == (("Leeds", 2), ("Wakefield", 1))
    assert mix.same_organisation_pairs == ((1, 2),)
    assert mix.summary == (
        "4 people from 3 organisations across 3 sectors and 2 places; "
        "1 pair from the same organisation"
    )
    assert (
        explain([3], people).summary == "1 person from 1 organisation across 1 sector and 1 place"
    )


def test_baselines_split_evenly_and_greedy_separates_colleagues():
    people = [person(i, f"Body {i % 10}") for i in range(1, 31)]  # 3 from each of 10 bodies
    for split in (random_split(people, 5, seed=1), greedy_split(people, 5)):
        assert sorted(len(members) for members in split) == [6] * 5
        assert sorted(i for members in split for i in members) == list(range(1, 31))
    assert all(not explain(m, people).same_organisation_pairs for m in greedy_split(people, 5))
    assert random_split(people, 5, seed=1) == random_split(people, 5, seed=1)
    with pytest.raises(ValueError, match="Choose between 1 and 30 sets for 30 people"):
        random_split(people, 31)


@pytest.mark.parametrize(
    ("size", "kwargs", "message"),
    [
        (4, {}, "need at least 5 people, and there are 4. Add at least 1 more person,"),
        (0, {}, "and there are 0. Add at least 5 more people"),
        (9, {}, "9 people cannot be split into sets of 5 to 8 people"),
        (12, {"set_size_min": 6, "set_size_max": 5}, "Set sizes must run from"),
        (20, {"n_sets": 5}, "20 people cannot be split into 5 sets of 5 to 8 people"),
        (20, {"pinned": {1: 4}}, "pinned to set 5, but 20 people make at most 4 sets"),
        (20, {"pinned": {99: 0}}, "Person 99 is pinned but is not in the cohort"),
        (20, {"pinned": {1: -1}}, "pinned to a set that does not exist"),
        (20, {"pinned": dict.fromkeys(range(1, 10), 0)}, "9 people are pinned to set 1"),
        (10, {"pinned": dict.fromkeys(range(1, 7), 0)}, "the sets need 11 people"),
    ],
)
def test_impossible_requests_raise_a_clear_error(size, kwargs, message):
    with pytest.raises(ValueError, match=message):
        allocate(cohort(size), **kwargs)


def test_duplicate_people_are_refused():
    with pytest.raises(ValueError, match="Person 1 is listed more than once"):
        allocate([person(1)] * 6)


def test_move_rescores_and_keeps_the_bounds():
    people = cohort(20, seed=2)
    allocation = allocate(people, pinned={5: 1})  # sets of 7, 7 and 6
    small = min(range(3), key=lambda i: len(allocation.sets[i]))
    large = next(i for i in range(3) if i != small)
    mover = allocation.sets[large][0]
    moved = move(allocation, mover, small)
    assert moved.set_of(mover) == small
    assert moved.score == pytest.approx(score(moved.sets, people))
    assert sorted(len(m) for m in moved.sets) == sorted(
        [len(allocation.sets[small]) + 1, len(allocation.sets[large]) - 1, 7]
    )
    assert move(allocation, mover, large) is allocation
    # A pinned person who is moved stays pinned, to the new set.
    to = next(i for i in range(3) if i != 1 and len(allocation.sets[i]) < 8)
    assert move(allocation, 5, to).pinned[5] == to


def test_move_refuses_to_break_the_bounds():
    people = cohort(15, seed=1)
    allocation = allocate(people, n_sets=3)  # 3 sets of 5: nobody can leave one
    mover = allocation.sets[0][0]
    with pytest.raises(
        ValueError, match="would leave set 1 with 4 people, but a set needs at least 5"
    ):
        move(allocation, mover, 1)
    full = allocate(cohort(16, seed=1), n_sets=2)  # 2 sets of 8: neither can take anyone
    with pytest.raises(ValueError, match="Set 2 already has 8 people, the most a set can have"):
        move(full, full.sets[0][0], 1)
    with pytest.raises(ValueError, match="There is no set 4"):
        move(allocation, mover, 3)
    with pytest.raises(ValueError, match="Person 99 is not in this allocation"):
        move(allocation, 99, 1)


def test_swap_exchanges_two_people_and_rescores():
    people = cohort(16, seed=1)
    allocation = allocate(people, pinned={1: 0})
    other = allocation.sets[1][0]
    swapped = swap(allocation, 1, other)
    assert swapped.set_of(1) == 1
    assert swapped.set_of(other) == 0
    assert swapped.pinned[1] == 1
    assert swapped.score == pytest.approx(score(swapped.sets, people))
