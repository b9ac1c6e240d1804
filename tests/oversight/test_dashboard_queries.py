"""The dashboard's lessons completed per learner and module, as the database packs them into one
whole number per learner (leaders/oversight/dashboard_queries.py): the counts come back as a plain
count by learner and module would give them, whatever the course's size."""

from __future__ import annotations

import random
from collections import Counter
from itertools import pairwise
from types import SimpleNamespace

import pytest

from leaders.cohorts.access import CohortAccess
from leaders.extensions import db
from leaders.learning.models import LessonProgress
from leaders.oversight import dashboard_queries
from leaders.timeutil import utcnow
from tests.factories import enrol, make_cohort, make_user


def _course(sizes: list[int], aliases: int = 0):
    """A course whose module i has sizes[i] lessons, each with `aliases` old keys."""
    return SimpleNamespace(
        modules=[
            SimpleNamespace(
                lessons=[
                    SimpleNamespace(
                        key=f"big/m{m}/l{n}",
                        aliases=tuple(f"big/m{m}/old{n}-{a}" for a in range(aliases)),
                    )
                    for n in range(size)
                ]
            )
            for m, size in enumerate(sizes)
        ]
    )


def test_each_module_has_bits_for_all_its_keys_and_a_full_column_starts_another():
    modules = tuple(
        tuple(f"k{m}-{n}" for n in range(n_keys)) for m, n_keys in enumerate([7, 8, 1, 0, 40] * 6)
    )
    layout = dashboard_queries._layout(modules)
    used: Counter[int] = Counter()
    for keys, (column, shift, mask) in zip(modules, layout, strict=True):
        assert mask >= len(keys)  # room for every key of the module completed
        assert shift + mask.bit_length() <= 62
        used[column] += mask.bit_length()
    assert len(used) > 1  # this course needs more than one summed column
    # Modules side by side in a column never overlap.
    for column in used:
        spans = sorted((s, s + m.bit_length()) for c, s, m in layout if c == column)
        assert all(a_end <= b_start for (_a, a_end), (b_start, _b) in pairwise(spans))


@pytest.mark.parametrize(
    ("sizes", "aliases"),
    [
        ([1, 4, 5, 3], 0),
        ([1, 2], 1),  # a lesson's old and new keys both completed: two in a one-lesson module
        ([3] * 40, 0),  # 80 bits: two summed columns
        ([20, 0, 9, 33] * 4, 1),
    ],
)
def test_completions_match_a_count_by_learner_and_module(app, sizes, aliases):
    rng = random.Random(sum(sizes) + aliases)
    course = _course(sizes, aliases)
    keys = {
        key: index
        for index, module in enumerate(course.modules)
        for lesson in module.lessons
        for key in (lesson.key, *lesson.aliases)
    }
    cohort, other = make_cohort(name="Counted"), make_cohort(name="Another")
    learners = [make_user() for _ in range(6)]
    manager, elsewhere = make_user(), make_user()
    for learner in learners:
        enrol(cohort, learner)
    enrol(cohort, manager, "programme_manager")
    enrol(other, elsewhere)
    learner_ids = {learner.id for learner in learners}
    expected: dict[int, list[int]] = {}
    for person in [*learners, manager, elsewhere]:
        chosen = rng.sample(sorted(keys), rng.randint(0, len(keys)))
        for n, key in enumerate([*chosen, "another-course/m/l", "big/gone/l"]):
            done = n % 5 != 4  # some viewed, not completed
            db.session.add(
                LessonProgress(
                    user_id=person.id,
                    lesson_key=key,
                    completed_at=utcnow() if done else None,
                    version_completed="x" if done else None,
                )
            )
            if done and key in keys and person.id in learner_ids:
                expected.setdefault(person.id, [0] * len(sizes))[keys[key]] += 1
    db.session.commit()

    found = dashboard_queries.completions(CohortAccess(cohort, None, True), course)

    counted = {
        user_id: found.unpack(packed)
        for user_id, packed in found.packed.items()
        if found.unpack(packed) != [0] * len(sizes)
    }
    assert counted == {user_id: done for user_id, done in expected.items() if any(done)}
    assert set(found.packed) <= learner_ids  # this cohort's learners only
    assert found.unpack(found.nothing) == [0] * len(sizes)
