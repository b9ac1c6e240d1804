import pytest

from tests.helpers import text_of


@pytest.mark.parametrize("path", ["/", "/sign-in", "/password-reset", "/accessibility"])
def test_public_pages_need_no_sign_in(client, path):
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", ["/home"])
def test_private_pages_redirect_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in?next=")


def test_every_route_declares_an_access_rule(app):
    from leaders.auth.rules import access_rule

    missing = [
        rule.endpoint for rule in app.url_map.iter_rules() if access_rule(rule.endpoint) is None
    ]
    assert missing == []


def test_sign_out_needs_a_post(learner_client):
    assert learner_client.get("/sign-out").status_code == 405


def test_404_page_in_service_design(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in text_of(response)
    assert "Place Leaders" in text_of(response)


def test_dev_outbox_is_hidden_outside_development(client):
    assert client.get("/dev/outbox").status_code == 404
