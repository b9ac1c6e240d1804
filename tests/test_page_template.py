"""templates/page.html draws the same page as the GOV.UK page template it replaces.

base.html extends page.html, our written-out copy of govuk_frontend_jinja/template.html (see its
comment for why). Here one request renders the same pages through base.html as it is and through
base.html made to extend the library's template, and the two documents must parse to the same tree:
tags, attributes and text, runs of whitespace as one space. Signed out and signed in (the header's
form and the service navigation), with breadcrumbs, a flash message and an error summary.
"""

from __future__ import annotations

from pathlib import Path

import html5lib
import pytest
from flask import flash, jsonify, render_template_string
from markupsafe import escape

from leaders.auth.models import Role
from leaders.auth.rules import public
from tests.conftest import sign_in
from tests.factories import make_user
from tests.helpers import element_tree

BASE = Path(__file__).resolve().parent.parent / "leaders" / "templates" / "base.html"
LIBRARY = "govuk_frontend_jinja/template.html"

PAGES = {
    "plain": '{% extends layout %}{% block main_content %}<h1 class="govuk-heading-l">Hello</h1>'
    "{% endblock %}",
    "crumbs, flash and errors": (
        '{% extends layout %}{% set title = "A & B" %}'
        '{% block breadcrumbs %}{{ breadcrumbs([("Home", "/home"), ("Courses", "/courses")]) }}'
        '{% endblock %}{% block main_content %}<h1 class="govuk-heading-l">Both</h1>{% endblock %}'
    ),
}


def _document(markup: str) -> tuple:
    return element_tree(html5lib.parse(markup, treebuilder="etree", namespaceHTMLElements=False))


@pytest.fixture
def both(app, client):
    """GET /test/layouts/<page> → both renderings of that page, in one request."""
    library_base = BASE.read_text().replace(
        '{% extends "page.html" %}', f'{{% extends "{LIBRARY}" %}}'
    )
    assert library_base != BASE.read_text(), "base.html no longer extends page.html"

    @public
    def layouts(name: str):
        if name == "crumbs, flash and errors":
            flash("Saved & sent.", "success")
        context = (
            {"error_list": [{"text": "Enter a name", "href": "#name"}]}
            if name == "crumbs, flash and errors"
            else {}
        )
        source = PAGES[name]
        ours = render_template_string(source, layout="base.html", **context)
        if name == "crumbs, flash and errors":
            flash("Saved & sent.", "success")
        theirs = render_template_string(
            source, layout=app.jinja_env.from_string(library_base), **context
        )
        return jsonify(ours=ours, theirs=theirs)

    app.add_url_rule("/test/layouts/<name>", "test_layouts", layouts)

    def get(name: str) -> tuple[str, str]:
        body = client.get(f"/test/layouts/{name}").get_json()
        return body["ours"], body["theirs"]

    return get


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("who", [None, Role.LEARNER, Role.ADMIN])
def test_page_template_draws_the_library_page(app, client, both, name, who):
    if who is not None:
        user = make_user(email=f"{who.value}@example.org", role=who.value)
        assert sign_in(client, user).status_code == 302
    ours, theirs = both(name)
    assert _document(ours) == _document(theirs)
    assert ours.count("<h1") == 1
    if who is not None:
        assert "Sign out" in ours
        assert 'class="govuk-service-navigation"' in ours
    if name == "crumbs, flash and errors":
        assert "Saved &amp; sent." in ours
        assert "There is a problem" in ours
        assert "<title>Error: A &amp; B – Place Leaders</title>" in ours


@pytest.fixture
def headers(app, client):
    """GET /test/header → the header as drawn (navigation.header_html) and as its macro draws it."""
    from flask_login import current_user
    from flask_wtf.csrf import generate_csrf

    from leaders.navigation import header_html, navigation_items

    @public
    def header():
        macro = app.jinja_env.globals["page_header"]
        signed_in = current_user.is_authenticated
        theirs = macro(
            current_user.name if signed_in else None, generate_csrf(), navigation_items()
        )
        return jsonify(ours=str(header_html()), theirs=str(theirs))

    app.add_url_rule("/test/header", "test_header", header)
    return lambda: client.get("/test/header").get_json()


@pytest.mark.parametrize(
    ("who", "name"),
    [(None, ""), (Role.LEARNER, 'Zoë "Z" <O\'Neil> & co'), (Role.ADMIN, "Ada Admin")],
)
def test_header_fills_in_to_the_macros_markup(app, client, headers, who, name):
    if who is not None:
        user = make_user(email=f"{who.value}@example.org", role=who.value, name=name)
        assert sign_in(client, user).status_code == 302
    first, again = headers(), headers()
    assert first["ours"] == first["theirs"]
    assert again["ours"] == again["theirs"]  # drawn from the cached skeleton
    if who is None:
        assert "Sign out" not in first["ours"]
    else:
        assert f'<span class="app-header__user">{escape(name)}</span>' in first["ours"]
        assert ("Users</a>" in first["ours"]) is (who == Role.ADMIN)
