"""Step 3 of a load: each course, module and lesson body → a RenderedDocument.

A body is taken from the disk cache when its source, the renderer and the targets of its lesson
links are unchanged; otherwise it is checked (the ``///`` blocks by scan.py, quizzes and
reflections by quizzes.py) and rendered (render.py). Markdown and its extensions are imported only
when something has to be rendered, so a warm load never pays for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .cache import DiskCache
from .document import RenderedDocument, Resolver
from .model import Problem
from .parse import Source
from .quizzes import QuizSpec, ReflectionSpec, duplicate_ids, parse_quiz, parse_reflection
from .scan import scan
from .walk import CourseEntry, ModuleEntry

if TYPE_CHECKING:
    from .render import Renderer

#: (kind, key) → document; kind is "course", "module" or "lesson".
Documents = dict[tuple[str, str], RenderedDocument]


class Bodies:
    """Renders bodies (or reads them from ``cache``), counting which; problems are appended."""

    def __init__(self, cache: DiskCache | None, resolve: Resolver, problems: list[Problem]) -> None:
        self.cache = cache
        self.resolve = resolve
        self.rendered = 0
        self.cached = 0
        self._problems = problems
        self._renderer: Renderer | None = None

    def render_all(self, courses: list[CourseEntry]) -> Documents:
        """Every body that could be read, rendered or from the cache (a bad one is left out)."""
        documents: Documents = {}

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
        module: ModuleEntry | None,
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
        self._problems.extend(problems)
        if document is not None and not problems and self.cache is not None:
            self.cache.put(kind, key, source.version, document)
        return document

    def _render(
        self,
        kind: str,
        key: str,
        source: Source,
        course_key: str,
        module: ModuleEntry | None,
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
