"""Repeated wrong passwords lock the account for a while (on top of the per-address rate limit)."""

from tests.helpers import text_of


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
