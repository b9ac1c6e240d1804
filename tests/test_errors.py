"""403 and 500 pages in the service's design; the roles rule refuses other roles."""

import pytest
from flask import Blueprint

from leaders.auth.models import Role
from leaders.auth.rules import roles, signed_in
from tests.conftest import make_app, sign_in
from tests.factories import make_user
from tests.helpers import text_of


@pytest.fixture
def trial_app(migrated_url):
    app = make_app(migrated_url, PROPAGATE_EXCEPTIONS=False)
    trial = Blueprint("trial", __name__)

    @trial.route("/trial/admins-only")
    @signed_in
    @roles(Role.ADMIN)
    def admins_only() -> str:
        return "<!doctype html><title>Admins – x</title><h1>Admins</h1>"

    @trial.route("/trial/broken")
    @signed_in
    def broken() -> str:
        raise RuntimeError("boom")

    app.register_blueprint(trial)
    with app.app_context():
        yield app
        from leaders.extensions import db
        from tests.conftest import _empty_tables

        db.session.remove()
        _empty_tables()
        db.engine.dispose()


def test_other_roles_get_the_403_page(trial_app):
    client = trial_app.test_client()
    sign_in(client, make_user(role=Role.LEARNER))
    response = client.get("/trial/admins-only")
    assert response.status_code == 403
    assert "You do not have permission to see this page" in text_of(response)


def test_the_role_named_gets_in(trial_app):
    client = trial_app.test_client()
    sign_in(client, make_user(role=Role.ADMIN))
    assert client.get("/trial/admins-only").status_code == 200


def test_errors_get_the_500_page_without_details(trial_app):
    client = trial_app.test_client()
    sign_in(client, make_user())
    response = client.get("/trial/broken")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in text_of(response)
    assert "boom" not in response.get_data(as_text=True)


def test_a_database_outage_gets_the_service_error_page(migrated_url, tmp_path):
    """Found by bench/load.py --fault: the 500 page loaded the user again, failed, and gunicorn's
    bare page went out. Now the session is rolled back and the page is drawn without the database."""
    app = make_app("sqlite:////nonexistent-folder/leaders.sqlite", PROPAGATE_EXCEPTIONS=False)
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "1.1"  # a signed-in user: the loader needs the database
    response = client.get("/courses")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in text_of(response)
    assert "Place Leaders" in text_of(response)
