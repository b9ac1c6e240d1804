"""Walk the content folder, check everything, and build the catalogue (or report every problem).

Loading runs in four steps:

1. walk the folders and read every file's front matter (cheap: no Markdown);
2. index the lesson keys and aliases, which lesson links resolve against;
3. render each document, or take it from the disk cache when its source, the renderer and the
   targets of its lesson links are unchanged;
4. if nothing is wrong, assemble the immutable catalogue.

A warm load (nothing changed) therefore reads, hashes and parses front matter only.
"""

from __future__ import annotations

import gc
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leaders.timeutil import uk_today

from . import currency
from .cache import DiskCache
from .document import RenderedDocument, Resolver
from .keys import check_manifest, index_aliases
from .model import (
    IMAGE_EXTENSIONS,
    Catalogue,
    ContentError,
    Course,
    Lesson,
    LoadStats,
    Module,
    Problem,
)
from .parse import (
    COURSE_RE,
    HEADER_FIELDS,
    LESSON_FIELDS,
    NUMBERED_RE,
    Source,
    read_fields,
    read_source,
)
from .quizzes import QuizSpec, ReflectionSpec, duplicate_ids, parse_quiz, parse_reflection
from .safety import LINK_OUT, outside, svg_problems
from .scan import scan

if TYPE_CHECKING:
    from .render import Renderer


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
    builder = _Builder(Path(content_dir).absolute(), cache)
    builder.require_recorded = require_recorded
    # A load makes many small objects and few reference cycles: pausing the cyclic garbage
    # collector while it runs saves a fifth of a warm load. Reference counting still frees memory.
    collecting = gc.isenabled()
    gc.disable()
    try:
        catalogue = builder.build()
    finally:
        if collecting:
            gc.enable()
    problems = sorted(dict.fromkeys(builder.problems), key=Problem.sort_key)
    warnings = sorted(dict.fromkeys(builder.warnings), key=Problem.sort_key)
    return Report(None if problems else catalogue, problems, warnings, builder.keys)


_README = "readme.md"


@dataclass(slots=True)
class _LessonEntry:
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
class _ModuleEntry:
    path: Path
    number: int
    slug: str
    key: str
    course_key: str
    source: Source | None
    values: dict[str, Any]
    lessons: list[_LessonEntry] = field(default_factory=list)
    images: dict[str, Path] = field(default_factory=dict)


@dataclass(slots=True)
class _CourseEntry:
    path: Path
    number: int
    slug: str
    source: Source | None
    values: dict[str, Any]
    modules: list[_ModuleEntry] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.slug


def _is_md(name: str) -> bool:
    return name.lower().endswith(".md")


_BAD_NAME = "use lower-case letters, digits and hyphens only"


class _Builder:
    def __init__(self, root: Path, cache: DiskCache | None) -> None:
        self.root = root
        self.cache = cache
        self.problems: list[Problem] = []
        self.rendered = 0
        self.cached = 0
        self._renderer: Renderer | None = None
        self._targets: dict[str, str] = {}
        self.warnings: list[Problem] = []
        self.keys: list[str] = []
        self.require_recorded = True
        self._links_out: set[str] = set()
        self.today = uk_today()

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

    def problem(self, path: Path, line: int | None, message: str) -> None:
        self.problems.append(Problem(path, line, message))

    # 1. Walk and read front matter -----------------------------------------------------------

    def build(self) -> Catalogue | None:
        if not self.root.is_dir():
            self.problem(
                self.root, None, "the content folder does not exist: check the folder name"
            )
            return None
        self._links_out = self._find_links_out()
        courses = self._walk()
        self._index(courses)
        documents = self._render_all(courses)
        if self.problems:
            return None
        return self._assemble(courses, documents)

    def _walk(self) -> list[_CourseEntry]:
        courses: list[_CourseEntry] = []
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

    def _header(self, path: Path, what: str) -> tuple[Source | None, dict[str, Any]]:
        source, problems = read_source(path)
        self.problems.extend(problems)
        if source is None:
            return None, {}
        values, problems = read_fields(source, HEADER_FIELDS, what)
        self.problems.extend(problems)
        return source, values

    def _course(self, folder: Path) -> _CourseEntry:
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
        source, values = (None, {})
        if header.is_file():
            source, values = self._header(header, "a course's")
        else:
            self.problem(
                folder,
                None,
                "the course folder has no course.md: add one with a title, summary and outcomes",
            )
        course = _CourseEntry(folder, number, slug, source, values)
        modules: list[_ModuleEntry] = []
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
        return course

    def _module(self, course: _CourseEntry, folder: Path) -> _ModuleEntry:
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
        source, values = (None, {})
        if header.is_file():
            source, values = self._header(header, "a module's")
        else:
            self.problem(
                folder,
                None,
                "the module folder has no module.md: add one with a title, summary and outcomes",
            )
        key = f"{course.key}/{slug}"
        module = _ModuleEntry(folder, number, slug, key, course.key, source, values)
        lessons: list[_LessonEntry] = []
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
                        self.problems.extend(svg_problems(path))
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

    def _lesson(self, module: _ModuleEntry, path: Path, number: int, slug: str) -> _LessonEntry:
        key = f"{module.key}/{slug}"
        source, problems = read_source(path)
        self.problems.extend(problems)
        values: dict[str, Any] = {}
        if source is not None:
            values, problems = read_fields(source, LESSON_FIELDS, "a lesson's")
            self.problems.extend(problems)
            self.problems.extend(currency.date_problems(source, values, self.today))
            if source.body is not None and not source.body.strip():
                self.problem(
                    path, 1, "the lesson has no content: write the lesson below the front matter"
                )
        return _LessonEntry(path, number, slug, key, module.course_key, module.key, source, values)

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

    # 2. Keys and aliases ---------------------------------------------------------------------

    def _index(self, courses: list[_CourseEntry]) -> None:
        lessons = [
            lesson for course in courses for module in course.modules for lesson in module.lessons
        ]
        self._targets = index_aliases(lessons, self.root, self.problem)
        problems, warnings = check_manifest(
            self.root, lessons, self._targets, require_recorded=self.require_recorded
        )
        self.problems.extend(problems)
        self.warnings.extend(warnings)
        self.keys = [lesson.key for lesson in lessons]

    @property
    def resolve(self) -> Resolver:
        return self._targets.get

    # 3. Render, or take from the cache --------------------------------------------------------

    def _render_all(self, courses: list[_CourseEntry]) -> dict[tuple[str, str], RenderedDocument]:
        documents: dict[tuple[str, str], RenderedDocument] = {}

        def keep(kind: str, key: str, document: RenderedDocument | None) -> None:
            if document is not None:
                documents[kind, key] = document

        for course in courses:
            keep(
                "course",
                course.key,
                self._document("course", course.key, course.source, course.key, None),
            )
            for module in course.modules:
                keep(
                    "module",
                    module.key,
                    self._document("module", module.key, module.source, course.key, module),
                )
                for lesson in module.lessons:
                    keep(
                        "lesson",
                        lesson.key,
                        self._document("lesson", lesson.key, lesson.source, course.key, module),
                    )
        return documents

    def _document(
        self,
        kind: str,
        key: str,
        source: Source | None,
        course_key: str,
        module: _ModuleEntry | None,
    ) -> RenderedDocument | None:
        if source is None or source.body is None:
            return None
        images = module.images if module is not None else {}
        if self.cache is not None:
            cached = self.cache.get(kind, key, source.version, course_key, self.resolve, images)
            if cached is not None:
                self.cached += 1
                return cached
        document, problems = self._render(kind, key, source, course_key, module)
        self.rendered += 1
        self.problems.extend(problems)
        if document is not None and not problems and self.cache is not None:
            self.cache.put(kind, key, source.version, document)
        return document

    def _render(
        self,
        kind: str,
        key: str,
        source: Source,
        course_key: str,
        module: _ModuleEntry | None,
    ) -> tuple[RenderedDocument | None, list[Problem]]:
        # Imported here so that a warm load never imports Markdown, pymdown-extensions or nh3.
        from .render import DocumentContext, Renderer

        assert source.body is not None
        path = source.path
        is_lesson = kind == "lesson"
        scanned = scan(path, source.body, source.body_line, in_lesson=is_lesson)
        problems = list(scanned.problems)
        specs: list[Any] = []
        for special in scanned.specials:
            parse = parse_quiz if special.kind == "quiz" else parse_reflection
            spec, found = parse(path, special)
            problems.extend(found)
            specs.append(spec)
        quizzes = [spec for spec in specs if isinstance(spec, QuizSpec)]
        reflections = [spec for spec in specs if isinstance(spec, ReflectionSpec)]
        problems.extend(duplicate_ids(path, quizzes, reflections))
        context = DocumentContext(
            path=path,
            lines=source.lines(),
            body_line=source.body_line,
            course_key=course_key,
            module_key=module.key if module is not None else None,
            resolve=self.resolve,
            images=module.images if module is not None else {},
        )
        if self._renderer is None:
            self._renderer = Renderer()
        try:
            document, found = self._renderer.render(
                context, scanned, key if is_lesson else None, specs
            )
        except Exception as error:  # one odd file must not stop the check of all the others
            self._renderer = None
            problems.append(
                Problem(path, None, f"cannot be rendered ({error!r}): please report this")
            )
            return None, problems
        problems.extend(found)
        return document, problems

    # 4. Assemble --------------------------------------------------------------------------------

    def _assemble(
        self, courses: list[_CourseEntry], documents: dict[tuple[str, str], RenderedDocument]
    ) -> Catalogue:
        built: dict[str, Course] = {}
        module_files: dict[str, dict[str, Path]] = {}
        for course in courses:
            modules = []
            for module_position, module in enumerate(course.modules, start=1):
                lessons = tuple(
                    self._lesson_object(lesson, position, documents["lesson", lesson.key])
                    for position, lesson in enumerate(module.lessons, start=1)
                )
                modules.append(
                    Module(
                        key=module.key,
                        course_key=course.key,
                        slug=module.slug,
                        title=module.values["title"],
                        summary=module.values["summary"],
                        outcomes=module.values["outcomes"],
                        body_html=documents["module", module.key].html,
                        lessons=lessons,
                        minutes=sum(lesson.minutes for lesson in lessons),
                        position=module_position,
                        source_path=module.path / "module.md",
                    )
                )
                module_files[module.key] = dict(module.images)
            built[course.key] = Course(
                key=course.key,
                title=course.values["title"],
                summary=course.values["summary"],
                outcomes=course.values["outcomes"],
                body_html=documents["course", course.key].html,
                modules=tuple(modules),
                minutes=sum(module.minutes for module in modules),
                source_path=course.path / "course.md",
            )
        stats = LoadStats(rendered=self.rendered, cached=self.cached)
        return Catalogue(courses=built, module_files=module_files, stats=stats, root=self.root)

    @staticmethod
    def _lesson_object(entry: _LessonEntry, position: int, document: RenderedDocument) -> Lesson:
        assert entry.source is not None
        values = entry.values
        return Lesson(
            key=entry.key,
            course_key=entry.course_key,
            module_key=entry.module_key,
            slug=entry.slug,
            title=values["title"],
            minutes=values["minutes"],
            summary=values.get("summary", ""),
            aliases=tuple(entry.aliases),
            version=entry.source.version,
            source_path=entry.path,
            word_count=document.word_count,
            segments=document.segments,
            toc=document.toc,
            quizzes=document.quizzes,
            prompts=document.prompts,
            position=position,
            reviewed=values.get("reviewed"),
            review_by=currency.due(values.get("reviewed"), values.get("review_by")),
            review_line=currency.review_line(entry.source),
        )


__all__ = ["ContentError", "Report", "build", "build_report", "check", "load_catalogue"]
