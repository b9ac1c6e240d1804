"""Step 1 of a load: walk the content folder and read every file's front matter.

The tree is ``course/NN-module/NN-lesson.md``, with ``course.md`` and ``module.md`` headers and
images beside a module's lessons. Walking checks the names and shape of the tree (stray Markdown,
missing headers, duplicate keys, symbolic links out of the folder, unsafe SVG) and reads each
file's front matter, but renders no Markdown: that is step 3 (bodies.py), and a warm load that
takes every body from the disk cache stops after this step and the key checks.

The result is a list of mutable *entries*, one per course, module and lesson, in display order;
problems go into the list the walker is given.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from . import currency
from .certificate import check_modules
from .model import IMAGE_EXTENSIONS, Problem
from .parse import (
    COURSE_FIELDS,
    COURSE_RE,
    HEADER_FIELDS,
    LESSON_FIELDS,
    NUMBERED_RE,
    Source,
    read_fields,
    read_source,
)
from .safety import LINK_OUT, outside, svg_problems

_README = "readme.md"
_BAD_NAME = "use lower-case letters, digits and hyphens only"


@dataclass(slots=True)
class LessonEntry:
    """A lesson file: its place in the tree, front matter and (filled in step 2) aliases."""

    path: Path
    number: int
    slug: str
    key: str
    course_key: str
    module_key: str
    source: Source | None
    values: dict[str, Any]
    aliases: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ModuleEntry:
    """A module folder: its header, lessons and the images beside them."""

    path: Path
    number: int
    slug: str
    key: str
    course_key: str
    source: Source | None
    values: dict[str, Any]
    lessons: list[LessonEntry] = field(default_factory=list)
    images: dict[str, Path] = field(default_factory=dict)


@dataclass(slots=True)
class CourseEntry:
    """A course folder: its header and modules. Its key is its name without a number."""

    path: Path
    number: int
    slug: str
    source: Source | None
    values: dict[str, Any]
    modules: list[ModuleEntry] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.slug


def _is_md(name: str) -> bool:
    return name.lower().endswith(".md")


def walk(root: Path, problems: list[Problem], today: date) -> list[CourseEntry]:
    """The courses under ``root`` (an existing folder), in order; problems are appended."""
    return _Walker(root, problems, today).walk()


class _Walker:
    def __init__(self, root: Path, problems: list[Problem], today: date) -> None:
        self.root = root
        self.today = today
        self._problems = problems
        self._links_out: set[str] = set()

    def problem(self, path: Path, line: int | None, message: str) -> None:
        self._problems.append(Problem(path, line, message))

    def walk(self) -> list[CourseEntry]:
        self._links_out = self._find_links_out()
        return self._courses()

    def _entries(self, folder: Path) -> list[os.DirEntry[str]]:
        """The folder's visible entries, by name, without links that lead out of the folder."""
        try:
            with os.scandir(folder) as found:
                entries = sorted(
                    (e for e in found if not e.name.startswith(".")), key=lambda e: e.name
                )
        except OSError:
            return []
        return [entry for entry in entries if entry.path not in self._links_out]

    def _find_links_out(self) -> set[str]:
        """Report every symbolic link in the tree that leads outside it; return their paths."""
        found: set[str] = set()
        for directory, folders, names in os.walk(self.root):
            folders[:] = [name for name in folders if not name.startswith(".")]
            for name in folders + names:
                path = os.path.join(directory, name)
                if not name.startswith(".") and os.path.islink(path) and outside(path, self.root):
                    self.problem(Path(path), None, LINK_OUT)
                    found.add(path)
        return found

    def _courses(self) -> list[CourseEntry]:
        courses: list[CourseEntry] = []
        for entry in self._entries(self.root):
            path = Path(entry.path)
            if entry.is_dir():
                courses.append(self._course(path))
            elif _is_md(entry.name) and entry.name.lower() != _README:
                self.problem(
                    path,
                    None,
                    "stray Markdown file: the content folder holds course folders only; put "
                    "lessons in a module folder, like a-course/01-a-module/01-a-lesson.md",
                )
        return self._unique(courses, "course", "courses")

    def _header(
        self, path: Path, what: str, spec: tuple[Any, ...] = HEADER_FIELDS
    ) -> tuple[Source | None, dict[str, Any]]:
        source, problems = read_source(path)
        self._problems.extend(problems)
        if source is None:
            return None, {}
        values, problems = read_fields(source, spec, what)
        self._problems.extend(problems)
        return source, values

    def _course(self, folder: Path) -> CourseEntry:
        name = folder.name
        match = COURSE_RE.fullmatch(name)
        if match is None:
            self.problem(
                folder,
                None,
                f'course folder "{name}" is not named correctly: {_BAD_NAME}, like '
                "leading-your-place",
            )
        number = int(match.group(1)) if match and match.group(1) else 100
        slug = match.group(2) if match else name
        header = folder / "course.md"
        source: Source | None = None
        values: dict[str, Any] = {}
        if header.is_file():
            source, values = self._header(header, "a course's", COURSE_FIELDS)
        else:
            self.problem(
                folder,
                None,
                "the course folder has no course.md: add one with a title, summary and outcomes",
            )
        course = CourseEntry(folder, number, slug, source, values)
        modules: list[ModuleEntry] = []
        for entry in self._entries(folder):
            path = Path(entry.path)
            if entry.is_dir():
                modules.append(self._module(course, path))
            elif _is_md(entry.name) and entry.name != "course.md" and entry.name.lower() != _README:
                self.problem(
                    path,
                    None,
                    "stray Markdown file: a course folder holds only course.md and module "
                    "folders; put lessons in a module folder, like 01-introduction/01-welcome.md",
                )
        if not modules:
            self.problem(
                folder,
                None,
                "the course has no modules: add a module folder, like 01-introduction, with a "
                "module.md and at least one lesson",
            )
        course.modules = self._unique(modules, "module", "modules")
        if "certificate" in values:
            slugs = [module.slug for module in course.modules]
            values["certificate"] = check_modules(
                header, course.key, values["certificate"], slugs, self._problems
            )
        return course

    def _module(self, course: CourseEntry, folder: Path) -> ModuleEntry:
        name = folder.name
        match = NUMBERED_RE.fullmatch(name)
        if match is None:
            self.problem(
                folder,
                None,
                f'module folder "{name}" is not named correctly: start it with a two-digit number '
                f"and a hyphen, then {_BAD_NAME}, like 01-your-place-as-a-system",
            )
        number, slug = (int(match.group(1)), match.group(2)) if match else (99, name)
        header = folder / "module.md"
        source: Source | None = None
        values: dict[str, Any] = {}
        if header.is_file():
            source, values = self._header(header, "a module's")
        else:
            self.problem(
                folder,
                None,
                "the module folder has no module.md: add one with a title, summary and outcomes",
            )
        key = f"{course.key}/{slug}"
        module = ModuleEntry(folder, number, slug, key, course.key, source, values)
        lessons: list[LessonEntry] = []
        images: dict[str, Path] = {}
        for entry in self._entries(folder):
            path = Path(entry.path)
            if entry.is_dir():
                self._stray_markdown(path, "lessons must sit directly in the module folder")
                continue
            if not _is_md(entry.name):
                if path.suffix.lower() in IMAGE_EXTENSIONS:
                    images[entry.name] = path
                    if path.suffix.lower() == ".svg":
                        self._problems.extend(svg_problems(path))
                continue
            if entry.name == "module.md" or entry.name.lower() == _README:
                continue
            stem = entry.name[:-3]
            lesson_match = NUMBERED_RE.fullmatch(stem)
            if lesson_match is None or not entry.name.endswith(".md"):
                self.problem(
                    path,
                    None,
                    f'lesson file "{entry.name}" is not named correctly: start it with a two-digit '
                    f"number and a hyphen, then {_BAD_NAME}, and end it with .md, like "
                    "01-what-is-a-place-based-system.md",
                )
            number, lesson_slug = (
                (int(lesson_match.group(1)), lesson_match.group(2)) if lesson_match else (99, stem)
            )
            lessons.append(self._lesson(module, path, number, lesson_slug))
        module.images = images
        if not lessons:
            self.problem(
                folder,
                None,
                "the module has no lessons: add a lesson file, like 01-introduction.md",
            )
        module.lessons = self._unique(lessons, "lesson", "lessons")
        return module

    def _lesson(self, module: ModuleEntry, path: Path, number: int, slug: str) -> LessonEntry:
        key = f"{module.key}/{slug}"
        source, problems = read_source(path)
        self._problems.extend(problems)
        values: dict[str, Any] = {}
        if source is not None:
            values, problems = read_fields(source, LESSON_FIELDS, "a lesson's")
            self._problems.extend(problems)
            self._problems.extend(currency.date_problems(source, values, self.today))
            if source.body is not None and not source.body.strip():
                self.problem(
                    path, 1, "the lesson has no content: write the lesson below the front matter"
                )
        return LessonEntry(path, number, slug, key, module.course_key, module.key, source, values)

    def _unique(self, items: list[Any], what: str, plural: str) -> list[Any]:
        """Sort by number, then name; report and drop any later item with the same key."""
        items.sort(key=lambda item: (item.number, item.slug, item.path.name))
        seen: dict[str, Any] = {}
        unique = []
        for item in items:
            if item.key in seen:
                self.problem(
                    item.path,
                    None,
                    f'{what} key "{item.key}" is also used by {seen[item.key].path.name}: give '
                    f"the {plural} different names after their numbers",
                )
            else:
                seen[item.key] = item
                unique.append(item)
        return unique

    def _stray_markdown(self, folder: Path, why: str) -> None:
        for directory, _, names in os.walk(folder):
            for name in sorted(names):
                if _is_md(name) and name.lower() != _README:
                    self.problem(
                        Path(directory) / name,
                        None,
                        f"stray Markdown file: it will not be shown, because {why}",
                    )
