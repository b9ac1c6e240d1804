"""Step 4 of a load: assemble the immutable catalogue from the checked entries and documents.

Runs only when steps 1 to 3 found no problem, so every entry has its front matter and every
document is there: nothing here can fail on content.
"""

from __future__ import annotations

from pathlib import Path

from . import currency
from .bodies import Documents
from .document import RenderedDocument
from .model import Catalogue, Course, Lesson, LoadStats, Module
from .walk import CourseEntry, LessonEntry


def assemble(
    root: Path, courses: list[CourseEntry], documents: Documents, stats: LoadStats
) -> Catalogue:
    """The immutable catalogue, from checked entries and every one of their documents."""
    built: dict[str, Course] = {}
    module_files: dict[str, dict[str, Path]] = {}
    for course in courses:
        modules = []
        for module_position, module in enumerate(course.modules, start=1):
            lessons = tuple(
                _lesson(lesson, position, documents["lesson", lesson.key])
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
            certificate=course.values.get("certificate"),
        )
    return Catalogue(courses=built, module_files=module_files, stats=stats, root=root)


def _lesson(entry: LessonEntry, position: int, document: RenderedDocument) -> Lesson:
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
