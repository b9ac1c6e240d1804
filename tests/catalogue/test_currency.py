"""Review dates (``reviewed``, ``review_by``) and the manifest of published lesson keys."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from click.testing import CliRunner

from leaders.catalogue.cli import content_cli
from leaders.catalogue.currency import add_months
from leaders.catalogue.keys import MANIFEST
from leaders.timeutil import uk_today

from .conftest import MAPPING, NEXT, WELCOME, WORKING, Tree

TODAY = uk_today()
KEYS = [
    "sample-course/first-steps/welcome",
    "sample-course/first-steps/working-together",
    "sample-course/going-further/mapping-your-place",
    "sample-course/going-further/next-steps",
]


def run(tree: Tree, *args: str):
    return CliRunner().invoke(content_cli, [*args, str(tree.root)])


def review(tree: Tree, relative: str, settings: str) -> None:
    text = tree.read(relative)
    tree.write(relative, text.replace("\nminutes:", f"\n{settings}\nminutes:", 1))


# Review dates ----------------------------------------------------------------------------------


def test_default_review_interval_is_twelve_months(tree: Tree) -> None:
    review(tree, WELCOME, "reviewed: 2024-02-29")
    review(tree, WORKING, "reviewed: 2024-03-01\nreview_by: 2024-06-30")
    catalogue = tree.load()
    welcome = catalogue.lesson(KEYS[0])
    assert (welcome.reviewed, welcome.review_by, welcome.review_line) == (
        date(2024, 2, 29),
        date(2025, 2, 28),
        3,
    )
    assert catalogue.lesson(KEYS[1]).review_by == date(2024, 6, 30)
    assert catalogue.lesson(KEYS[2]).reviewed is None


def test_add_months_keeps_the_day_or_the_last_day() -> None:
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2025, 11, 15), 12) == date(2026, 11, 15)
    assert add_months(date(2025, 12, 1), 1) == date(2026, 1, 1)


@pytest.mark.parametrize(
    ("settings", "line", "message"),
    [
        (
            "reviewed: 31/03/2025",
            3,
            'reviewed must be a date written as YYYY-MM-DD, like "reviewed: 2025-03-31", not '
            '"31/03/2025"',
        ),
        (
            "reviewed: 2025-02-30",
            3,
            'reviewed must be a date written as YYYY-MM-DD, like "reviewed: 2025-03-31", not '
            '"2025-02-30"',
        ),
        (
            "review_by: 2030-01-01",
            3,
            'review_by needs reviewed too: add "reviewed: YYYY-MM-DD", the date the lesson was '
            "last checked",
        ),
        (
            "reviewed: 2025-01-10\nreview_by: 2025-01-10",
            4,
            "review_by (2025-01-10) must be after reviewed (2025-01-10)",
        ),
    ],
)
def test_bad_review_dates_are_refused(tree: Tree, settings: str, line: int, message: str) -> None:
    review(tree, NEXT, settings)
    assert tree.problems() == [(NEXT, line, message)]


def test_a_review_in_the_future_is_refused(tree: Tree) -> None:
    tomorrow = TODAY + timedelta(days=1)
    review(tree, NEXT, f"reviewed: {tomorrow.isoformat()}")
    assert tree.problems() == [
        (
            NEXT,
            3,
            f"reviewed is {tomorrow.isoformat()}, which is in the future: write the date the "
            "lesson was last checked",
        )
    ]


def _review_all_but(tree: Tree) -> None:
    recent = (TODAY - timedelta(days=10)).isoformat()
    review(tree, WELCOME, "reviewed: 2020-05-01")
    review(tree, WORKING, f"reviewed: {recent}")
    review(tree, MAPPING, f"reviewed: 2020-05-01\nreview_by: {(TODAY + timedelta(days=5))}")


def test_check_warns_for_stale_lessons_but_passes(tree: Tree) -> None:
    _review_all_but(tree)
    tree.write(MANIFEST, "\n".join(KEYS) + "\n")
    result = run(tree, "check")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 3
    assert lines[0].endswith(
        "01-welcome.md:3: warning: the lesson was due for review by 2021-05-01 (last reviewed "
        "2020-05-01): check it is still accurate, then update reviewed"
    )
    assert lines[1].endswith(
        "02-next-steps.md:1: warning: the lesson has no review date: once someone has checked "
        'it is accurate, add "reviewed: YYYY-MM-DD" to its front matter'
    )
    assert lines[2].endswith("is valid (2 warnings): 1 course, 2 modules, 4 lessons.")


def test_list_stale_lists_overdue_and_unreviewed_lessons(tree: Tree) -> None:
    _review_all_but(tree)
    result = run(tree, "list", "--stale")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(
        "sample-course/going-further/next-steps  never reviewed  Next steps  "
    )
    assert lines[1].startswith(
        "sample-course/first-steps/welcome  due 2021-05-01 (reviewed 2020-05-01)  Welcome to the "
        "programme  "
    )
    assert lines[1].endswith("01-welcome.md")
    assert lines[2] == "2 lessons of 4 due for review."


def test_list_stale_says_when_nothing_is_due(tree: Tree) -> None:
    recent = (TODAY - timedelta(days=1)).isoformat()
    for relative in (WELCOME, WORKING, MAPPING, NEXT):
        review(tree, relative, f"reviewed: {recent}")
    result = run(tree, "list", "--stale")
    assert result.output == "No lessons are due for review (4 lessons checked).\n"


# Published keys --------------------------------------------------------------------------------


def test_renamed_lesson_without_alias_is_refused(tree: Tree) -> None:
    tree.write(MANIFEST, "# published\n" + "\n".join(KEYS) + "\n")
    tree.path(NEXT).rename(tree.path("sample-course/02-going-further/02-what-next.md"))
    assert tree.problems() == [
        (
            MANIFEST,
            5,
            'lesson "sample-course/going-further/next-steps" was published, but no lesson has this '
            "key or alias, so its learners' progress would be lost: if the lesson was renamed or "
            'moved, add "sample-course/going-further/next-steps" to its aliases; if it was retired '
            "on purpose, delete this line",
        ),
        (
            "sample-course/02-going-further/02-what-next.md",
            1,
            'the lesson key "sample-course/going-further/what-next" is not in published-keys.txt '
            "yet: run `flask --app leaders content keys` to record it (if the lesson was renamed, "
            "first list its earlier name under aliases)",
        ),
    ]


def test_renamed_lesson_with_alias_passes_once_recorded(tree: Tree) -> None:
    tree.write(MANIFEST, "\n".join(KEYS) + "\n")
    tree.path(NEXT).rename(tree.path("sample-course/02-going-further/02-what-next.md"))
    renamed = "sample-course/02-going-further/02-what-next.md"
    tree.replace(renamed, "minutes: 5", "minutes: 5\naliases:\n  - next-steps")
    assert [line for _, line, _ in tree.problems()] == [1]  # only: record the new key
    result = run(tree, "keys")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "Recorded sample-course/going-further/what-next"
    assert tree.read(MANIFEST).splitlines() == [*KEYS, "sample-course/going-further/what-next"]
    assert tree.problems() == []


def test_keys_creates_the_manifest_and_never_removes_a_key(tree: Tree) -> None:
    result = run(tree, "keys")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].startswith("Recorded 4 new lesson keys in ")
    listed = [line for line in tree.read(MANIFEST).splitlines() if not line.startswith("#")]
    assert listed == KEYS
    assert run(tree, "keys").output.endswith("already lists every lesson key.\n")


def test_keys_refuses_content_with_problems(tree: Tree) -> None:
    tree.replace(NEXT, "minutes: 5", "minutes: lots")
    result = run(tree, "keys")
    assert result.exit_code == 1
    assert not tree.path(MANIFEST).exists()


def test_manifest_lines_must_be_keys(tree: Tree) -> None:
    tree.write(MANIFEST, "\n".join([*KEYS, "not a key", KEYS[0]]) + "\n")
    assert tree.problems() == [
        (
            MANIFEST,
            5,
            '"not a key" is not a lesson key: write one key a line, like course/module/lesson',
        ),
        (MANIFEST, 6, f'"{KEYS[0]}" is listed twice: delete one'),
    ]


def test_without_a_manifest_the_check_warns(tree: Tree) -> None:
    result = run(tree, "check")
    assert result.exit_code == 0
    assert "warning: there is no published-keys.txt" in result.output.splitlines()[0]
