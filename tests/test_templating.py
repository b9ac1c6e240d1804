"""Shared macros are environment globals: every template can call them with no import, and they
render exactly what importing them renders."""

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
