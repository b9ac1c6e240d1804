"""The lesson page's main column, its journal forms and its knowledge checks, each drawn once per
shape and filled in per learner (leaders.fragments).

The main column (learning/_lesson_main.html) is the lesson's for everyone but for the learner's
completion date, its checks and journal forms (drawn below), the CSRF token, and the choices that
change markup: completed or not, changed since, which checks still block completing, whether they
may keep the content current and whether it is overdue for review. Those choices and the lesson
make its shape.

A knowledge check's form is the same for everyone: its shape is the check (its key and version) and
whether the learner has scores to show; their scores paragraph and the CSRF token are filled in. A
check showing a marked attempt, or answers put back after a question was missed, is drawn by its
macro directly.

A reflection's forms are the same for every learner but for their words, when they saved them, the
CSRF token, and the choices that change markup: which "who can read it" radio is checked, whether
the quote box is ticked, whether there is a saved entry. Those choices, the reflection itself and
the lesson and module it is in (its form addresses and the link to shared reflections) make the
shape. A form with an error message (a refused submission) is drawn by its macro directly.
Every skeleton is kept for one catalogue: reloaded content starts them afresh, as a module's title
or a lesson's neighbours can change without the lesson's own version changing.
tests/learning/test_fragments.py checks filled skeletons against the macros' own output.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import SimpleNamespace
from typing import Any

from flask import current_app, request, url_for
from flask_login import current_user
from markupsafe import Markup

from leaders.auth.rules import can_review_content
from leaders.catalogue.model import Lesson, Quiz, Reflection, ReflectionSegment
from leaders.catalogue.store import get_catalogue
from leaders.filters import govuk_date
from leaders.fragments import Skeletons, slot, value
from leaders.learning.forms import ReflectionDraft
from leaders.security import csrf_token

#: By shape: every lesson's main column, breadcrumbs, checks and journal forms, per catalogue.
_SKELETONS = Skeletons("lesson_fragments")


def _macro(name: str) -> Any:
    return current_app.jinja_env.globals[name]


def reflection_html(
    page: Any, reflection: Reflection, drafts: Mapping[str, ReflectionDraft]
) -> Markup:
    """The reflection's forms on `page` (a learning.services.LessonPage), with the learner's drafts.

    The macro reads of `page` only its course's key, its module's key and slug, its lesson's slug.
    """
    token = csrf_token()
    own = [drafts[prompt.id] for prompt in reflection.prompts]
    if any(draft.body_error or draft.visibility_error for draft in own):
        return Markup(_macro("reflection_block")(page, reflection, drafts, token))  # noqa: S704
    shape = tuple((d.visibility, d.quote_consent, bool(d.saved)) for d in own)

    def draw() -> str:
        stand_ins = {
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
        return _macro("reflection_block")(page, reflection, stand_ins, slot("token"))

    key = ("reflection", page.lesson.key, reflection.prompts[0].id, shape, request.script_root)
    values = {"token": value(token)}
    for i, draft in enumerate(own):
        values[f"body{i}"] = value(draft.body)
        if draft.saved:
            values[f"saved{i}"] = value(draft.saved)
    return _SKELETONS.get(get_catalogue(), key, draw).fill(values)


def quiz_html(page: Any, quiz: Quiz, shown_attempt: Any, chosen: Any) -> Markup:
    """The knowledge check `quiz` on `page`: the learner's scores, the form, a marked attempt."""
    lesson: Lesson = page.lesson
    record = page.quizzes.get(quiz.id)
    scores = _macro("quiz_scores")(quiz, record) if record and record.attempts else ""
    attempt = (
        shown_attempt if shown_attempt and shown_attempt.quiz_key.endswith("#" + quiz.id) else None
    )
    mine = chosen.get(quiz.id) if chosen else None
    token = csrf_token()
    macro = _macro("quiz_block")
    if attempt is not None or mine is not None:
        return Markup(macro(lesson, quiz, scores, attempt, mine, token))  # noqa: S704 (autoescaped)
    key = ("quiz", lesson.key, quiz.key, bool(scores), request.script_root)
    skeleton = _SKELETONS.get(
        get_catalogue(),
        key,
        lambda: macro(lesson, quiz, slot("scores") if scores else "", None, None, slot("token")),
    )
    return skeleton.fill({"token": value(token), "scores": Markup(scores)})  # noqa: S704 (a macro's output)


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
    reflections = [s.reflection for s in lesson.segments if isinstance(s, ReflectionSegment)]
    values: dict[str, Markup] = {
        "token": value(csrf_token()),
        "completed": value(govuk_date(state.completed_at)),
    }
    for i, quiz in enumerate(lesson.quizzes):
        values[f"quiz{i}"] = quiz_html(page, quiz, shown_attempt, chosen)
    for i, reflection in enumerate(reflections):
        values[f"reflection{i}"] = reflection_html(page, reflection, drafts)

    def draw() -> str:
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
        return _macro("lesson_main")(page, parts)

    blocked = tuple(quiz.id for quiz in page.blocked_by)
    key = ("main", lesson.key, completed, changed, blocked, author, overdue, request.script_root)
    return _SKELETONS.get(get_catalogue(), key, draw).fill(values)


def lesson_breadcrumbs_html(page: Any) -> Markup:
    """The lesson page's breadcrumbs (home, course, module): the same for everyone."""

    def draw() -> str:
        return _macro("breadcrumbs")(
            [
                ("Home", url_for("main.home")),
                (page.course.title, page.course.url),
                (page.module.title, page.module.url),
            ]
        )

    key = ("breadcrumbs", page.lesson.key, request.script_root)
    return _SKELETONS.get(get_catalogue(), key, draw).fill({})
