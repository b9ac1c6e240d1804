"""Repeated wrong passwords lock the account for a while (on top of the per-address rate limit)."""

import pytest

from tests.helpers import text_of


@pytest.fixture
def app_overrides():
    return {"SIGN_IN_RATE_LIMIT": "100 per minute"}  # the lock is under test, not the rate limit


def test_an_account_locks_after_repeated_wrong_passwords(app, client, learner, db):
    from datetime import timedelta

    from leaders.auth.services import MAX_FAILED_SIGN_INS
    from tests.conftest import sign_in

    for _ in range(MAX_FAILED_SIGN_INS - 1):
        assert "Enter a correct email address and password" in text_of(
            sign_in(client, learner, "wrong-password-here")
        )
    locked = sign_in(client, learner, "wrong-password-here")
    # The answer is the same as for any wrong password (it must not tell who has an account),
    # and it says that sign-in pauses after repeated wrong passwords.
    assert "sign-in is paused for 15 minutes" in text_of(locked)
    db.session.refresh(learner)
    assert learner.locked_until is not None
    # Even the right password is refused while locked, and nothing signs in.
    assert sign_in(client, learner).status_code == 200
    assert client.get("/home").status_code == 302
    assert client.get("/home").status_code == 302
    # When the lock expires, the right password works and the count starts again.
    db.session.refresh(learner)  # the requests changed it in their own sessions
    learner.locked_until = learner.locked_until - timedelta(minutes=16)
    db.session.commit()
    assert sign_in(client, learner).status_code == 302
    db.session.refresh(learner)
    assert (learner.failed_sign_ins, learner.locked_until) == (0, None)


def test_the_answer_is_the_same_for_real_and_unknown_addresses(client, learner, db):
    """Locking must not tell an attacker which addresses have accounts."""
    from leaders.auth.services import MAX_FAILED_SIGN_INS
    from tests.conftest import sign_in

    def errors(email):
        page = sign_in(client, email=email, password="wrong-password-here")
        assert page.status_code == 200
        return [
            text_of(page).split("There is a problem")[1].split("Email address")[0],
            page.status_code,
        ]

    real = [errors(learner.email) for _ in range(MAX_FAILED_SIGN_INS + 2)]
    unknown = [errors("nobody-here@example.org") for _ in range(MAX_FAILED_SIGN_INS + 2)]
    assert real == unknown
    # The lock still works: the real account is locked, and the right password is refused.
    db.session.refresh(learner)
    assert learner.locked_until is not None
    assert sign_in(client, learner).status_code == 200
