"""ID tokens that must not sign anyone in, made by the test and served by a provider it runs.

Each case changes one thing in an otherwise good token; a good token from the same provider signs
in (the first test), so each refusal is down to the one change.
"""

from __future__ import annotations

import time

import pytest
import requests
from joserfc.jwk import RSAKey
from sqlalchemy import select

from leaders.audit import Action, AuditEvent
from leaders.extensions import db
from tests.factories import make_user
from tests.helpers import form_token, text_of
from tests.oidc.flows import add_provider, callback, start
from tests.oidc.harness import DOMAIN

ANN = f"ann@{DOMAIN}"


def _sign_in(client, crafted):
    to_provider = start(client, ANN)
    assert to_provider.status_code == 302
    # The crafted provider answers the authorization request at once with a code.
    answer = requests.get(to_provider.headers["Location"], allow_redirects=False, timeout=10)
    return callback(client, answer.headers["Location"])


@pytest.fixture
def ann(app, crafted_provider):
    add_provider(crafted_provider.discovery_url)
    return make_user(email=ANN, name="Ann Example", password=None)


def _refused_with(detail_part: str) -> bool:
    db.session.expire_all()
    return any(
        detail_part in e.detail
        for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == Action.SIGN_IN_FAILED.value)
        )
    )


def test_a_good_token_signs_in(client, ann, crafted_provider):
    response = _sign_in(client, crafted_provider)
    assert response.status_code == 302
    assert ann.name in text_of(client.get("/home"))


CASES = {
    "wrong issuer": lambda c: c | {"iss": "https://login.example.net/attacker/v2.0"},
    "wrong audience": lambda c: c | {"aud": "some-other-app"},
    "wrong nonce": lambda c: c | {"nonce": "not-the-nonce-we-sent"},
    "expired": lambda c: c | {"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200},
    "issued in the future": lambda c: c | {"iat": int(time.time()) + 3600},
    "no expiry": lambda c: {k: v for k, v in c.items() if k != "exp"},
}


@pytest.mark.parametrize("case", CASES)
def test_bad_token_is_refused(client, ann, crafted_provider, case):
    crafted_provider.shape = CASES[case]
    response = _sign_in(client, crafted_provider)
    assert response.status_code == 400
    assert "could not be completed, so you have not been signed in" in text_of(response)
    assert client.get("/home").status_code == 302  # still signed out
    assert _refused_with("ID token not valid")


def test_token_signed_with_another_key_is_refused(client, ann, crafted_provider):
    crafted_provider.sign_with_other_key = True  # same kid, a key the JWKS does not hold
    response = _sign_in(client, crafted_provider)
    assert response.status_code == 400
    assert client.get("/home").status_code == 302
    assert _refused_with("BadSignatureError")


def test_replayed_nonce_is_refused(client, ann, crafted_provider):
    """A token from an earlier sign-in (its nonce) cannot finish a new one."""
    assert _sign_in(client, crafted_provider).status_code == 302
    client.post("/sign-out", data={"csrf_token": form_token(client.get("/home"))})
    earlier = crafted_provider.nonces[0]
    crafted_provider.shape = lambda c: c | {"nonce": earlier}
    response = _sign_in(client, crafted_provider)
    assert response.status_code == 400
    assert client.get("/home").status_code == 302
    assert _refused_with("nonce")


def _fetches(crafted_provider) -> tuple[int, int]:
    paths = crafted_provider.fetched
    return paths.count("/.well-known/openid-configuration"), paths.count("/jwks")


def test_sign_ins_reuse_the_providers_document_and_keys(app, ann, crafted_provider):
    """Fetched once for the first sign-in; the next ones in the same app fetch neither."""
    for _ in range(3):
        client = app.test_client()
        assert _sign_in(client, crafted_provider).status_code == 302
        assert ann.name in text_of(client.get("/home"))
    assert _fetches(crafted_provider) == (1, 1)


def test_a_rotated_key_is_fetched_at_once(app, ann, crafted_provider):
    """A token signed with a key id the kept keys do not have: the keys are fetched again and the
    person is signed in; a token signed with a wrong key under a known id is still refused."""
    assert _sign_in(app.test_client(), crafted_provider).status_code == 302
    crafted_provider.rotate_key()
    client = app.test_client()
    assert _sign_in(client, crafted_provider).status_code == 302
    assert ann.name in text_of(client.get("/home"))
    assert _fetches(crafted_provider) == (1, 2)
    crafted_provider.sign_with_other_key = True
    crafted_provider.other_key = RSAKey.generate_key(
        2048, parameters={"kid": "crafted-2", "use": "sig"}
    )
    refused = _sign_in(app.test_client(), crafted_provider)
    assert refused.status_code == 400
    assert _refused_with("ID token not valid")


@pytest.mark.parametrize("app_overrides", [{"OIDC_METADATA_SECONDS": 0}])
def test_with_no_keeping_every_sign_in_fetches_again(app, ann, crafted_provider):
    for _ in range(2):
        assert _sign_in(app.test_client(), crafted_provider).status_code == 302
    discovery, _keys = _fetches(crafted_provider)
    assert discovery == 4  # to start and to finish, each time
