"""Walk the content folder, check everything, and build the catalogue (or report every problem).

Loading runs in four steps, each in its own module:

1. walk the folders and read every file's front matter (cheap: no Markdown) — walk.py;
2. index the lesson keys and aliases, which lesson links resolve against, and compare them with
   the published keys — keys.py;
3. render each document, or take it from the disk cache when its source, the renderer and the
   targets of its lesson links are unchanged — bodies.py;
4. if nothing is wrong, assemble the immutable catalogue — assemble.py.

This module runs them in order and gathers what they find.

A warm load (nothing changed) therefore reads, hashes and parses front matter only.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass
from pathlib import Path

from leaders.timeutil import uk_today

from .assemble import assemble
from .bodies import Bodies
from .cache import DiskCache
from .keys import check_manifest, index_aliases
from .model import Catalogue, ContentError, LoadStats, Problem
from .walk import CourseEntry, walk


def check(content_dir: Path | str) -> list[Problem]:
    """Every problem in the content, sorted by file and line (an empty list when it is valid)."""
    _, problems = build(content_dir)
    return problems


def load_catalogue(content_dir: Path | str, cache_dir: Path | str | None = None) -> Catalogue:
    """Load and check the content; raise ContentError listing every problem if there are any.

    ``cache_dir`` holds rendered documents between loads (None: render everything).
    """
    catalogue, problems = build(content_dir, cache_dir)
    if problems or catalogue is None:
        raise ContentError(problems)
    return catalogue


def build(
    content_dir: Path | str, cache_dir: Path | str | None = None
) -> tuple[Catalogue | None, list[Problem]]:
    """The catalogue and no problems, or None and every problem found."""
    report = build_report(content_dir, cache_dir)
    return report.catalogue, report.problems


@dataclass(frozen=True, slots=True)
class Report:
    """What a load found: the catalogue (None if there are problems), problems and warnings.

    Warnings (such as a missing list of published keys) never stop the content loading.
    ``keys`` are the lesson keys found, valid or not.
    """

    catalogue: Catalogue | None
    problems: list[Problem]
    warnings: list[Problem]
    keys: list[str]


def build_report(
    content_dir: Path | str,
    cache_dir: Path | str | None = None,
    *,
    require_recorded: bool = True,
) -> Report:
    """Load the content; ``require_recorded=False`` allows keys not yet in published-keys.txt."""
    cache = DiskCache(Path(cache_dir)) if cache_dir is not None else None
    load = _Load(Path(content_dir).absolute(), cache, require_recorded)
    # A load makes many small objects and few reference cycles: pausing the cyclic garbage
    # collector while it runs saves a fifth of a warm load. Reference counting still frees memory.
    collecting = gc.isenabled()
    gc.disable()
    try:
        catalogue = load.build()
    finally:
        if collecting:
            gc.enable()
    problems = sorted(dict.fromkeys(load.problems), key=Problem.sort_key)
    warnings = sorted(dict.fromkeys(load.warnings), key=Problem.sort_key)
    return Report(None if problems else catalogue, problems, warnings, load.keys)


class _Load:
    """One load's state: the problems, warnings and keys its steps find."""

    def __init__(self, root: Path, cache: DiskCache | None, require_recorded: bool) -> None:
        self.root = root
        self.cache = cache
        self.require_recorded = require_recorded
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.keys: list[str] = []

    def problem(self, path: Path, line: int | None, message: str) -> None:
        self.problems.append(Problem(path, line, message))

    def build(self) -> Catalogue | None:
        if not self.root.is_dir():
            self.problem(
                self.root, None, "the content folder does not exist: check the folder name"
            )
            return None
        courses = walk(self.root, self.problems, uk_today())
        targets = self._index(courses)
        bodies = Bodies(self.cache, targets.get, self.problems)
        documents = bodies.render_all(courses)
        if self.problems:
            return None
        stats = LoadStats(rendered=bodies.rendered, cached=bodies.cached)
        return assemble(self.root, courses, documents, stats)

    def _index(self, courses: list[CourseEntry]) -> dict[str, str]:
        """Every lesson key and alias → the key it leads to; check them against the manifest."""
        lessons = [
            lesson for course in courses for module in course.modules for lesson in module.lessons
        ]
        targets = index_aliases(lessons, self.root, self.problem)
        problems, warnings = check_manifest(
            self.root, lessons, targets, require_recorded=self.require_recorded
        )
        self.problems.extend(problems)
        self.warnings.extend(warnings)
        self.keys = [lesson.key for lesson in lessons]
        return targets


__all__ = ["ContentError", "Report", "build", "build_report", "check", "load_catalogue"]
