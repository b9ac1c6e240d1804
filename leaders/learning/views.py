"""Course, module and lesson pages; completing lessons, answering checks, writing the journal."""

from __future__ import annotations

import mimetypes
from dataclasses import replace
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask.blueprints import BlueprintSetupState
from flask_login import current_user
from markupsafe import Markup
from werkzeug.wrappers import Response

from leaders.auth.rules import signed_in
from leaders.catalogue.model import Lesson, Quiz
from leaders.catalogue.store import get_catalogue
from leaders.cohorts.access import CourseAccess, course_access, courses_for, is_previewer
from leaders.downloads import send_download
from leaders.filters import govuk_datetime
from leaders.learning import fragments, overview, reflections, services
from leaders.learning.forms import (
    BODY_HINT,
    QUOTE_HINT,
    QUOTE_LABEL,
    VISIBILITY_CHOICES,
    ReflectionDraft,
    ReflectionForm,
    WithdrawQuoteForm,
    reflection_prefix,
)
from leaders.learning.models import Visibility
from leaders.navigation import fixed_url
from leaders.timeutil import uk_today, utcnow

bp = Blueprint("learning", __name__)


_BLANK_QUIZZES: dict[tuple[str, str], Markup] = {}


@bp.app_template_global()
def blank_quiz_questions(quiz: Quiz) -> Markup:
    """A quiz's unanswered questions: identical for every learner, so rendered once per version."""
    key = (quiz.key, quiz.version)
    html = _BLANK_QUIZZES.get(key)
    if html is None:
        module = current_app.jinja_env.get_template("learning/_quiz_questions.html").module
        # A template module's attributes are its macros, made when the template runs: Jinja's
        # TemplateModule type cannot name them.
        macro = module.quiz_questions  # type: ignore[attr-defined]
        html = _BLANK_QUIZZES[key] = Markup(macro(quiz, {}))  # noqa: S704 (autoescaped)
    return html


@bp.app_template_global()
def lesson_action(lesson: Lesson, endpoint: str, **values: Any) -> str:
    """The address of one of a lesson's forms (complete it, answer a check), worked out once."""
    course_key, module_slug, lesson_slug = lesson.key.split("/")
    return fixed_url(
        endpoint, course_key=course_key, module_slug=module_slug, lesson_slug=lesson_slug, **values
    )


# Globals, not context: the journal form is drawn by an imported macro, which sees only globals.
@bp.record_once
def _register_values(state: BlueprintSetupState) -> None:
    # Values, not functions, so not through add_app_template_global (which takes a callable).
    state.app.jinja_env.globals.update(
        visibility_choices=VISIBILITY_CHOICES,
        reflection_hint=BODY_HINT,
        quote_label=QUOTE_LABEL,
        quote_hint=QUOTE_HINT,
    )


bp.add_app_template_global(reflections.module_anchor, "shared_anchor")
bp.add_app_template_global(fragments.lesson_main_html, "lesson_main_html")
bp.add_app_template_global(fragments.lesson_breadcrumbs_html, "lesson_breadcrumbs_html")


@bp.app_template_global()
def visibility_readers(entry) -> str:
    """Who can read one of the learner's entries, as a sentence."""
    return reflections.readers(entry.visibility, entry.cohort_id)


@bp.app_template_global()
def task_status(status: services.Status) -> dict:
    """A task list status: plain text once completed, a tag otherwise (the GOV.UK pattern)."""
    if status == services.Status.COMPLETED:
        return {"text": "Completed"}
    colour = "govuk-tag--light-blue" if status == services.Status.IN_PROGRESS else "govuk-tag--grey"
    return {"tag": {"text": status.value, "classes": colour}}


def _course_or_404(course_key: str):
    course = get_catalogue().course(course_key)
    if course is None:
        abort(404)
    return course


def _access(course_key: str) -> CourseAccess:
    """The viewer's access to the course; 403 if none of their cohorts takes it."""
    access = course_access(current_user, course_key)
    if not access.allowed:
        abort(403)
    return access


def _require_open(lesson: Lesson) -> None:
    """For writes: the lesson's module must be open to the viewer today."""
    if not _access(lesson.course_key).is_open(lesson.module_key):
        abort(403)


def _visible_courses():
    catalogue = get_catalogue()
    keys = courses_for(current_user)
    return tuple(c for c in catalogue if keys is None or c.key in keys)


def _lesson_or_404(course: str, module: str, lesson: str) -> Lesson:
    found = get_catalogue().lesson(f"{course}/{module}/{lesson}")
    if found is None:
        abort(404)
    return found


def _moved(lesson: Lesson, course: str, module: str, slug: str) -> Response | None:
    """A permanent redirect when the address uses an old name (alias) of the lesson."""
    if lesson.key != f"{course}/{module}/{slug}":
        return redirect(lesson.url, 301)
    return None


@bp.route("/courses")
@signed_in
def courses() -> str:
    catalogue = get_catalogue()
    page = overview.home(current_user.id, catalogue, _visible_courses())
    return render_template("learning/courses.html", home=page)


@bp.route("/courses/<course_key>")
@signed_in
def course(course_key: str) -> str:
    course = _course_or_404(course_key)
    access = _access(course_key)
    progress = services.course_progress(current_user.id, get_catalogue(), course)
    next_lesson = overview.continue_lesson(course, progress, access)
    return render_template(
        "learning/course.html",
        course=course,
        progress=progress,
        next_lesson=next_lesson,
        access=access,
        today=uk_today(),
    )


@bp.route("/courses/<course_key>/<module_slug>")
@signed_in
def module(course_key: str, module_slug: str) -> str:
    catalogue = get_catalogue()
    module = catalogue.module(f"{course_key}/{module_slug}")
    if module is None:
        abort(404)
    course = _course_or_404(course_key)
    access = _access(course_key)
    progress = services.course_progress(current_user.id, catalogue, course)
    return render_template(
        "learning/module.html",
        course=course,
        module=module,
        progress=progress.of(module.lessons),
        dates=access.dates(module.key),
        is_open=access.is_open(module.key),
    )


@bp.route("/courses/<course_key>/<module_slug>/files/<path:filename>")
@signed_in
def module_file(course_key: str, module_slug: str, filename: str) -> Response:
    path = get_catalogue().module_file(course_key, module_slug, filename)
    if path is None:
        abort(404)
    _access(course_key)
    # The type comes from the name asked for (not the real file behind a link), and nosniff
    # stops the browser guessing another. The policy stops any script in an image from running
    # even if the checker missed it, and an SVG opened on its own is downloaded, not shown.
    response = send_file(path, mimetype=mimetypes.guess_type(filename)[0], max_age=3600)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    )
    if filename.lower().endswith(".svg"):
        response.headers.set("Content-Disposition", "attachment", filename=Path(filename).name)
    return response


def _render_lesson(lesson: Lesson, status: int = 200, **context) -> tuple[str, int]:
    try:
        page = services.lesson_page(
            current_user.id, get_catalogue(), lesson, gated=not is_previewer(current_user)
        )
    except services.NotOpen:
        return _not_open(lesson)
    shown_attempt = None
    attempt_id = request.args.get("attempt", type=int)
    if attempt_id:
        for record in page.quizzes.values():
            shown_attempt = shown_attempt or next(
                (a for a in record.attempts if a.id == attempt_id), None
            )
    drafts = {}
    for prompt in lesson.prompts:
        entry = page.entries.get(prompt.id)
        saved = (
            f"Saved {govuk_datetime(entry.updated_at)}. {visibility_readers(entry)}"
            if entry
            else ""
        )
        refused = context.pop(f"reflection_{prompt.id}", None)
        drafts[prompt.id] = (
            replace(refused, saved=saved) if refused else ReflectionDraft.of(entry, saved)
        )
    return (
        render_template(
            "learning/lesson.html",
            page=page,
            reflection_drafts=drafts,
            shown_attempt=shown_attempt,
            today=uk_today(),
            **context,
        ),
        status,
    )


def _not_open(lesson: Lesson) -> tuple[str, int]:
    """Why a learner cannot open a lesson yet: its module opens later (or 403: no cohort)."""
    access = _access(lesson.course_key)
    catalogue = get_catalogue()
    return (
        render_template(
            "learning/not_open.html",
            lesson=lesson,
            module=catalogue.modules[lesson.module_key],
            course=catalogue.courses[lesson.course_key],
            dates=access.dates(lesson.module_key),
        ),
        403,
    )


@bp.route("/courses/<course_key>/<module_slug>/<lesson_slug>")
@signed_in
def lesson(course_key: str, module_slug: str, lesson_slug: str) -> str | Response | tuple:
    lesson = _lesson_or_404(course_key, module_slug, lesson_slug)
    moved = _moved(lesson, course_key, module_slug, lesson_slug)
    return moved or _render_lesson(lesson)


@bp.route("/courses/<course_key>/<module_slug>/<lesson_slug>/complete", methods=["POST"])
@signed_in
def complete(course_key: str, module_slug: str, lesson_slug: str) -> Response | tuple:
    lesson = _lesson_or_404(course_key, module_slug, lesson_slug)
    _require_open(lesson)
    try:
        services.complete_lesson(current_user.id, lesson)
    except services.NotYetPassed as blocked:
        quiz = blocked.quizzes[0]
        errors = [
            {
                "text": f"Score at least {quiz.pass_mark}% in the knowledge check before you "
                "complete this lesson",
                "href": f"#app-quiz-{quiz.id}",
            }
        ]
        return _render_lesson(lesson, 200, error_list=errors)
    following = get_catalogue().next_lesson(lesson.key)
    if following is None or following.course_key != lesson.course_key:
        flash("You have completed the last lesson of this course.", "success")
        return redirect(url_for("learning.course", course_key=lesson.course_key))
    return redirect(following.url)


def _answers(quiz: Quiz) -> dict[int, frozenset[int]]:
    """The chosen options per question; 400 for anything a real form cannot send."""
    answers: dict[int, frozenset[int]] = {}
    for question in quiz.questions:
        raw = request.form.getlist(f"q{question.index}")
        try:
            chosen = frozenset(int(value) for value in raw)
        except ValueError:
            abort(400)
        if any(not 0 <= i < len(question.options) for i in chosen):
            abort(400)
        if not question.multiple and len(chosen) > 1:
            abort(400)
        answers[question.index] = chosen
    return answers


@bp.route("/courses/<course_key>/<module_slug>/<lesson_slug>/checks/<quiz_id>", methods=["POST"])
@signed_in
def answer_quiz(
    course_key: str, module_slug: str, lesson_slug: str, quiz_id: str
) -> Response | tuple:
    lesson = _lesson_or_404(course_key, module_slug, lesson_slug)
    quiz = next((q for q in lesson.quizzes if q.id == quiz_id), None)
    if quiz is None:
        abort(404)
    _require_open(lesson)
    answers = _answers(quiz)
    try:
        attempt = services.submit_quiz(current_user.id, lesson, quiz, answers)
    except services.AnswerError as error:
        errors = [
            {"text": f"Answer question {n}", "href": f"#app-quiz-{quiz.id}-q{n}"}
            for n in error.missing
        ]
        return _render_lesson(lesson, 200, error_list=errors, chosen={quiz.id: answers})
    return redirect(f"{lesson.url}?attempt={attempt.id}#app-quiz-{quiz.id}")


@bp.route("/courses/<course_key>/<module_slug>/<lesson_slug>/journal/<prompt_id>", methods=["POST"])
@signed_in
def reflect(
    course_key: str, module_slug: str, lesson_slug: str, prompt_id: str
) -> Response | tuple:
    lesson = _lesson_or_404(course_key, module_slug, lesson_slug)
    prompt = next((p for p in lesson.prompts if p.id == prompt_id), None)
    if prompt is None:
        abort(404)
    form = ReflectionForm(prefix=reflection_prefix(prompt.id))
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        draft = ReflectionDraft.of_form(form)
        return _render_lesson(lesson, 200, form=form, **{f"reflection_{prompt.id}": draft})
    _require_open(lesson)
    visibility = Visibility(form.visibility.data)
    cohort_id = services.save_reflection(
        current_user.id, prompt.key, form.body.data, visibility, bool(form.quote_consent.data)
    )
    readers = reflections.readers_after_saving(current_user.id, visibility, cohort_id)
    flash(f"Your reflection is saved. {readers}", "success")
    return redirect(f"{lesson.url}#app-prompt-{prompt.id}")


@bp.route("/journal")
@signed_in
def journal() -> str:
    sections = overview.journal(current_user.id, get_catalogue())
    return render_template("learning/journal.html", sections=sections)


@bp.route("/journal/<int:entry_id>/quote-consent", methods=["POST"])
@signed_in
def withdraw_quote(entry_id: int) -> Response:
    """The author withdraws "may be quoted anonymously": later reports leave the entry out."""
    if not WithdrawQuoteForm().validate_on_submit():
        abort(400)
    if services.withdraw_quote_consent(current_user.id, entry_id):
        flash("Reports will no longer quote that reflection.", "success")
    else:
        flash("That reflection was not marked to be quoted, so nothing changed.", "info")
    return redirect(url_for("learning.journal") + f"#entry-{entry_id}")


@bp.route("/journal/shared")
@signed_in
def journal_shared() -> str:
    """Reflections other people shared with the viewer: their learning set, cohort or facilitators."""
    page = reflections.shared_with_me(current_user.id, get_catalogue())
    return render_template("learning/shared.html", page=page)


@bp.route("/journal/download")
@signed_in
def journal_download() -> Response:
    sections = overview.journal(current_user.id, get_catalogue())
    text = overview.journal_markdown(current_user.name, sections, utcnow())
    return send_download(text, "my-journal.md", "text/markdown")
