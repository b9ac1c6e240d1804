"""Macros that every page shares, made once and kept as Jinja environment globals.

`{% from "…" import … %}` makes a module of the imported template on every render (Jinja compares the
context's globals with the template's, key by key, and builds a fresh module when they differ): with a
dozen imports per page that was about an eighth of rendering a lesson. Instead, the shared macro
templates are loaded once at start-up and their macros put in the environment's globals, so a template
calls `breadcrumbs(…)` with no import. A module copies the environment's globals when it is made, so
this runs last in create_app, after every extension and blueprint has added its globals (`csrf_token`,
`url_for`, `fixed_url` …); the macros must not rely on context-processor values, which an imported module
does not see either. An `import` of the same macros still works; it is just slower.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import MutableMapping
from collections.abc import Set as AbstractSet
from typing import Any

from flask import Flask
from flask.templating import Environment as FlaskEnvironment

#: Template → the macros it provides to every template, under these names.
SHARED_MACROS: dict[str, tuple[str, ...]] = {
    # GOV.UK components (govuk-frontend-jinja), called by the templates with no import. First, so
    # that the shared macro templates below (count_table's govukTable) see them.
    "govuk_frontend_jinja/components/button/macro.html": ("govukButton",),
    "govuk_frontend_jinja/components/table/macro.html": ("govukTable",),
    "components/nav.html": ("page_header", "service_navigation", "breadcrumbs", "pagination"),
    "components/learning.html": (
        "minutes_text",
        "progress_bar",
        "lesson_task_list",
        "locked_task_list",
    ),
    "components/charts.html": ("bar_chart", "count_table"),
    "cohorts/_nav.html": ("cohort_nav",),
    "learning/_quiz_questions.html": ("quiz_questions",),
    "learning/_quiz.html": ("quiz_block", "quiz_scores"),
    "learning/_reflection.html": ("reflection_block",),
    "learning/_lesson_main.html": ("lesson_main",),
}

#: Other names for shared macros, for templates whose context has a variable of the macro's name.
ALIASES = {"breadcrumb_trail": "breadcrumbs"}


def register_shared_macros(app: Flask) -> None:
    env = app.jinja_env
    for template_name, names in SHARED_MACROS.items():
        module = env.get_template(template_name).module
        for name in names:
            env.globals[name] = getattr(module, name)
    for alias, name in ALIASES.items():
        env.globals[alias] = env.globals[name]


class _Globals(ChainMap[str, Any]):
    """A template's globals (its own over the environment's), with `keys()` as one set.

    Every `{% from … import … %}` a template runs (the GOV.UK macros run several inside each call:
    a select imports its label, hint and error-message macros) makes Jinja subtract the imported
    template's global names from the importing one's (`Template._get_default_module`). Over a
    ChainMap's keys view that is one Python-level lookup through every map per name, about 50 µs
    per import with our ~55 globals, and the largest single cost of the dashboard's filter form.
    The union of the maps' keys, made when asked, is the same set and stays live (a global added
    later is in it), and the subtraction then runs in C.
    """

    def keys(self) -> AbstractSet[str]:  # type: ignore[override]  # a set, as Jinja uses it
        return set().union(*self.maps)


class Environment(FlaskEnvironment):
    """Flask's Jinja environment, whose templates share its globals rather than chain over them.

    Jinja gives every template a ChainMap of its own globals over the environment's, and copies it into
    a fresh dict on every render (`new_context`): over a ChainMap that copy is a Python-level lookup
    per name, about 15 µs a render with our ~60 globals, against about 1 µs for a dict. No template
    here has globals of its own, so each one is given the environment's dict itself: the same names,
    live in the same way (a global added later is seen), copied at C speed. A template that is given
    globals of its own still gets a chain (`_Globals`). Passing globals to `get_template` for a
    template already loaded without them would write into the shared dict, so it is refused.
    """

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        if not d:
            return self.globals
        return _Globals(d, self.globals)

    def get_template(self, name: Any, parent: str | None = None, globals: Any = None) -> Any:
        if globals:
            raise ValueError("templates here share the environment's globals; add to those instead")
        return super().get_template(name, parent)
