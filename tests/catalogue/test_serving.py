"""The module file route and the lesson page's review date, in the app with a real database."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest

from leaders.auth.models import Role
from leaders.catalogue.currency import add_months
from leaders.timeutil import uk_today
from tests.conftest import sign_in
from tests.factories import make_user
from tests.helpers import text_of

from .conftest import WELCOME, WORKING, Tree

FILES = "/courses/sample-course/first-steps/files"
SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><rect width="4" height="4"/></svg>\n'
)
TODAY = uk_today()
RECENT = TODAY - timedelta(days=30)


@pytest.fixture
def app_overrides(tree: Tree) -> dict:
    """The fixture course with an SVG and review dates, before the app loads it."""
    tree.write("sample-course/01-first-steps/diagram.svg", SVG)
    tree.replace(WELCOME, "minutes: 10", "minutes: 10\nreviewed: 2020-01-15")
    tree.replace(WORKING, "minutes:", f"reviewed: {RECENT.isoformat()}\nminutes:")
    return {"CONTENT_DIR": str(tree.root), "CONTENT_CACHE_DIR": None}


def test_svg_is_served_so_that_nothing_in_it_can_run(learner_client) -> None:
    response = learner_client.get(f"{FILES}/diagram.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert response.headers["Content-Security-Policy"] == (
        "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"] == "attachment; filename=diagram.svg"
    assert response.get_data(as_text=True) == SVG
    response.close()


def test_png_is_served_inline_under_the_same_policy(learner_client) -> None:
    response = learner_client.get(f"{FILES}/partners.png")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert response.headers["Content-Disposition"] == "inline; filename=partners.png"
    response.close()


def test_a_link_out_made_after_the_check_is_not_served(
    learner_client, tree: Tree, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0")
    image = tree.path("sample-course/01-first-steps/partners.png")
    image.unlink()
    os.symlink(secret, image)
    response = learner_client.get(f"{FILES}/partners.png")
    assert response.status_code == 404
    assert "root:x" not in response.get_data(as_text=True)


def test_learner_sees_when_the_lesson_was_last_reviewed(learner_client) -> None:
    page = text_of(learner_client.get("/courses/sample-course/first-steps/welcome"))
    assert "Last reviewed 15 January 2020" in page
    assert "For authors" not in page
    unreviewed = text_of(learner_client.get("/courses/sample-course/going-further/next-steps"))
    assert "Last reviewed" not in unreviewed


@pytest.fixture
def admin_client(client, app):
    admin = make_user(name="Ada Admin", email="ada@example.org", role=Role.ADMIN)
    assert sign_in(client, admin).status_code == 302
    return client


def test_author_sees_when_a_review_was_due(admin_client) -> None:
    page = text_of(admin_client.get("/courses/sample-course/first-steps/welcome"))
    assert "Last reviewed 15 January 2020" in page
    assert (
        "For authors: this lesson was due for review by 15 January 2021. Check it is still "
        "accurate, then update its review date." in page
    )


def test_author_sees_the_next_review_date(admin_client) -> None:
    due = add_months(RECENT, 12)
    page = text_of(admin_client.get("/courses/sample-course/first-steps/working-together"))
    assert f"For authors: next review due by {due.day} {due:%B %Y}." in page


def test_author_sees_a_lesson_with_no_review_date(admin_client) -> None:
    page = text_of(admin_client.get("/courses/sample-course/going-further/next-steps"))
    assert "For authors: this lesson has no review date." in page
    assert "Last reviewed" not in page
