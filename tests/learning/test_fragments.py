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


@pytest.mark.parametrize(
    ("visibility", "consent", "saved"),
    list(
        itertools.product(
            [value for value, _, _ in VISIBILITY_CHOICES],
            [False, True],
            ["", "Saved today. <Only> you & co."],
        )
    ),
)
def test_every_shape_fills_in_to_the_macros_markup(app, visibility, consent, saved):
    reflection = next(s.reflection for s in _page_segments(app) if hasattr(s, "reflection"))
    for body in BODIES:
        drafts = {
            p.id: ReflectionDraft(body, visibility, quote_consent=consent, saved=saved)
            for p in reflection.prompts
        }
        filled, expected = _both(app, reflection, drafts)
        assert str(filled) == expected
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
