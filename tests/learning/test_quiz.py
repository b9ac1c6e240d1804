"""Knowledge checks: marked on the server, answers never sent before submission, pass marks."""

from sqlalchemy import select

from leaders.learning.models import LessonProgress, QuizAttempt
from tests.conftest import sign_in
from tests.factories import enrol, make_user
from tests.helpers import form_token, text_of

TOGETHER = "/courses/sample-course/first-steps/working-together"
CHECK = f"{TOGETHER}/checks/working-together-check"
RIGHT = {"q1": ["0"], "q2": ["0", "1"]}
WRONG = {"q1": ["1"], "q2": ["2"]}


def _answer(client, answers):
    page = client.get(TOGETHER)
    return client.post(CHECK, data={**answers, "csrf_token": form_token(page)})


def test_answers_and_feedback_are_not_in_the_page_before_submitting(learner_client):
    html = learner_client.get(TOGETHER).get_data(as_text=True)
    assert "What is an <em>anchor institution</em>?" in html
    assert "An organisation rooted in its place" in html
    for secret in (
        "Hospitals, councils and universities are typical anchors",
        "correct",
        "Banks can move",
    ):
        assert secret not in html


def test_wrong_then_right(learner_client, db):
    response = _answer(learner_client, WRONG)
    assert response.status_code == 302
    marked = learner_client.get(response.headers["Location"])
    body = text_of(marked)
    assert "You scored 0 out of 2 (0%)" in body
    assert "The pass mark is 50%" in body
    assert "Banks can move; anchors are tied to their place" in body  # feedback on their choice
    assert "Hospitals, councils and universities are typical anchors" in body  # and every option

    response = _answer(learner_client, RIGHT)
    body = text_of(learner_client.get(response.headers["Location"]))
    assert "You scored 2 out of 2 (100%)" in body
    assert "You passed" in body
    assert "Your best score: 2 out of 2" in body
    assert [a.score for a in db.session.execute(select(QuizAttempt)).scalars()] == [0, 2]


def test_best_and_latest_scores(learner_client):
    _answer(learner_client, RIGHT)
    _answer(learner_client, WRONG)
    body = text_of(learner_client.get(TOGETHER))
    assert "Your best score: 2 out of 2 (100%)" in body
    assert "Latest: 0 out of 2" in body


def test_pass_mark_gates_completion(learner_client, db):
    page = learner_client.get(TOGETHER)
    response = learner_client.post(f"{TOGETHER}/complete", data={"csrf_token": form_token(page)})
    assert response.status_code == 200
    body = text_of(response)
    assert "There is a problem" in body
    assert "Score at least 50% in the knowledge check before you complete this lesson" in body
    assert db.session.execute(select(LessonProgress.completed_at)).scalar_one() is None

    _answer(learner_client, RIGHT)
    page = learner_client.get(TOGETHER)
    response = learner_client.post(f"{TOGETHER}/complete", data={"csrf_token": form_token(page)})
    assert response.status_code == 302
    assert db.session.execute(select(LessonProgress.completed_at)).scalar_one() is not None


def test_practice_quiz_does_not_gate_completion(learner_client):
    mapping = "/courses/sample-course/going-further/mapping-your-place"
    page = learner_client.get(mapping)
    assert "This check is practice" in text_of(page)
    response = learner_client.post(f"{mapping}/complete", data={"csrf_token": form_token(page)})
    assert response.status_code == 302


def test_unanswered_question_is_explained_and_nothing_is_saved(learner_client, db):
    response = _answer(learner_client, {"q1": ["0"]})
    assert response.status_code == 200
    body = text_of(response)
    assert "There is a problem" in body
    assert "Answer question 2" in body
    assert 'href="#app-quiz-working-together-check-q2"' in response.get_data(as_text=True)
    assert 'id="app-quiz-working-together-check-q1" name="q1" type="radio" value="0" checked' in (
        response.get_data(as_text=True)
    )
    assert db.session.execute(select(QuizAttempt)).first() is None


def test_forged_answers_are_rejected(learner_client, db):
    for forged in (
        {"q1": ["7"], "q2": ["0"]},
        {"q1": ["x"], "q2": ["0"]},
        {"q1": ["0", "1"], "q2": ["0"]},
    ):
        assert _answer(learner_client, forged).status_code == 400
    assert db.session.execute(select(QuizAttempt)).first() is None


def test_quiz_without_csrf_is_rejected(learner_client, db):
    assert learner_client.post(CHECK, data=RIGHT).status_code == 400
    assert db.session.execute(select(QuizAttempt)).first() is None


def test_unknown_quiz_is_404(learner_client):
    page = learner_client.get(TOGETHER)
    response = learner_client.post(f"{TOGETHER}/checks/nope", data={"csrf_token": form_token(page)})
    assert response.status_code == 404


def test_someone_elses_attempt_is_never_shown(client, learner, cohort, db):
    other = make_user()
    enrol(cohort, other)
    sign_in(client, other)
    response = _answer(client, WRONG)
    attempt_url = response.headers["Location"]
    client.post("/sign-out", data={"csrf_token": form_token(client.get("/home"))})
    sign_in(client, learner)
    body = text_of(client.get(attempt_url))
    assert "You scored" not in body
    assert "Banks can move" not in body
