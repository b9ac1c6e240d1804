"""Lesson, course, module and home pages issue a fixed number of queries whatever the course size."""

import pytest

from tests.conftest import make_app, sign_in
from tests.content_tree import write_course
from tests.factories import enrol, make_cohort, make_user
from tests.helpers import form_token

SMALL = ("sample-course", "going-further", "mapping-your-place")


@pytest.fixture
def big_app(tmp_path, migrated_url):
    app = make_app(migrated_url, CONTENT_DIR=str(write_course(tmp_path, modules=8, lessons=10)))
    with app.app_context():
        yield app
        from leaders.extensions import db
        from tests.conftest import _empty_tables

        db.session.remove()
        _empty_tables()
        db.engine.dispose()


def _signed_in_client(app, course_key):
    """A learner in a cohort on the course, signed in."""
    client = app.test_client()
    user = make_user()
    enrol(make_cohort(course_key), user)
    assert sign_in(client, user).status_code == 302
    return client


def _with_history(client, lesson_url):
    """Some progress, an attempt and a journal entry, so every query has rows to read."""
    page = client.get(lesson_url)
    token = form_token(page)
    client.post(f"{lesson_url}/checks/check", data={"q1": ["0"], "csrf_token": token})
    client.post(
        f"{lesson_url}/journal/think",
        data={
            "app-think-csrf_token": token,
            "app-think-body": "Notes",
            "app-think-visibility": "private",
        },
    )
    client.post(f"{lesson_url}/complete", data={"csrf_token": token})


def test_lesson_page_queries_do_not_grow_with_the_course(app, big_app, count_queries):
    small_client = _signed_in_client(app, "sample-course")
    small = _count(count_queries, app, small_client, "/courses/{}/{}/{}".format(*SMALL))

    big_client = _signed_in_client(big_app, "big-course")
    for m in range(1, 4):
        _with_history(big_client, f"/courses/big-course/module-{m}/lesson-1")
    big = _count(count_queries, big_app, big_client, "/courses/big-course/module-5/lesson-3")
    # user, the view (a read: the warm-up view wrote it), attempts and journal entries (one union)
    assert small == big == 3


def test_a_first_view_of_a_lesson_adds_only_its_write(app, count_queries):
    client = _signed_in_client(app, "sample-course")
    client.get("/home")
    with count_queries(app) as queries:
        assert client.get("/courses/{}/{}/{}".format(*SMALL)).status_code == 200
    # user, the view's read (no row yet), its upsert, attempts and journal entries
    assert len(queries) == 4
    assert sum(s.lstrip().upper().startswith("INSERT") for s in queries.statements) == 1


def _count(count_queries, app, client, path):
    client.get(path)  # warm
    with count_queries(app) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("small_path", "big_path", "expected"),
    [
        # user, the learner's cohorts and schedule, progress
        ("/courses/sample-course", "/courses/big-course", 3),
        ("/courses/sample-course/first-steps", "/courses/big-course/module-4", 3),
        # user, courses, schedule, progress, recent attempts, recent journal entries, cohorts supported
        # and two for the learner's programme: their next session, their learning set (a few more
        # when they have them: the session's cohort, the set's members, facilitators, next meeting),
        # and their certificates.
        ("/home", "/home", 10),
        ("/journal", "/journal", 2),
    ],
)
def test_other_pages_issue_a_fixed_number_of_queries(
    app, big_app, count_queries, small_path, big_path, expected
):
    small_client = _signed_in_client(app, "sample-course")
    small = _count(count_queries, app, small_client, small_path)
    big_client = _signed_in_client(big_app, "big-course")
    for m in range(1, 6):
        _with_history(big_client, f"/courses/big-course/module-{m}/lesson-2")
    big = _count(count_queries, big_app, big_client, big_path)
    assert small == big == expected


def test_completing_a_lesson_issues_a_fixed_number_of_queries(big_app, count_queries):
    client = _signed_in_client(big_app, "big-course")
    for m in range(1, 4):
        _with_history(client, f"/courses/big-course/module-{m}/lesson-1")
    lesson = "/courses/big-course/module-5/lesson-3"
    token = form_token(client.get(lesson))
    client.post(f"{lesson}/checks/check", data={"q1": ["0"], "csrf_token": token})
    with count_queries(big_app) as first:
        assert client.post(f"{lesson}/complete", data={"csrf_token": token}).status_code == 302
    with count_queries(big_app) as repeat:
        assert client.post(f"{lesson}/complete", data={"csrf_token": token}).status_code == 302
    # user, the learner's access to the course, the check's attempts, the upsert, and (only for a
    # first completion) how many of the course's 80 lessons they have now completed
    assert len(first) == 5
    assert len(repeat) == 4
    assert sum(s.lstrip().upper().startswith("INSERT") for s in first.statements) == 1
