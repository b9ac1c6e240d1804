"""The catalogue's immutable objects: courses, modules, lessons and what lessons contain.

Everything here is a frozen dataclass holding tuples, built once at load and shared by every request.
Keys are the identity the database stores learner state against:

- course key: ``leading-your-place``
- module key: ``leading-your-place/your-place-as-a-system``
- lesson key: ``leading-your-place/your-place-as-a-system/tame-wicked-and-critical``
- quiz key: ``<lesson key>#<quiz id>``, prompt key: ``<lesson key>#<prompt id>``
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .certificate import CertificateRule

#: URL of a course page. The app's routes match these patterns; rendered lesson links use them.
COURSE_URL = "/courses/{course}"
#: URL of a module page; ``module`` is the module's slug (the last part of its key).
MODULE_URL = "/courses/{course}/{module}"
#: URL of a lesson page; ``lesson`` is the lesson's slug.
LESSON_URL = "/courses/{course}/{module}/{lesson}"
#: URL of an image stored in a module folder; see ``Catalogue.module_file``.
FILE_URL = "/courses/{course}/{module}/files/{filename}"

#: File types an author may put in a module folder and show in a lesson.
IMAGE_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"})


def lesson_url(key: str, anchor: str = "") -> str:
    """The URL of the lesson with this (canonical) key, with an optional ``#anchor``."""
    course, module, lesson = key.split("/")
    url = LESSON_URL.format(course=course, module=module, lesson=lesson)
    return f"{url}#{anchor}" if anchor else url


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the content, at a file and (when it has one) a line."""

    path: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        return self.format()

    def format(self) -> str:
        """``path:line: message``, with the path relative to the current folder when possible."""
        where = display_path(self.path)
        if self.line is None:
            return f"{where}: {self.message}"
        return f"{where}:{self.line}: {self.message}"

    def sort_key(self) -> tuple[str, int, str]:
        return (str(self.path), self.line or 0, self.message)


def display_path(path: Path) -> str:
    """The path relative to the current folder if it is inside it, else as given."""
    try:
        return os.path.relpath(path) if path.is_absolute() and _inside_cwd(path) else str(path)
    except ValueError:  # another drive on Windows
        return str(path)


def _inside_cwd(path: Path) -> bool:
    cwd = Path.cwd()
    return path == cwd or cwd in path.parents


class ContentError(Exception):
    """The content has problems, so no catalogue was built. ``problems`` lists every one."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        lines = "\n".join(problem.format() for problem in self.problems)
        super().__init__(f"The content has {count} {noun}:\n{lines}")


@dataclass(frozen=True, slots=True)
class Option:
    text_html: str
    correct: bool
    #: Shown only after the learner submits.
    feedback_html: str


@dataclass(frozen=True, slots=True)
class Question:
    #: 1-based position in the quiz ("question 2" in messages).
    index: int
    #: Inline HTML when the question is one paragraph (so it fits in a ``<legend>``).
    text_html: str
    #: True when the learner may choose several options (checkboxes rather than radios).
    multiple: bool
    options: tuple[Option, ...]

    @property
    def correct_indexes(self) -> frozenset[int]:
        """0-based indexes of the correct options."""
        return frozenset(i for i, option in enumerate(self.options) if option.correct)


@dataclass(frozen=True, slots=True)
class Quiz:
    id: str
    #: ``<lesson key>#<quiz id>``: attempts are stored against it.
    key: str
    title: str
    #: Percentage needed to pass; None means the quiz is practice.
    pass_mark: int | None
    questions: tuple[Question, ...]
    #: Fingerprint of the quiz's YAML: changes whenever the questions or answers change.
    version: str


@dataclass(frozen=True, slots=True)
class Prompt:
    id: str
    #: ``<lesson key>#<prompt id>``: journal entries are stored against it.
    key: str
    #: Plain text: escape it when drawing it.
    text: str


@dataclass(frozen=True, slots=True)
class Reflection:
    title: str
    prompts: tuple[Prompt, ...]


@dataclass(frozen=True, slots=True)
class HtmlSegment:
    """Rendered, sanitised lesson HTML. It never contains answers or feedback."""

    html: str


@dataclass(frozen=True, slots=True)
class QuizSegment:
    """Where a quiz goes: the page draws the learner's form here."""

    quiz: Quiz


@dataclass(frozen=True, slots=True)
class ReflectionSegment:
    """Where a reflection goes: the page draws the learner's journal form here."""

    reflection: Reflection


Segment = HtmlSegment | QuizSegment | ReflectionSegment


@dataclass(frozen=True, slots=True)
class Lesson:
    key: str
    course_key: str
    module_key: str
    slug: str
    title: str
    minutes: int
    summary: str
    #: Earlier keys of this lesson, as full keys.
    aliases: tuple[str, ...]
    #: First 12 hex characters of the sha256 of the normalised source.
    version: str
    source_path: Path
    word_count: int
    segments: tuple[Segment, ...]
    #: (anchor id, text) of each top-level section; empty unless there are 3 or more.
    toc: tuple[tuple[str, str], ...]
    quizzes: tuple[Quiz, ...]
    prompts: tuple[Prompt, ...]
    #: 1-based position within its module.
    position: int
    #: When someone last checked the lesson is accurate (front matter ``reviewed``), if ever.
    reviewed: date | None = None
    #: When it is next due for review: ``review_by``, or a year after ``reviewed``.
    review_by: date | None = None
    #: File line of ``reviewed`` (1 when there is none), for warnings.
    review_line: int = 1

    @property
    def url(self) -> str:
        return lesson_url(self.key)

    def overdue(self, today: date) -> bool:
        """True when the lesson is past its review date, or has never been reviewed."""
        return self.review_by is None or self.review_by < today

    @property
    def module_slug(self) -> str:
        return self.module_key.split("/")[1]


@dataclass(frozen=True, slots=True)
class Module:
    key: str
    course_key: str
    slug: str
    title: str
    summary: str
    outcomes: tuple[str, ...]
    body_html: str
    lessons: tuple[Lesson, ...]
    #: Sum of the lessons' minutes.
    minutes: int
    #: 1-based position within its course.
    position: int
    source_path: Path

    @property
    def url(self) -> str:
        return MODULE_URL.format(course=self.course_key, module=self.slug)

    @property
    def word_count(self) -> int:
        return sum(lesson.word_count for lesson in self.lessons)


@dataclass(frozen=True, slots=True)
class Course:
    key: str
    title: str
    summary: str
    outcomes: tuple[str, ...]
    body_html: str
    modules: tuple[Module, ...]
    #: Sum of the modules' minutes.
    minutes: int
    source_path: Path
    #: When a learner earns the course's certificate (front matter ``certificate``), if it has one.
    certificate: CertificateRule | None = None

    @property
    def url(self) -> str:
        return COURSE_URL.format(course=self.key)

    @property
    def lessons(self) -> tuple[Lesson, ...]:
        return tuple(lesson for module in self.modules for lesson in module.lessons)

    @property
    def word_count(self) -> int:
        return sum(module.word_count for module in self.modules)


@dataclass(frozen=True, slots=True)
class LoadStats:
    """How a load went: how many documents were rendered and how many came from the disk cache."""

    rendered: int = 0
    cached: int = 0


@dataclass(frozen=True, slots=True)
class Catalogue:
    """Every course, with O(1) look-ups built at load. Immutable: a reload builds a new one."""

    courses: Mapping[str, Course]
    #: Folder of each module, by module key, and the image files in it, by name.
    module_files: Mapping[str, Mapping[str, Path]] = field(repr=False)
    stats: LoadStats = field(default_factory=LoadStats, compare=False)
    #: The content folder: files are served only from inside it.
    root: Path | None = field(default=None, compare=False)
    _modules: Mapping[str, Module] = field(init=False, repr=False, compare=False)
    _lessons: Mapping[str, Lesson] = field(init=False, repr=False, compare=False)
    _canonical: Mapping[str, str] = field(init=False, repr=False, compare=False)
    _course_order: Mapping[str, tuple[Lesson, ...]] = field(init=False, repr=False, compare=False)
    _position: Mapping[str, int] = field(init=False, repr=False, compare=False)
    _quizzes: Mapping[str, Quiz] = field(init=False, repr=False, compare=False)
    _prompts: Mapping[str, Prompt] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        modules: dict[str, Module] = {}
        lessons: dict[str, Lesson] = {}
        canonical: dict[str, str] = {}
        course_order: dict[str, tuple[Lesson, ...]] = {}
        position: dict[str, int] = {}
        quizzes: dict[str, Quiz] = {}
        prompts: dict[str, Prompt] = {}
        for course in self.courses.values():
            ordered = course.lessons
            course_order[course.key] = ordered
            for index, lesson in enumerate(ordered):
                position[lesson.key] = index
            for module in course.modules:
                modules[module.key] = module
            for lesson in ordered:
                lessons[lesson.key] = lesson
                canonical[lesson.key] = lesson.key
                for alias in lesson.aliases:
                    canonical[alias] = lesson.key
                quizzes.update((quiz.key, quiz) for quiz in lesson.quizzes)
                prompts.update((prompt.key, prompt) for prompt in lesson.prompts)
        setter = object.__setattr__
        setter(self, "courses", MappingProxyType(dict(self.courses)))
        files = {key: MappingProxyType(dict(names)) for key, names in self.module_files.items()}
        setter(self, "module_files", MappingProxyType(files))
        setter(self, "_modules", MappingProxyType(modules))
        setter(self, "_lessons", MappingProxyType(lessons))
        setter(self, "_canonical", MappingProxyType(canonical))
        setter(self, "_course_order", MappingProxyType(course_order))
        setter(self, "_position", MappingProxyType(position))
        setter(self, "_quizzes", MappingProxyType(quizzes))
        setter(self, "_prompts", MappingProxyType(prompts))

    @property
    def lessons(self) -> Mapping[str, Lesson]:
        """Every lesson by canonical key, in course order."""
        return self._lessons

    @property
    def modules(self) -> Mapping[str, Module]:
        return self._modules

    def __iter__(self) -> Iterator[Course]:
        return iter(self.courses.values())

    def course(self, key: str) -> Course | None:
        return self.courses.get(key)

    def module(self, key: str) -> Module | None:
        return self._modules.get(key)

    def canonical_key(self, key: str) -> str | None:
        """The current key of the lesson with this key or alias, or None if there is none."""
        return self._canonical.get(key)

    def lesson(self, key: str) -> Lesson | None:
        """The lesson with this key, or whose alias it is (so old progress maps to it)."""
        canonical = self._canonical.get(key)
        return None if canonical is None else self._lessons[canonical]

    def lessons_in(self, course_key: str) -> tuple[Lesson, ...]:
        """The course's lessons in reading order (module by module)."""
        return self._course_order.get(course_key, ())

    def next_lesson(self, key: str) -> Lesson | None:
        """The lesson after this one in its course, crossing module boundaries."""
        return self._neighbour(key, 1)

    def previous_lesson(self, key: str) -> Lesson | None:
        return self._neighbour(key, -1)

    def _neighbour(self, key: str, step: int) -> Lesson | None:
        lesson = self.lesson(key)
        if lesson is None:
            return None
        ordered = self._course_order[lesson.course_key]
        index = self._position[lesson.key] + step
        return ordered[index] if 0 <= index < len(ordered) else None

    def quiz(self, quiz_key: str) -> Quiz | None:
        """The quiz with key ``<lesson key>#<quiz id>``; an alias of the lesson works too."""
        return self._quizzes.get(self._canonical_fragment_key(quiz_key))

    def prompt(self, prompt_key: str) -> Prompt | None:
        """The prompt with key ``<lesson key>#<prompt id>``; an alias of the lesson works too."""
        return self._prompts.get(self._canonical_fragment_key(prompt_key))

    def _canonical_fragment_key(self, key: str) -> str:
        lesson_key, _, fragment = key.partition("#")
        canonical = self._canonical.get(lesson_key)
        return key if canonical is None else f"{canonical}#{fragment}"

    def module_file(self, course: str, module: str, filename: str) -> Path | None:
        """The image ``filename`` in the folder of module ``course/module``, or None.

        Only image files that were in the module folder at load and still exist are returned, as
        their real paths (every symbolic link followed), and never a file outside the content
        folder, even if a link to one appeared after the load. So the app can serve the result
        without any path checks of its own.
        """
        path = self.module_files.get(f"{course}/{module}", {}).get(filename)
        if path is None or self.root is None:
            return None
        real = Path(os.path.realpath(path))
        root = Path(os.path.realpath(self.root))
        if root not in real.parents or not real.is_file():
            return None
        return real
