"""The learner's home page (continue where you left off) and their journal."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from leaders.catalogue.model import Catalogue, Course, Lesson, Module, Prompt
from leaders.extensions import db
from leaders.learning.models import JournalEntry, QuizAttempt
from leaders.learning.progress import LessonState, Progress, lesson_states
from leaders.learning.reflections import readers


@dataclass(frozen=True)
class Activity:
    when: datetime
    text: str
    lesson: Lesson


@dataclass(frozen=True)
class CourseSummary:
    course: Course
    progress: Progress
    #: The lesson to continue with; None when the course is complete.
    next_lesson: Lesson | None
    last_viewed: datetime | None

    @property
    def next_module(self) -> Module | None:
        if self.next_lesson is None:
            return None
        return next(m for m in self.course.modules if m.key == self.next_lesson.module_key)


@dataclass(frozen=True)
class Home:
    courses: tuple[CourseSummary, ...]
    activity: tuple[Activity, ...]

    @property
    def current(self) -> CourseSummary | None:
        """The course the learner was in most recently (or the first one)."""
        started = [(c.last_viewed, i) for i, c in enumerate(self.courses) if c.last_viewed]
        if started:
            return self.courses[max(started, key=lambda pair: pair[0])[1]]
        return self.courses[0] if self.courses else None


def continue_lesson(course: Course, progress: Progress, access=None) -> Lesson | None:
    """Where to pick up: the last lesson opened if unfinished, else the next unfinished one after it.

    With ``access`` (a learner's), only lessons in modules open to them today count.
    """
    lessons = tuple(x for x in course.lessons if access is None or access.is_open(x.module_key))
    if not lessons:
        return None
    viewed = [(progress.state(x).last_viewed_at, i) for i, x in enumerate(lessons)]
    viewed = [(when, i) for when, i in viewed if when]
    start = max(viewed)[1] if viewed else 0
    for lesson in (*lessons[start:], *lessons[:start]):
        if not progress.state(lesson).completed_at:
            return lesson
    return None


def home(
    user_id: int, catalogue: Catalogue, courses: Sequence[Course], accesses: Mapping | None = None
) -> Home:
    """The home page: each course's progress and next lesson, and recent activity. Three queries.

    ``accesses`` (course key → CourseAccess) limits "continue" to modules open to the learner.
    """
    states = lesson_states(user_id, catalogue, "")
    summaries = []
    for course in courses:
        progress = Progress(course.lessons, states)
        last = [progress.state(x).last_viewed_at for x in course.lessons]
        summaries.append(
            CourseSummary(
                course,
                progress,
                continue_lesson(course, progress, (accesses or {}).get(course.key)),
                max((x for x in last if x), default=None),
            )
        )
    return Home(tuple(summaries), _recent_activity(user_id, catalogue, states))


def _recent_activity(
    user_id: int, catalogue: Catalogue, states: dict[str, LessonState], limit: int = 6
) -> tuple[Activity, ...]:
    events: list[Activity] = []
    for key, state in states.items():
        lesson = catalogue.lesson(key)
        if lesson and state.completed_at:
            events.append(Activity(state.completed_at, "Completed", lesson))
    attempts = db.session.execute(
        select(QuizAttempt.quiz_key, QuizAttempt.score, QuizAttempt.total, QuizAttempt.created_at)
        .where(QuizAttempt.user_id == user_id)
        .order_by(QuizAttempt.created_at.desc())
        .limit(limit)
    ).all()
    for quiz_key, score, total, when in attempts:
        lesson = catalogue.lesson(quiz_key.partition("#")[0])
        if lesson:
            events.append(
                Activity(when, f"Scored {score} out of {total} in the knowledge check", lesson)
            )
    entries = db.session.execute(
        select(JournalEntry.prompt_key, JournalEntry.updated_at)
        .where(JournalEntry.user_id == user_id)
        .order_by(JournalEntry.updated_at.desc())
        .limit(limit)
    ).all()
    for prompt_key, when in entries:
        lesson = catalogue.lesson(prompt_key.partition("#")[0])
        if lesson:
            events.append(Activity(when, "Wrote in your journal", lesson))
    events.sort(key=lambda e: e.when, reverse=True)
    return tuple(events[:limit])


# Journal --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class JournalItem:
    prompt: Prompt | None
    prompt_text: str
    lesson: Lesson | None
    entry: JournalEntry


@dataclass(frozen=True)
class JournalSection:
    title: str
    module: Module | None
    items: tuple[JournalItem, ...]


def journal(user_id: int, catalogue: Catalogue) -> tuple[JournalSection, ...]:
    """The learner's entries grouped by module in course order (one query)."""
    entries = (
        db.session.execute(select(JournalEntry).where(JournalEntry.user_id == user_id))
        .scalars()
        .all()
    )
    by_module: dict[str, list[tuple[int, JournalItem]]] = {}
    orphans: list[JournalItem] = []
    order = {key: i for i, key in enumerate(catalogue.lessons)}
    for entry in entries:
        prompt = catalogue.prompt(entry.prompt_key)
        lesson = catalogue.lesson(entry.prompt_key.partition("#")[0])
        if prompt is None or lesson is None:
            orphans.append(JournalItem(None, "A prompt no longer in the course", lesson, entry))
            continue
        position = order[lesson.key] * 100 + lesson.prompts.index(prompt)
        by_module.setdefault(lesson.module_key, []).append(
            (position, JournalItem(prompt, prompt.text, lesson, entry))
        )
    sections = []
    for module in catalogue.modules.values():
        items = sorted(by_module.get(module.key, []), key=lambda pair: pair[0])
        if items:
            sections.append(JournalSection(module.title, module, tuple(i for _, i in items)))
    if orphans:
        sections.append(JournalSection("Other entries", None, tuple(orphans)))
    return tuple(sections)


def journal_markdown(name: str, sections: Sequence[JournalSection], when: datetime) -> str:
    """The whole journal as one Markdown document, as the learner wrote it."""
    lines = [
        f"# Reflective journal: {name}",
        "",
        f"Downloaded from Place Leaders on {when:%d %B %Y}.",
        "",
    ]
    for section in sections:
        lines += [f"## {section.title}", ""]
        for item in section.items:
            heading = item.prompt_text
            if item.lesson:
                heading = f"{item.prompt_text} ({item.lesson.title})"
            lines += [
                f"### {heading}",
                "",
                f"*Written {item.entry.created_at:%d %B %Y}, last edited "
                f"{item.entry.updated_at:%d %B %Y}. "
                f"{readers(item.entry.visibility, item.entry.cohort_id)}*",
                "",
                item.entry.body.strip(),
                "",
            ]
    return "\n".join(lines).rstrip() + "\n"
