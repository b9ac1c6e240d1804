"""Shared macros are environment globals: every template can call them with no import, and they
render exactly what importing them renders."""

import pytest
from jinja2 import Template

from leaders.templating import ALIASES, SHARED_MACROS


def test_jinja_is_not_patched(app):
    # The old speed-up overrode Jinja's private Template._get_default_module; it is gone.
    assert app.jinja_env.template_class is Template


def test_every_shared_macro_is_a_global(app):
    for names in SHARED_MACROS.values():
        for name in names:
            assert callable(app.jinja_env.globals[name]), name
    for alias, name in ALIASES.items():
        assert app.jinja_env.globals[alias] is app.jinja_env.globals[name]


def test_a_global_macro_renders_what_the_imported_one_does(app):
    env = app.jinja_env
    items = [("Home", "/home"), ("Cohorts", "/cohorts")]
    by_global = env.from_string("{{ breadcrumbs(items) }}").render(items=items)
    by_import = env.from_string(
        '{% from "components/nav.html" import breadcrumbs %}{{ breadcrumbs(items) }}'
    ).render(items=items)
    assert by_global == by_import
    assert 'href="/cohorts"' in by_global


def test_templates_share_the_environments_globals(app):
    """A template's globals are the environment's dict (copied at C speed per render), still live."""
    env = app.jinja_env
    template = env.get_template("page.html")
    assert template.globals is env.globals
    later = env.from_string("{{ added_later }}")
    env.globals["added_later"] = "seen"
    try:
        assert later.render() == "seen"
    finally:
        del env.globals["added_later"]
    # A template given globals of its own keeps them to itself.
    own = env.from_string("{{ mine }}", globals={"mine": "only here"})
    assert own.render() == "only here"
    assert "mine" not in env.globals


def test_globals_for_a_loaded_template_are_refused(app):
    # They would be written into the environment's globals, which every template shares.
    with pytest.raises(ValueError, match="share the environment's globals"):
        app.jinja_env.get_template("page.html", globals={"x": 1})
