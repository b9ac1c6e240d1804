"""The CSRF token a page carries is reused for a minute per session (leaders.security.csrf_token)."""

from __future__ import annotations

from leaders import security
from tests.conftest import sign_in
from tests.helpers import form_token


def test_pages_within_a_minute_carry_the_same_token_and_it_works(learner_client, learner):
    first = form_token(learner_client.get("/courses/sample-course/first-steps/welcome"))
    second = form_token(learner_client.get("/courses/sample-course/first-steps/welcome"))
    assert first == second
    response = learner_client.post(
        "/courses/sample-course/first-steps/welcome/complete", data={"csrf_token": second}
    )
    assert response.status_code == 302


def test_a_forged_token_is_still_refused(learner_client, learner):
    good = form_token(learner_client.get("/courses/sample-course/first-steps/welcome"))
    response = learner_client.post(
        "/courses/sample-course/first-steps/welcome/complete", data={"csrf_token": good[:-2] + "xx"}
    )
    assert response.status_code == 400


def test_after_a_minute_a_fresh_token_is_signed(learner_client, learner, monkeypatch):
    signed = []
    real = security.generate_csrf
    monkeypatch.setattr(security, "generate_csrf", lambda: signed.append(1) or real())
    page = "/courses/sample-course/first-steps/welcome"
    form_token(learner_client.get(page))
    form_token(learner_client.get(page))
    assert len(signed) == 1  # the second page reused the first page's token
    monkeypatch.setattr(security, "CSRF_REUSE_SECONDS", 0)
    second = form_token(learner_client.get(page))
    assert len(signed) == 2
    response = learner_client.post(f"{page}/complete", data={"csrf_token": second})
    assert response.status_code == 302


def test_another_session_never_gets_this_sessions_token(app, learner_client, learner):
    mine = form_token(learner_client.get("/courses/sample-course/first-steps/welcome"))
    other = app.test_client()
    assert sign_in(other, learner).status_code == 302
    theirs = form_token(other.get("/courses/sample-course/first-steps/welcome"))
    assert theirs != mine
    # and mine does not work in their session
    response = other.post(
        "/courses/sample-course/first-steps/welcome/complete", data={"csrf_token": mine}
    )
    assert response.status_code == 400
