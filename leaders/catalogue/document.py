"""What rendering a document produces, and lesson-link resolution.

Kept apart from render.py so a warm load (everything from the disk cache) can check cached
documents without importing Markdown, pymdown-extensions or nh3.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version

from .model import (
    HtmlSegment,
    Prompt,
    Quiz,
    QuizSegment,
    ReflectionSegment,
    Segment,
    lesson_url,
)
from .parse import SLUG_RE

#: Bump whenever rendering (render.py, govuk_tree.py, blocks.py) or the checks of a body (scan.py,
#: quizzes.py) change: it invalidates the disk cache, whose entries were rendered and checked by older code.
RENDERER_VERSION = 4
_LIBRARIES = ("markdown", "pymdown-extensions", "nh3")

LESSON_LINK = "lesson:"

#: Resolves a full lesson key or alias to the current lesson key (None if there is none).
Resolver = Callable[[str], str | None]


@dataclass(frozen=True, slots=True)
class RenderedDocument:
    segments: tuple[Segment, ...]
    toc: tuple[tuple[str, str], ...]
    word_count: int
    #: (target as written, URL it resolved to) for each lesson link, so a cached document can
    #: tell when a target has moved.
    links: tuple[tuple[str, str], ...]
    #: File names of the module-folder images it shows.
    images: tuple[str, ...]

    @property
    def html(self) -> str:
        return "".join(s.html for s in self.segments if isinstance(s, HtmlSegment))

    @property
    def quizzes(self) -> tuple[Quiz, ...]:
        return tuple(s.quiz for s in self.segments if isinstance(s, QuizSegment))

    @property
    def prompts(self) -> tuple[Prompt, ...]:
        return tuple(
            prompt
            for s in self.segments
            if isinstance(s, ReflectionSegment)
            for prompt in s.reflection.prompts
        )


def link_key(target: str, course_key: str) -> tuple[str, str] | None:
    """``lesson:module/lesson#anchor`` → (full key, anchor), or None if it is not a lesson key."""
    spec, _, anchor = target.removeprefix(LESSON_LINK).partition("#")
    parts = spec.strip("/").split("/")
    if len(parts) == 2:
        parts.insert(0, course_key)
    if len(parts) != 3 or not all(SLUG_RE.fullmatch(part) for part in parts):
        return None
    return "/".join(parts), anchor


def resolve_link(target: str, course_key: str, resolve: Resolver) -> str | None:
    """The URL a lesson link goes to, or None if it names no lesson."""
    found = link_key(target, course_key)
    if found is None:
        return None
    key, anchor = found
    canonical = resolve(key)
    return None if canonical is None else lesson_url(canonical, anchor)


def links_hash(links: tuple[tuple[str, str], ...] | list[tuple[str, str]]) -> str:
    """A short hash of the resolved link targets, part of a cached document's key."""
    data = json.dumps(sorted(map(list, links)), separators=(",", ":"))
    return hashlib.sha256(data.encode()).hexdigest()[:16]


@functools.cache
def renderer_key() -> str:
    """RENDERER_VERSION plus the versions of the libraries that shape the HTML.

    Read from package metadata, so finding it does not import the libraries themselves.
    """
    versions = []
    for name in _LIBRARIES:
        try:
            versions.append(version(name))
        except PackageNotFoundError:  # pragma: no cover - they are dependencies
            versions.append("?")
    return "/".join([str(RENDERER_VERSION), *versions])


def mapping_resolver(targets: Mapping[str, str]) -> Resolver:
    return targets.get
