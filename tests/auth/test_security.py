import pytest

from tests.conftest import make_app
from tests.factories import PASSWORD
from tests.helpers import form_token, text_of


def test_post_without_csrf_token_is_rejected(client, learner):
    response = client.post("/sign-in", data={"email": learner.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "Your form has expired" in text_of(response)


def test_post_with_forged_csrf_token_is_rejected(client, learner):
    response = client.post(
        "/sign-in", data={"email": learner.email, "password": PASSWORD, "csrf_token": "forged"}
    )
    assert response.status_code == 400


def test_sign_out_without_csrf_token_keeps_you_signed_in(learner_client):
    assert learner_client.post("/sign-out").status_code == 400
    assert learner_client.get("/home").status_code == 200


@pytest.fixture
def app_overrides():
    return {"SIGN_IN_RATE_LIMIT": "3 per minute"}


def test_sign_in_is_rate_limited(client, learner):
    token = form_token(client.get("/sign-in"))
    data = {"email": learner.email, "password": "wrong-password-here", "csrf_token": token}
    statuses = [client.post("/sign-in", data=data).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    # Even the right password is refused until the window passes.
    response = client.post("/sign-in", data=data | {"password": PASSWORD})
    assert response.status_code == 429
    assert "Too many attempts" in text_of(response)


def test_password_reset_requests_are_rate_limited(client):
    token = form_token(client.get("/password-reset"))
    data = {"email": "someone@example.org", "csrf_token": token}
    statuses = [client.post("/password-reset", data=data).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_security_headers(client):
    response = client.get("/sign-in")
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_inline_script_carries_the_csp_nonce(client):
    response = client.get("/sign-in")
    nonce = response.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in response.get_data(as_text=True)


def test_rate_limits_work_against_real_redis(migrated_url):
    """RATELIMIT_STORAGE_URI=redis://… must work; CI provides a Redis (TEST_REDIS_URL)."""
    import os

    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        pytest.skip("TEST_REDIS_URL is not set (CI sets it to the local Redis)")
    import redis

    redis.Redis.from_url(url).flushdb()
    app = make_app(migrated_url, RATELIMIT_STORAGE_URI=url, SIGN_IN_RATE_LIMIT="2 per minute")
    client = app.test_client()
    token = form_token(client.get("/sign-in"))
    data = {"email": "x@example.org", "password": "wrong-password-here", "csrf_token": token}
    statuses = [client.post("/sign-in", data=data).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    keys = redis.Redis.from_url(url).keys("LIMITS*")
    assert keys, "the limiter stored nothing in Redis"
    with app.app_context():
        from leaders.extensions import db

        db.engine.dispose()
