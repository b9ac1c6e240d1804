"""The access rules in leaders/auth/rules.py: roles() holds in any decorator order, the
predicates answer for each global role, and templates and navigation ask them."""

import pytest
from flask import Blueprint

from leaders.auth import rules
from leaders.auth.models import Role
from leaders.auth.rules import public, roles, signed_in
from tests.conftest import make_app, sign_in
from tests.factories import make_user

PAGE = "<!doctype html><title>Trial – x</title><h1>Trial</h1>"


@pytest.fixture
def trial_app(migrated_url):
    app = make_app(migrated_url, PROPAGATE_EXCEPTIONS=False)
    trial = Blueprint("trial", __name__)

    @trial.route("/trial/roles-under-route")
    @roles(Role.ADMIN)
    def roles_under_route() -> str:
        return PAGE

    @roles(Role.ADMIN)
    @trial.route("/trial/roles-over-route")
    def roles_over_route() -> str:
        return PAGE

    @trial.route("/trial/roles-over-signed-in")
    @roles(Role.ADMIN)
    @signed_in
    def roles_over_signed_in() -> str:
        return PAGE

    @trial.route("/trial/signed-in-over-roles")
    @signed_in
    @roles(Role.ADMIN)
    def signed_in_over_roles() -> str:
        return PAGE

    @signed_in
    @roles(Role.ADMIN)
    @trial.route("/trial/both-over-route")
    def both_over_route() -> str:
        return PAGE

    app.register_blueprint(trial)
    with app.app_context():
        yield app
        from leaders.extensions import db
        from tests.conftest import _empty_tables

        db.session.remove()
        _empty_tables()
        db.engine.dispose()


ORDERS = [
    "/trial/roles-under-route",
    "/trial/roles-over-route",
    "/trial/roles-over-signed-in",
    "/trial/signed-in-over-roles",
    "/trial/both-over-route",
]


@pytest.mark.parametrize("path", ORDERS)
def test_roles_refuses_other_roles_in_any_decorator_order(trial_app, path):
    client = trial_app.test_client()
    sign_in(client, make_user(role=Role.PROGRAMME_MANAGER))
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", ORDERS)
def test_roles_lets_the_role_named_in_any_decorator_order(trial_app, path):
    client = trial_app.test_client()
    sign_in(client, make_user(role=Role.ADMIN))
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", ORDERS)
def test_roles_sends_the_signed_out_to_sign_in_in_any_order(trial_app, path):
    response = trial_app.test_client().get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in?next=")


@pytest.mark.parametrize("path", ORDERS)
def test_every_order_declares_the_same_rule(trial_app, path):
    endpoint = trial_app.url_map.bind("").match(path)[0]
    assert rules.access_rule(endpoint) == "roles:admin"


def test_public_and_roles_together_is_a_mistake():
    with pytest.raises(TypeError):

        @public
        @roles(Role.ADMIN)
        def both() -> str:
            return ""

    with pytest.raises(TypeError):

        @roles(Role.ADMIN)
        @public
        def other_way() -> str:
            return ""


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.LEARNER, {"can_keep_a_network"}),
        (
            Role.PROGRAMME_MANAGER,
            {"can_set_up_cohorts", "can_see_cohorts", "can_preview_courses", "can_review_content"},
        ),
        (
            Role.ADMIN,
            {
                "can_set_up_cohorts",
                "can_see_cohorts",
                "can_preview_courses",
                "can_review_content",
                "can_administer",
            },
        ),
    ],
)
def test_each_predicate_answers_for_each_global_role(app, role, expected):
    user = make_user(role=role)
    assert {name for name, can in rules.PREDICATES.items() if can(user)} == expected


def test_nobody_signed_out_can_anything(app):
    from flask_login import AnonymousUserMixin

    assert not any(can(AnonymousUserMixin()) for can in rules.PREDICATES.values())


def test_templates_and_navigation_compare_no_role_strings():
    """Who sees what is asked of the predicates, never worked out from role names."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "leaders"
    comparison = re.compile(
        r"\.role\s*(==|!=|in\b|not\s+in\b)"
        r"|(==|!=|\bin)\s*[(\[{]?\s*[\"'](admin|programme_manager|learner)[\"']"
    )
    checked = [root / "navigation.py", *sorted((root / "templates").rglob("*.html"))]
    found = [
        f"{path.relative_to(root)}: {match.group(0)}"
        for path in checked
        for match in comparison.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []
    assert comparison.search('{% if current_user.role in ("admin", "programme_manager") %}')
    assert comparison.search("{% if user.role == 'learner' %}")
