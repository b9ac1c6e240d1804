"""The lesson page's journal forms, filled in from a skeleton per shape, are exactly what their macro draws."""

from __future__ import annotations

import itertools
import re
from types import SimpleNamespace

import pytest
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from leaders.catalogue.model import Prompt, Reflection
from leaders.catalogue.store import get_catalogue
from leaders.fragments import Skeleton, slot
from leaders.learning.forms import VISIBILITY_CHOICES, ReflectionDraft
from leaders.learning.fragments import reflection_html

LESSON = "sample-course/going-further/mapping-your-place"
BODIES = [
    "",
    'Fire & rescue <b>missing</b> "here"',
    "a bell \x07 and\ttab",
    "Ünïcode — £5",
    "{{ x }}",
]


def _page():
    catalogue = get_catalogue()
    lesson = catalogue.lesson(LESSON)
    return SimpleNamespace(
        lesson=lesson,
        module=catalogue.modules[lesson.module_key],
        course=catalogue.courses[lesson.course_key],
    )


def _both(app, reflection, drafts):
    with app.test_request_context():
        macro = app.jinja_env.globals["reflection_block"]
        page = _page()
        expected = str(macro(page, reflection, drafts, generate_csrf()))
        return reflection_html(page, reflection, drafts), expected


SHAPES = list(
    itertools.product(
        [value for value, _, _ in VISIBILITY_CHOICES],
        [False, True],
        ["", "Saved today. <Only> you & co."],
    )
)


def test_every_shape_fills_in_to_the_macros_markup(app):
    """Every shape in one app, twice over: a skeleton cached for one must not serve another."""
    reflection = next(s.reflection for s in _page_segments(app) if hasattr(s, "reflection"))
    for visibility, consent, saved in SHAPES * 2:
        for body in BODIES:
            drafts = {
                p.id: ReflectionDraft(body, visibility, quote_consent=consent, saved=saved)
                for p in reflection.prompts
            }
            filled, expected = _both(app, reflection, drafts)
            assert str(filled) == expected, (visibility, consent, saved, body)
            assert f'value="{visibility}" checked' in filled
            assert ("Update reflection" in filled) is bool(saved)


def _page_segments(app):
    with app.test_request_context():
        return get_catalogue().lesson(LESSON).segments


def test_several_prompts_each_get_their_own_words(app):
    reflection = Reflection(
        "Two questions",
        (
            Prompt("first", f"{LESSON}#first", "What & why?"),
            Prompt("second", f"{LESSON}#second", "Who?"),
        ),
    )
    drafts = {
        "first": ReflectionDraft("one <1>", "private"),
        "second": ReflectionDraft(
            "two & 2", "facilitators", quote_consent=True, saved="Saved now."
        ),
    }
    filled, expected = _both(app, reflection, drafts)
    assert filled == expected
    assert "one &lt;1&gt;" in filled
    assert "two &amp; 2" in filled


def test_a_refused_form_is_drawn_by_its_macro(app):
    reflection = next(s.reflection for s in _page_segments(app) if hasattr(s, "reflection"))
    drafts = {
        p.id: ReflectionDraft("x" * 5, "", visibility_error="Choose who can read your reflection")
        for p in reflection.prompts
    }
    filled, expected = _both(app, reflection, drafts)
    assert filled == expected
    assert "govuk-error-message" in filled


def test_skeleton_needs_every_value():
    skeleton = Skeleton.of(f"<p>{slot('a')} and {slot('b')}</p>")
    assert skeleton.fill({"a": Markup("1"), "b": Markup("&amp;")}) == "<p>1 and &amp;</p>"
    with pytest.raises(KeyError):
        skeleton.fill({"a": Markup("1")})


@pytest.mark.parametrize("script_root", ["", "/leaders"])
def test_lesson_forms_post_where_the_routes_are(app, learner_client, script_root):
    together = "/courses/sample-course/first-steps/working-together"
    html = learner_client.get(together, base_url=f"http://localhost{script_root}/").get_data(
        as_text=True
    )
    actions = set(re.findall(r'<form method="post"[^>]* action="([^"]+)"', html))
    assert f"{script_root}{together}/complete" in actions
    assert f"{script_root}{together}/checks/working-together-check" in actions
    assert f"{script_root}/sign-out" in actions


TOGETHER = "sample-course/first-steps/working-together"


def _quiz_page(app, attempts=()):
    from datetime import UTC, datetime

    from leaders.learning.quizzes import Attempt, QuizRecord

    catalogue = get_catalogue()
    lesson = catalogue.lesson(TOGETHER)
    quiz = lesson.quizzes[0]
    made = tuple(
        Attempt(
            i + 1,
            quiz.key,
            quiz.version,
            [[0]] * len(quiz.questions),
            score,
            len(quiz.questions),
            score == len(quiz.questions),
            datetime(2026, 11, 30, 9, i, tzinfo=UTC),
        )
        for i, score in enumerate(attempts)
    )
    records = {quiz.id: QuizRecord(quiz, made)} if made else {}
    return SimpleNamespace(lesson=lesson, quizzes=records), quiz, made


CHECK_CASES = [
    ((), False, False),
    ((0,), False, False),
    ((0, 1), False, False),
    ((1,), True, False),
    ((), False, True),
]


def test_knowledge_checks_fill_in_to_the_macros_markup(app):
    """Every case in one app, twice over: a skeleton cached for one shape must not serve another."""
    from leaders.learning.fragments import quiz_html

    with app.test_request_context():
        for attempts, show, chosen in CHECK_CASES * 2:
            page, quiz, made = _quiz_page(app, attempts)
            record = page.quizzes.get(quiz.id)
            env = app.jinja_env.globals
            scores = env["quiz_scores"](quiz, record) if record else ""
            attempt = made[-1] if show else None
            mine = {q.index: frozenset({0}) for q in quiz.questions[:1]} if chosen else None
            expected = str(
                env["quiz_block"](page.lesson, quiz, scores, attempt, mine, generate_csrf())
            )
            filled = quiz_html(page, quiz, attempt, {quiz.id: mine} if chosen else None)
            assert str(filled) == expected, (attempts, show, chosen)
            assert ("Your best score" in filled) is bool(attempts)
            assert ("You scored" in filled) is show


def test_lesson_main_column_fills_in_to_the_macros_markup(app):
    """Every shape of the main column in one app, twice over, as a learner and as an author."""
    from dataclasses import replace
    from datetime import UTC, date, datetime

    from flask_login import login_user

    from leaders.learning.fragments import lesson_main_html, quiz_html
    from leaders.learning.progress import LessonState
    from tests.factories import make_user

    catalogue = get_catalogue()
    # Reviewed, and due again in 2028: overdue on one of the two days below, not on the other.
    lesson = replace(
        catalogue.lesson(TOGETHER), reviewed=date(2027, 1, 1), review_by=date(2028, 1, 1)
    )
    module = catalogue.modules[lesson.module_key]
    done = datetime(2026, 11, 3, 10, 0, tzinfo=UTC)
    states = [
        LessonState(done, done, None, None),
        LessonState(done, done, done, lesson.version),
        LessonState(done, done, done, "an-older-version"),
    ]
    from leaders.auth import sessions
    from leaders.extensions import db

    people = [sessions.start(make_user(role=role).id) for role in ("learner", "programme_manager")]
    db.session.commit()
    for person, state, blocked, today in itertools.product(
        people * 2, states, [(), lesson.quizzes[:1]], [date(2026, 1, 1), date(2030, 1, 1)]
    ):
        with app.test_request_context():
            login_user(person)
            page = SimpleNamespace(
                lesson=lesson,
                module=module,
                course=catalogue.courses[lesson.course_key],
                previous=catalogue.previous_lesson(lesson.key),
                next=catalogue.next_lesson(lesson.key),
                state=state,
                quizzes={},
                entries={},
                blocked_by=blocked,
            )
            filled = lesson_main_html(page, None, None, {}, today)
            author = person.role == "programme_manager"
            parts = SimpleNamespace(
                completed_on="3 November 2026" if state.completed_at else "",
                changed=state.changed_since_completed(lesson),
                blocked_by=blocked,
                quizzes={q.id: quiz_html(page, q, None, None) for q in lesson.quizzes},
                reflections={},
                token=generate_csrf(),
                author=author,
                overdue=author and lesson.overdue(today),
            )
            expected = str(app.jinja_env.globals["lesson_main"](page, parts))
            assert str(filled) == expected, (person.role, state, blocked, today)
            assert ("For authors" in filled) is author
            assert ("was due for review" in filled) is (author and today.year == 2030)
            assert ("You have completed this lesson" in filled) is bool(state.completed_at)


def test_a_new_catalogue_starts_the_skeletons_again(app):
    # A module's title or a lesson's neighbours can change without the lesson's version changing.
    from leaders.fragments import Skeletons

    skeletons, drawn = Skeletons("test_fragments"), []
    first, second = object(), object()

    def draw():
        drawn.append(1)
        return "<p>drawn</p>"

    with app.app_context():
        assert skeletons.get(first, "shape", draw).fill({}) == "<p>drawn</p>"
        skeletons.get(first, "shape", draw)
        assert len(drawn) == 1  # kept for the same catalogue
        skeletons.get(second, "shape", draw)
        assert len(drawn) == 2  # drawn again for a new one
