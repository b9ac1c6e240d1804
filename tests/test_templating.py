"""The cached-import Template behaves as Jinja's own: imported macros see the globals they need."""

from jinja2 import DictLoader

from leaders.templating import LeadersTemplate


def _env(app):
    env = app.jinja_env.overlay(
        loader=DictLoader(
            {
                "macros.html": "{% macro hello() %}{{ greeting }} {{ name }}{% endmacro %}",
                "page.html": '{% from "macros.html" import hello %}{{ hello() }}',
            }
        )
    )
    env.template_class = LeadersTemplate
    return env


def test_imported_macros_see_globals(app):
    env = _env(app)
    env.globals["greeting"] = "Hello"
    env.globals["name"] = "Sarah"
    assert env.get_template("page.html").render() == "Hello Sarah"


def test_a_global_added_after_first_render_still_reaches_the_macro(app):
    env = _env(app)
    env.globals["greeting"] = "Hello"
    page = env.get_template("page.html")
    assert page.render().strip() == "Hello"
    env.globals["name"] = "James"
    assert page.render() == "Hello James"


def test_the_app_uses_it(app):
    assert app.jinja_env.template_class is LeadersTemplate
