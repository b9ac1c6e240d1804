"""The course catalogue: Markdown files in ``content/`` → immutable, checked, rendered objects.

Import the Flask side from ``leaders.catalogue.store`` (``init_app``, ``get_catalogue``) and the
commands from ``leaders.catalogue.cli`` (``content_cli``); this package itself needs no Flask.
"""

from .loader import build, check, load_catalogue
from .model import (
    COURSE_URL,
    FILE_URL,
    IMAGE_EXTENSIONS,
    LESSON_URL,
    MODULE_URL,
    Catalogue,
    ContentError,
    Course,
    HtmlSegment,
    Lesson,
    LoadStats,
    Module,
    Option,
    Problem,
    Prompt,
    Question,
    Quiz,
    QuizSegment,
    Reflection,
    ReflectionSegment,
    Segment,
    lesson_url,
)

__all__ = [
    "COURSE_URL",
    "FILE_URL",
    "IMAGE_EXTENSIONS",
    "LESSON_URL",
    "MODULE_URL",
    "Catalogue",
    "ContentError",
    "Course",
    "HtmlSegment",
    "Lesson",
    "LoadStats",
    "Module",
    "Option",
    "Problem",
    "Prompt",
    "Question",
    "Quiz",
    "QuizSegment",
    "Reflection",
    "ReflectionSegment",
    "Segment",
    "build",
    "check",
    "lesson_url",
    "load_catalogue",
]
