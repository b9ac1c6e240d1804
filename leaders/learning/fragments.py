"""The lesson page's main column, its journal forms and its knowledge checks, each drawn once per
shape and filled in per learner (leaders.fragments).

The main column (learning/_lesson_main.html) is the lesson's for everyone but for the learner's
completion date, its checks and journal forms (drawn below), the CSRF token, and the choices that
change markup: completed or not, changed since, which checks still block completing, whether they
may keep the content current and whether it is overdue for review. Those choices and the lesson
make its shape, within one catalogue: a new catalogue (content reloaded) starts the cache again, as
a module's title or a lesson's neighbours can change without the lesson's own version changing.

A knowledge check's form is the same for everyone: its shape is the check (its key and version) and
whether the learner has scores to show; their scores paragraph and the CSRF token are filled in. A
check showing a marked attempt, or answers put back after a question was missed, is drawn by its
macro directly.

A reflection's forms are the same for every learner but for their words, when they saved them, the
CSRF token, and the choices that change markup: which "who can read it" radio is checked, whether
the quote box is ticked, whether there is a saved entry. Those choices, the reflection itself and
the lesson and module it is in (its form addresses and the link to shared reflections) make the
shape. A form with an error message (a refused submission) is drawn by its macro directly.
tests/learning/test_fragments.py checks filled skeletons against the macros' own output.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from flask import Flask, current_app, request, url_for
from flask_login import current_user
from markupsafe import Markup

from leaders.auth.rules import can_review_content
from leaders.catalogue.model import Catalogue, Lesson, Module, Quiz, Reflection, ReflectionSegment
from leaders.catalogue.store import get_catalogue
from leaders.filters import govuk_date
from leaders.fragments import Skeleton, slot, value
from leaders.learning.forms import ReflectionDraft
from leaders.security import csrf_token

_EXTENSION = "lesson_fragments"
#: Shapes kept per app: a few per reflection (3 visibilities, ticked or not, saved or not: 12).
CACHE_SIZE = 2048

Shape = tuple[tuple[str, bool, bool], ...]


def _macro() -> Callable[..., str]:
    return current_app.jinja_env.globals["reflection_block"]  # type: ignore[return-value]


def _skeletons(app: Flask) -> Callable[..., Skeleton]:
    cache = app.extensions.get(_EXTENSION)
    if cache is None:

        @lru_cache(maxsize=CACHE_SIZE)
        def skeleton(
            where: tuple[str, str, str, str], reflection: Reflection, shape: Shape, script_root: str
        ) -> Skeleton:
            course_key, module_key, module_slug, lesson_slug = where
            page = SimpleNamespace(
                course=SimpleNamespace(key=course_key),
                module=SimpleNamespace(key=module_key, slug=module_slug),
                lesson=SimpleNamespace(slug=lesson_slug),
            )
            drafts = {
                prompt.id: ReflectionDraft(
                    body=slot(f"body{i}"),
                    visibility=visibility,
                    quote_consent=consent,
                    saved=slot(f"saved{i}") if saved else "",
                )
                for i, (prompt, (visibility, consent, saved)) in enumerate(
                    zip(reflection.prompts, shape, strict=True)
                )
            }
            return Skeleton.of(_macro()(page, reflection, drafts, slot("token")))

        cache = app.extensions[_EXTENSION] = skeleton
    return cache


def reflection_html(
    page: Any, reflection: Reflection, drafts: Mapping[str, ReflectionDraft]
) -> Markup:
    """The reflection's forms on `page` (a learning.services.LessonPage), with the learner's drafts.

    The macro reads of `page` only its course's key, its module's key and slug, its lesson's slug.
    """
    token = csrf_token()
    own = [drafts[prompt.id] for prompt in reflection.prompts]
    if any(draft.body_error or draft.visibility_error for draft in own):
        return Markup(_macro()(page, reflection, drafts, token))  # noqa: S704 (autoescaped)
    module: Module = page.module
    where = (page.course.key, module.key, module.slug, page.lesson.slug)
    shape = tuple((d.visibility, d.quote_consent, bool(d.saved)) for d in own)
    skeleton = _skeletons(current_app)(where, reflection, shape, request.script_root)
    values = {"token": value(token)}
    for i, draft in enumerate(own):
        values[f"body{i}"] = value(draft.body)
        if draft.saved:
            values[f"saved{i}"] = value(draft.saved)
    return skeleton.fill(values)


_QUIZ_EXTENSION = "lesson_quiz_fragments"


def _quiz_skeletons(app: Flask) -> dict[tuple[str, str, str, bool, str], Skeleton]:
    """Per app, by (lesson, check key, check version, scores shown or not, script root)."""
    return app.extensions.setdefault(_QUIZ_EXTENSION, {})


def quiz_html(page: Any, quiz: Quiz, shown_attempt: Any, chosen: Any) -> Markup:
    """The knowledge check `quiz` on `page`: the learner's scores, the form, a marked attempt."""
    env = current_app.jinja_env.globals
    lesson: Lesson = page.lesson
    record = page.quizzes.get(quiz.id)
    scores = env["quiz_scores"](quiz, record) if record and record.attempts else ""  # type: ignore[operator]
    attempt = (
        shown_attempt if shown_attempt and shown_attempt.quiz_key.endswith("#" + quiz.id) else None
    )
    mine = chosen.get(quiz.id) if chosen else None
    token = csrf_token()
    macro = env["quiz_block"]
    if attempt is not None or mine is not None:
        return Markup(macro(lesson, quiz, scores, attempt, mine, token))  # type: ignore[operator]  # noqa: S704
    key = (lesson.key, quiz.key, quiz.version, bool(scores), request.script_root)
    skeletons = _quiz_skeletons(current_app)
    skeleton = skeletons.get(key)
    if skeleton is None:
        if len(skeletons) >= CACHE_SIZE:
            skeletons.clear()  # content changed many times over: start again
        markup = macro(lesson, quiz, slot("scores") if scores else "", None, None, slot("token"))  # type: ignore[operator]
        skeleton = skeletons[key] = Skeleton.of(markup)
    return skeleton.fill({"token": value(token), "scores": Markup(scores)})  # noqa: S704 (a macro's output)


_MAIN_EXTENSION = "lesson_main_fragments"


def _main_skeletons(app: Flask, catalogue: Catalogue) -> dict[tuple[Any, ...], Skeleton]:
    """Per app and catalogue, by (lesson key, shape, script root); and the lessons' breadcrumbs."""
    held = app.extensions.get(_MAIN_EXTENSION)
    if held is None or held[0] is not catalogue:
        held = app.extensions[_MAIN_EXTENSION] = (catalogue, {})
    return held[1]


def lesson_main_html(
    page: Any, shown_attempt: Any, chosen: Any, drafts: Mapping[str, ReflectionDraft], today: date
) -> Markup:
    """The lesson page's main column for this learner (see learning/_lesson_main.html)."""
    lesson: Lesson = page.lesson
    state = page.state
    author = can_review_content(current_user)
    completed = bool(state.completed_at)
    changed = state.changed_since_completed(lesson)
    overdue = author and lesson.overdue(today)
    blocked = tuple(quiz.id for quiz in page.blocked_by)
    values: dict[str, Markup] = {
        "token": value(csrf_token()),
        "completed": value(govuk_date(state.completed_at)),
    }
    for i, quiz in enumerate(lesson.quizzes):
        values[f"quiz{i}"] = quiz_html(page, quiz, shown_attempt, chosen)
    reflections = _reflections(lesson)
    for i, reflection in enumerate(reflections):
        values[f"reflection{i}"] = reflection_html(page, reflection, drafts)
    key = (lesson.key, completed, changed, blocked, author, overdue, request.script_root)
    skeletons = _main_skeletons(current_app, get_catalogue())
    skeleton = skeletons.get(key)
    if skeleton is None:
        parts = SimpleNamespace(
            completed_on=slot("completed") if completed else "",
            changed=changed,
            blocked_by=page.blocked_by,
            quizzes={quiz.id: slot(f"quiz{i}") for i, quiz in enumerate(lesson.quizzes)},
            reflections={
                r.prompts[0].id: slot(f"reflection{i}") for i, r in enumerate(reflections)
            },
            token=slot("token"),
            author=author,
            overdue=overdue,
        )
        macro = current_app.jinja_env.globals["lesson_main"]
        skeleton = skeletons[key] = Skeleton.of(macro(page, parts))  # type: ignore[operator]
    return skeleton.fill(values)


def _reflections(lesson: Lesson) -> list[Reflection]:
    return [s.reflection for s in lesson.segments if isinstance(s, ReflectionSegment)]


def lesson_breadcrumbs_html(page: Any) -> Markup:
    """The lesson page's breadcrumbs (home, course, module): the same for everyone, once per catalogue."""
    skeletons = _main_skeletons(current_app, get_catalogue())
    key = ("breadcrumbs", page.lesson.key, request.script_root)
    crumbs = skeletons.get(key)
    if crumbs is None:
        trail = [
            ("Home", url_for("main.home")),
            (page.course.title, page.course.url),
            (page.module.title, page.module.url),
        ]
        crumbs = skeletons[key] = Skeleton.of(current_app.jinja_env.globals["breadcrumbs"](trail))  # type: ignore[operator]
    return crumbs.fill({})
