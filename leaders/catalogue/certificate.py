"""A course's certificate rule, from the ``certificate`` setting in its ``course.md`` front matter.

    certificate:
      modules: all              # or a list of module names (the folder name without its number)
      pass_mark: 70             # optional: the least percentage on every graded knowledge check
      attendance: 75            # optional: the least percentage of the cohort's past sessions

A learner earns the certificate when every lesson of those modules is complete, every knowledge
check in them that has a pass mark is passed (at its own mark, or at ``pass_mark`` if that is
higher), and, with ``attendance``, they were present at that share of their cohort's sessions.
Reading checks the shape here; the module names are checked against the course in ``check_modules``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .model import Problem
from .yamlnodes import Node

_KEYS = ("modules", "pass_mark", "attendance")
_EXAMPLE = 'like "certificate:" then "  modules: all" on the next line'


@dataclass(frozen=True, slots=True)
class CertificateRule:
    """When a learner earns the course's certificate (module keys, not slugs)."""

    modules: tuple[str, ...]
    pass_mark: int | None = None
    attendance: int | None = None

    def describe(self, module_titles: dict[str, str]) -> str:
        """The criteria in words, for the credential's Achievement and the certificate."""
        names = [module_titles.get(key, key) for key in self.modules]
        every = set(self.modules) == set(module_titles)
        parts = ["Complete every lesson of " + ("the course" if every else ", ".join(names))]
        checks = "pass every graded knowledge check in them"
        if self.pass_mark is not None:
            checks += f" with at least {self.pass_mark}%"
        parts.append(checks)
        if self.attendance is not None:
            parts.append(f"attend at least {self.attendance}% of the cohort's sessions")
        return "; ".join(parts) + "."


@dataclass(frozen=True, slots=True)
class RawRule:
    """The setting as read: ``modules`` is "all" or slugs with their lines."""

    modules: str | tuple[tuple[str, int], ...]
    pass_mark: int | None
    attendance: int | None
    line: int


def _percent(name: str, node: Node, low: int) -> tuple[int | None, str | None]:
    value = node.value
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= 100:
        shown = node.text if node.text is not None else "a list"
        return None, f'certificate {name} must be a whole number from {low} to 100, not "{shown}"'
    return value, None


def read_certificate(name: str, node: Node) -> tuple[RawRule | None, str | None]:
    """Read the ``certificate`` setting; the problem message if it is not of the right shape."""
    if not node.is_mapping:
        return None, f"certificate must be settings on the lines below it, {_EXAMPLE}"
    entries: dict[str, Node] = node.value
    for key in entries:
        if key not in _KEYS:
            return (
                None,
                f'unknown certificate setting "{key}": use modules, pass_mark or attendance',
            )
    modules_node = entries.get("modules")
    if modules_node is None or modules_node.value is None:
        return None, 'certificate has no modules: add "  modules: all" or a list of module names'
    modules: str | tuple[tuple[str, int], ...]
    if modules_node.is_list:
        slugs = []
        for item in modules_node.value:
            text = item.as_text()
            if text is None or item.is_list or item.is_mapping or not text.strip():
                return None, 'certificate modules must be module names, each on a line with "  - "'
            slugs.append((text.strip(), item.line))
        if not slugs:
            return None, "certificate modules is an empty list: name at least one module"
        modules = tuple(slugs)
    elif modules_node.as_text() == "all":
        modules = "all"
    else:
        return None, 'certificate modules must be "all" or a list of module names'
    marks: dict[str, int | None] = {"pass_mark": None, "attendance": None}
    for key, low in (("pass_mark", 1), ("attendance", 0)):
        found = entries.get(key)
        if found is not None and found.value is not None:
            value, problem = _percent(key, found, low)
            if problem:
                return None, problem
            marks[key] = value
    return RawRule(modules, marks["pass_mark"], marks["attendance"], node.line), None


def check_modules(
    path: Path, course_key: str, raw: Any, slugs: list[str], problems: list[Problem]
) -> CertificateRule | None:
    """The rule with module keys; a problem for each name that is not a module of the course."""
    if not isinstance(raw, RawRule):
        return None
    if isinstance(raw.modules, str):
        chosen = list(slugs)
    else:
        chosen = []
        for slug, line in raw.modules:
            if slug not in slugs:
                known = ", ".join(slugs) or "none"
                problems.append(
                    Problem(
                        path,
                        line,
                        f'certificate module "{slug}" is not a module of this course: its '
                        f"modules are {known}",
                    )
                )
            else:
                chosen.append(slug)
    keys = tuple(f"{course_key}/{slug}" for slug in chosen)
    return CertificateRule(keys, raw.pass_mark, raw.attendance)
