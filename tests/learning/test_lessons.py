"""The learner's journey through the sample course (tests/fixtures/content/sample-course)."""

from sqlalchemy import func, select

from leaders.learning.models import LessonProgress
from tests.helpers import form_token, text_of

COURSE = "/courses/sample-course"
WELCOME = f"{COURSE}/first-steps/welcome"
TOGETHER = f"{COURSE}/first-steps/working-together"
MAPPING = f"{COURSE}/going-further/mapping-your-place"


def _complete(client, lesson_url):
    page = client.get(lesson_url)
    return client.post(f"{lesson_url}/complete", data={"csrf_token": form_token(page)})


def test_course_page_lists_modules_and_lessons_with_status(learner_client):
    page = learner_client.get(COURSE)
    assert page.status_code == 200
    body = text_of(page)
    assert "Sample course" in body
    assert "0 of 4 lessons completed" in body
    assert "Welcome to the programme" in body
    assert body.count("Not started") >= 4
    assert "Start the course" in body


def test_viewing_a_lesson_marks_it_in_progress(learner_client):
    lesson = learner_client.get(WELCOME)
    assert lesson.status_code == 200
    assert "Welcome to the programme" in text_of(lesson)
    course = text_of(learner_client.get(COURSE))
    assert "In progress" in course
    assert "Continue" in course


def test_lesson_page_has_breadcrumbs_and_pagination(learner_client):
    html = learner_client.get(TOGETHER).get_data(as_text=True)
    assert 'class="govuk-breadcrumbs' in html
    assert f'href="{WELCOME}"' in html  # previous
    assert f'href="{MAPPING}"' in html  # next, across the module boundary


def test_complete_and_continue_goes_to_the_next_lesson(learner_client, db, learner):
    response = _complete(learner_client, WELCOME)
    assert response.status_code == 302
    assert response.headers["Location"] == TOGETHER
    assert "1 of 4 lessons completed" in text_of(learner_client.get(COURSE))


def test_completing_twice_keeps_one_row_and_the_first_time(learner_client, db, learner):
    _complete(learner_client, WELCOME)
    first = db.session.execute(select(LessonProgress.completed_at)).scalar_one()
    _complete(learner_client, WELCOME)
    rows = db.session.execute(select(LessonProgress.completed_at)).scalars().all()
    assert rows == [first]


def test_completing_without_csrf_token_changes_nothing(learner_client, db):
    response = learner_client.post(f"{WELCOME}/complete")
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(LessonProgress)) == 0


def test_changed_lesson_is_flagged(learner_client, db, learner):
    _complete(learner_client, WELCOME)
    db.session.execute(LessonProgress.__table__.update().values(version_completed="0ld0ld0ld0ld"))
    db.session.commit()
    assert "This lesson has changed since you completed it" in text_of(learner_client.get(WELCOME))


def test_unchanged_lesson_is_not_flagged(learner_client):
    _complete(learner_client, WELCOME)
    assert "has changed since" not in text_of(learner_client.get(WELCOME))


def test_alias_address_redirects_to_the_current_lesson(learner_client):
    response = learner_client.get(f"{COURSE}/first-steps/partnerships")
    assert response.status_code == 301
    assert response.headers["Location"] == TOGETHER


def test_progress_under_an_alias_counts(learner_client, db, learner):
    from leaders.timeutil import utcnow

    db.session.add(
        LessonProgress(
            user_id=learner.id,
            lesson_key="sample-course/first-steps/partnerships",
            completed_at=utcnow(),
            version_completed="x",
        )
    )
    db.session.commit()
    assert "1 of 4 lessons completed" in text_of(learner_client.get(COURSE))
    assert "You have completed this lesson" in text_of(learner_client.get(TOGETHER))


def test_unknown_lesson_is_404(learner_client):
    assert learner_client.get(f"{COURSE}/first-steps/nothing-here").status_code == 404
    assert learner_client.get("/courses/no-course").status_code == 404


def test_images_are_served_and_nothing_else(learner_client):
    image = learner_client.get(f"{COURSE}/first-steps/files/partners.png")
    assert image.status_code == 200
    assert image.mimetype == "image/png"
    assert image.get_data().startswith(b"\x89PNG")
    image.close()
    for bad in ("../course.md", "01-welcome.md", "..%2Fcourse.md", "nope.png"):
        assert learner_client.get(f"{COURSE}/first-steps/files/{bad}").status_code == 404


def test_home_offers_the_lesson_to_continue(learner_client):
    home = text_of(learner_client.get("/home"))
    assert "Start your course" in home
    _complete(learner_client, WELCOME)
    learner_client.get(TOGETHER)
    home = text_of(learner_client.get("/home"))
    assert "Continue where you left off" in home
    assert "Working together" in home
    assert "Completed: Welcome to the programme" in home


def test_learning_pages_need_sign_in(client):
    for path in (
        COURSE,
        WELCOME,
        "/courses",
        "/journal",
        "/journal/download",
        f"{COURSE}/first-steps/files/partners.png",
    ):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/sign-in")
    assert client.post(f"{WELCOME}/complete").status_code in (302, 400)


def test_attempts_under_an_alias_show_and_count(learner_client, db, learner):
    """A check passed before the lesson was renamed is on its page (the records query reads the
    lesson's key and every old one) and lets the learner complete it."""
    from leaders.learning.models import QuizAttempt

    for key, score in (("sample-course/first-steps/partnerships", 2), (None, 1)):
        db.session.add(
            QuizAttempt(
                user_id=learner.id,
                quiz_key=f"{key or 'sample-course/first-steps/working-together'}#working-together-check",
                quiz_version="v",
                answers=[[0], [0, 1]],
                score=score,
                total=2,
                passed=score == 2,
            )
        )
    db.session.commit()
    page = text_of(learner_client.get(TOGETHER))
    assert "Your best score: 2 out of 2 (100%)" in page
    assert "Latest: 1 out of 2" in page
    assert "Passed" in page
    assert _complete(learner_client, TOGETHER).status_code == 302
