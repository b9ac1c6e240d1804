"""Lesson keys: aliases (earlier names) and the manifest of every key ever published.

Learner progress, attempts and journal entries are stored against lesson keys. Renaming a lesson
changes its key, so the old key must live on as an alias, or its learners' records are orphaned.
The checker can only see that a key has gone if it knows the key existed: ``published-keys.txt``
at the top of the content folder lists every lesson key that has been published, one a line.
When the file is there, ``content check`` refuses

- a listed key that is neither a lesson's key nor one of its aliases (a rename with no alias), and
- a lesson whose key is not listed yet (run ``flask content keys`` to record it),

so every lesson that learners could have progress on is always covered. Retiring a lesson on
purpose means deleting its line by hand, which shows up in review.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from .model import Problem
from .parse import SLUG_RE
from .safety import control_characters

if TYPE_CHECKING:
    from .walk import LessonEntry

MANIFEST = "published-keys.txt"

_HEADER = """\
# Every lesson key that has been published, one a line. Learners' progress is stored against
# these keys, so `flask --app leaders content check` refuses a listed key that no lesson has
# (as its key or one of its aliases). Add new lessons with `flask --app leaders content keys`.
# Delete a line only to retire a lesson on purpose: its learners' records will no longer show.
"""

Report = Callable[[Path, int | None, str], None]


def index_aliases(lessons: list[LessonEntry], root: Path, problem: Report) -> dict[str, str]:
    """Every key and alias → the lesson key it leads to; report aliases that cannot be used."""
    targets = {lesson.key: lesson.key for lesson in lessons}
    owners: dict[str, LessonEntry] = {}
    by_key = {lesson.key: lesson for lesson in lessons}
    for lesson in lessons:
        for alias, line in lesson.values.get("aliases", []):
            full = alias_key(alias, lesson.course_key, lesson.module_key)
            if full is None:
                problem(
                    lesson.path,
                    line,
                    f'alias "{alias}" is not a lesson name or key: write an earlier name of '
                    "this lesson, like problem-types, or a full key, like "
                    "course/module/lesson",
                )
            elif full == lesson.key:
                problem(lesson.path, line, f'alias "{alias}" is this lesson\'s own key: remove it')
            elif full in by_key:
                problem(
                    lesson.path,
                    line,
                    f'alias "{alias}" is the key of another lesson '
                    f"({relative(by_key[full].path, root)}): an alias must be a name "
                    "that no lesson has now",
                )
            elif full in owners:
                other = owners[full]
                where = (
                    "it is listed twice"
                    if other is lesson
                    else f"it is also an alias of {relative(other.path, root)}"
                )
                problem(
                    lesson.path,
                    line,
                    f'alias "{alias}" can lead to only one lesson, but {where}: remove one',
                )
            else:
                owners[full] = lesson
                targets[full] = lesson.key
                lesson.aliases.append(full)
    return targets


def alias_key(alias: str, course_key: str, module_key: str) -> str | None:
    parts = alias.strip("/").split("/")
    if not all(SLUG_RE.fullmatch(part) for part in parts):
        return None
    if len(parts) == 1:
        return f"{module_key}/{parts[0]}"
    if len(parts) == 2:
        return f"{course_key}/{alias.strip('/')}"
    if len(parts) == 3:
        return "/".join(parts)
    return None


def relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def read_manifest(root: Path) -> tuple[list[tuple[str, int]] | None, list[Problem]]:
    """The (key, line) pairs in the manifest; None when there is no manifest."""
    path = root / MANIFEST
    if not path.is_file():
        return None, []
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return [], [Problem(path, None, "cannot be read as UTF-8 text: save it again")]
    problems = control_characters(path, text)
    if problems:
        return [], problems
    keys: list[tuple[str, int]] = []
    seen: set[str] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split("/")
        if len(parts) != 3 or not all(SLUG_RE.fullmatch(part) for part in parts):
            problems.append(
                Problem(
                    path,
                    number,
                    f'"{line[:80]}" is not a lesson key: write one key a line, like '
                    "course/module/lesson",
                )
            )
        elif line in seen:
            problems.append(Problem(path, number, f'"{line}" is listed twice: delete one'))
        else:
            seen.add(line)
            keys.append((line, number))
    return keys, problems


def check_manifest(
    root: Path,
    lessons: Iterable[LessonEntry],
    targets: dict[str, str],
    *,
    require_recorded: bool = True,
) -> tuple[list[Problem], list[Problem]]:
    """(problems, warnings) comparing the lessons with the manifest of published keys.

    ``require_recorded=False`` (for ``content keys``, which records them) allows unlisted keys.
    """
    listed, problems = read_manifest(root)
    path = root / MANIFEST
    if listed is None:
        warning = Problem(
            path,
            None,
            f"warning: there is no {MANIFEST}, so renamed lessons cannot be checked: run "
            "`flask --app leaders content keys` to create it",
        )
        return [], [warning]
    recorded = {key for key, _ in listed}
    for key, line in listed:
        if key not in targets:
            problems.append(
                Problem(
                    path,
                    line,
                    f'lesson "{key}" was published, but no lesson has this key or alias, so its '
                    "learners' progress would be lost: if the lesson was renamed or moved, add "
                    f'"{key}" to its aliases; if it was retired on purpose, delete this line',
                )
            )
    for lesson in lessons if require_recorded else ():
        if lesson.key not in recorded:
            problems.append(
                Problem(
                    lesson.path,
                    1,
                    f'the lesson key "{lesson.key}" is not in {MANIFEST} yet: run '
                    "`flask --app leaders content keys` to record it (if the lesson was renamed, "
                    "first list its earlier name under aliases)",
                )
            )
    return problems, []


def record(root: Path, keys: Iterable[str]) -> list[str]:
    """Add the keys the manifest does not list yet (never removing any); return those added."""
    listed, _ = read_manifest(root)
    known = {key for key, _ in listed or []}
    added = [key for key in keys if key not in known]
    path = root / MANIFEST
    if listed is None:
        path.write_text(_HEADER + "".join(f"{key}\n" for key in added), encoding="utf-8")
    elif added:
        text = path.read_text(encoding="utf-8")
        if text and not text.endswith("\n"):
            text += "\n"
        path.write_text(text + "".join(f"{key}\n" for key in added), encoding="utf-8")
    return added
