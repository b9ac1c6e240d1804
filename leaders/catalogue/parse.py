"""Content files → text, version, front matter fields and body, with problems that carry lines."""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from . import yamlnodes
from .certificate import read_certificate
from .model import Problem
from .safety import control_characters
from .yamlnodes import Node

SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
SLUG_RE = re.compile(rf"{SLUG}")
#: ``NN-slug``: the number orders, the slug is the key.
NUMBERED_RE = re.compile(rf"(\d{{2}})-({SLUG})")
#: A course folder may be numbered too, though the guide shows it without.
COURSE_RE = re.compile(rf"(?:(\d{{2}})-)?({SLUG})")

_FENCE = {"---"}
_FENCE_END = {"---", "..."}


def normalise(text: str) -> str:
    """The text as versions see it: LF line ends, no trailing spaces, no trailing blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).rstrip("\n")


def fingerprint(text: str) -> str:
    """First 12 hex characters of the sha256 of the normalised text."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True, slots=True)
class Source:
    """One Markdown file, split into front matter and body."""

    path: Path
    text: str
    version: str
    #: The front matter mapping, or None when it is missing or unreadable.
    fields: Node | None
    #: None when the front matter is not closed, so where the body starts is unknown.
    body: str | None
    #: File line of the body's first line.
    body_line: int

    def lines(self) -> list[str]:
        return self.text.split("\n")


def read_source(path: Path) -> tuple[Source | None, list[Problem]]:
    """Read a content file: decode it, fingerprint it and split off its front matter."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return None, [Problem(path, None, f"cannot be read: {error.strerror or error}")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return None, [Problem(path, line, "is not UTF-8 text: save the file with UTF-8 encoding")]
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    controls = control_characters(path, text)
    if controls:
        return None, controls
    return split_front_matter(path, text)


def split_front_matter(path: Path, text: str) -> tuple[Source, list[Problem]]:
    version = fingerprint(text)
    lines = text.split("\n")
    if not lines or lines[0].rstrip() not in _FENCE:
        problem = Problem(
            path,
            1,
            "the file does not start with front matter: put its settings between two lines of "
            "three dashes (---) at the very top",
        )
        return Source(path, text, version, None, text, 1), [problem]
    close = next((i for i in range(1, len(lines)) if lines[i].rstrip() in _FENCE_END), None)
    if close is None:
        problem = Problem(
            path, 1, "the front matter is not closed: add a line of three dashes (---) after it"
        )
        return Source(path, text, version, None, None, 1), [problem]
    body = "\n".join(lines[close + 1 :])
    body_line = close + 2
    try:
        root, duplicates = yamlnodes.load("\n".join(lines[1:close]), first_line=2)
    except yamlnodes.YamlProblem as error:
        problem = Problem(path, error.line, f"the front matter is not valid YAML: {error.message}")
        return Source(path, text, version, None, body, body_line), [problem]
    problems = [Problem(path, line, f"front matter setting {what}") for line, what in duplicates]
    if root is None:
        root = Node({}, 1)
    elif not root.is_mapping:
        problems.append(
            Problem(
                path,
                root.line,
                'the front matter must be settings, one on each line, like "title: Your place '
                'as a system"',
            )
        )
        root = None
    return Source(path, text, version, root, body, body_line), problems


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    required: bool
    kind: str  # "text", "minutes", "outcomes", "aliases", "date" or "certificate"
    #: Said in the "missing" message, to show what to add.
    example: str


_TITLE = Field("title", True, "text", 'a line like "title: Your place as a system"')
_SUMMARY = Field(
    "summary", True, "text", 'one sentence, like "summary: How the bodies fit together."'
)
_OUTCOMES = Field(
    "outcomes", True, "outcomes", 'a list of outcomes, each on a line starting with "  - "'
)
HEADER_FIELDS = (_TITLE, _SUMMARY, _OUTCOMES)
#: A course's header may also say when a learner earns its certificate (catalogue/certificate.py).
COURSE_FIELDS = (*HEADER_FIELDS, Field("certificate", False, "certificate", ""))
LESSON_FIELDS = (
    _TITLE,
    Field("minutes", True, "minutes", 'a line like "minutes: 15" (how long the lesson takes)'),
    Field("summary", False, "text", ""),
    Field("aliases", False, "aliases", ""),
    Field("reviewed", False, "date", ""),
    Field("review_by", False, "date", ""),
)


def read_fields(
    source: Source, spec: tuple[Field, ...], what: str
) -> tuple[dict[str, Any], list[Problem]]:
    """Check the front matter against ``spec``; return the values found and the problems.

    ``aliases`` come back as a list of (alias, line).
    """
    path = source.path
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    fields = source.fields
    if fields is None:
        return values, problems
    entries: dict[str, Node] = fields.value
    names = [field.name for field in spec]
    for key, entry in entries.items():
        if key not in names:
            problems.append(Problem(path, entry.line, unknown_setting(key, names, what)))
    for field in spec:
        node = entries.get(field.name)
        if node is None or node.value is None:
            if field.required:
                message = f"the front matter has no {field.name}: add {field.example}"
                problems.append(Problem(path, 1, message))
            continue
        value, problem = _FIELD_READERS[field.kind](field.name, node)
        if problem:
            problems.append(Problem(path, node.line, problem))
        else:
            values[field.name] = value
    return values, problems


def unknown_setting(key: str, names: list[str], what: str) -> str:
    """'unknown setting "minuts" (did you mean "minutes"?): a lesson's settings are ...'."""
    close = difflib.get_close_matches(key, names, n=1)
    hint = f' (did you mean "{close[0]}"?)' if close else ""
    listed = ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else names[0]
    return f'unknown setting "{key}"{hint}: {what} settings are {listed}'


def _read_text(name: str, node: Node) -> tuple[str | None, str | None]:
    text = node.as_text()
    if text is None or node.is_mapping or node.is_list:
        return None, f'{name} must be text on the same line, like "{name}: ..."'
    if not text.strip():
        return None, f'{name} is empty: write it after "{name}:"'
    return text.strip(), None


def _read_minutes(name: str, node: Node) -> tuple[int | None, str | None]:
    value = node.value
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 120:
        shown = node.text if node.text is not None else "a list"
        return None, f'minutes must be a whole number from 1 to 120, not "{shown}"'
    return value, None


def _read_outcomes(name: str, node: Node) -> tuple[tuple[str, ...] | None, str | None]:
    message = 'outcomes must be a list of at least one outcome, each on a line starting with "  - "'
    if not node.is_list or not node.value:
        return None, message
    outcomes = []
    for item in node.value:
        text = item.as_text()
        if text is None or not text.strip() or item.is_list or item.is_mapping:
            return None, message
        outcomes.append(text.strip())
    return tuple(outcomes), None


def _read_aliases(name: str, node: Node) -> tuple[list[tuple[str, int]] | None, str | None]:
    message = 'aliases must be a list of earlier lesson names, each on a line starting with "  - "'
    if not node.is_list:
        return None, message
    aliases = []
    for item in node.value:
        text = item.as_text()
        if text is None or item.is_list or item.is_mapping:
            return None, message
        aliases.append((text.strip(), item.line))
    return aliases, None


def _read_date(name: str, node: Node) -> tuple[date | None, str | None]:
    value = node.value
    if isinstance(value, datetime) or not isinstance(value, date):
        shown = node.text if node.text is not None else "a list"
        return (
            None,
            f'{name} must be a date written as YYYY-MM-DD, like "{name}: 2025-03-31", not "{shown}"',
        )
    return value, None


_FIELD_READERS: dict[str, Any] = {
    "text": _read_text,
    "minutes": _read_minutes,
    "outcomes": _read_outcomes,
    "aliases": _read_aliases,
    "date": _read_date,
    "certificate": read_certificate,
}
