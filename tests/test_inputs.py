"""Hostile input through every route in the URL map: no request may end in a server error.

The routes come from the access matrix (which fails if a route in the URL map is missing from it), so a
new route is pushed through here too. For each: ids no row can have, query strings with control
characters and huge numbers, forms full of control characters and overlong text, and the same form
posted twice with the same token. Signed in as an admin (who may use every staff route) and as a
learner (for the learner-only routes). The client is Flask's plain one: what the page looks like is
other tests' business; here any 500, or an exception, fails.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient

from leaders.inputs import MAX_ID, MAX_QUERY_VALUE
from tests.conftest import sign_in
from tests.helpers import form_token, page
from tests.test_access_matrix import ROUTES, _scenario

HUGE_IDS = [2**31, 2**63, 2**64 + 1, 10**30]
CONTROL = "a\x00b\r\nc\x1b[31md\x7f\x0b\x0c\u2028\ufeff"
LONG = 100_000
#: Names seen in forms across the site are posted to POST-only routes (whose form is on another page).
GENERIC_NAMES = {
    "name",
    "email",
    "job_title",
    "title",
    "location",
    "body",
    "note",
    "kind",
    "role",
    "organisation",
    "sector",
    "visibility",
    "password",
    "confirm",
    "into",
    "start_time",
    "day-day",
    "day-month",
    "day-year",
    "answer",
    "place_code",
}
SKIP = {"auth.sign_out"}  # the walk needs its session; sign-out has its own tests


class UncheckedClient(FlaskClient):
    """Each request in its own app context (as CheckedClient), without the page checks."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


def _client(app, user) -> FlaskClient:
    app.test_client_class = UncheckedClient
    client = app.test_client()
    assert sign_in(client, user).status_code == 302
    return client


def _routes(ids: dict[str, int]) -> Iterator[tuple[str, str, str]]:
    for endpoint, method, path, _ in ROUTES:
        if endpoint not in SKIP:
            yield endpoint, method, path.format(**ids)


def _field_names(html: str) -> set[str]:
    document = page(html)
    fields = [
        f for tag in ("input", "textarea", "select") for f in document.find_all(tag, name=None)
    ]
    return {f.get("name", "") for f in fields} - {"csrf_token", ""}


class Failures:
    def __init__(self) -> None:
        self.found: list[str] = []
        self.statuses: list[int] = []

    def check(self, client: FlaskClient, method: str, url: str, **kwargs) -> int | None:
        try:
            response = client.open(url, method=method, **kwargs)
        except Exception as error:  # TESTING propagates exceptions instead of drawing the 500 page
            self.found.append(
                f"{method} {url[:120]!r}: raised {type(error).__name__}: {error}"[:400]
            )
            return None
        status = response.status_code
        self.statuses.append(status)
        response.close()
        if status >= 500:
            self.found.append(f"{method} {url[:120]!r}: {status}")
        return status


def _with_huge_ids(url: str) -> Iterator[str]:
    """The URL with each number in its path replaced, one at a time, by ids no row can have."""
    parts = url.split("/")
    for i, part in enumerate(parts):
        if part.isdigit():
            for huge in HUGE_IDS:
                yield "/".join([*parts[:i], str(huge), *parts[i + 1 :]])


@pytest.mark.parametrize("kind", ["admin", "learner"])
def test_ids_beyond_any_row_are_not_found(app, kind):
    users, ids = _scenario()
    client = _client(app, users[kind])
    token = form_token(client.get("/home"))
    failures = Failures()
    wrong = []
    for endpoint, method, url in _routes(ids):
        for huge_url in _with_huge_ids(url):
            status = failures.check(client, method, huge_url, data={"csrf_token": token})
            # A learner may be refused a staff page before its ids are looked at (403).
            if status not in (404, None) and not (kind == "learner" and status == 403):
                wrong.append(f"{method} {huge_url} ({endpoint}): {status}, expected 404")
    assert failures.found == []
    assert wrong == []


@pytest.mark.parametrize("kind", ["admin", "learner"])
def test_query_strings_with_control_characters_and_huge_numbers(app, kind):
    users, ids = _scenario()
    client = _client(app, users[kind])
    failures = Failures()
    nasty = [
        {"q": CONTROL, "wave": CONTROL, "cohort": CONTROL, "attempt": CONTROL, "next": CONTROL},
        {"cohort": str(10**30), "attempt": str(2**63), "wave": str(-(2**64))},
        {"q": "%" * 500 + "_" * 400, "wave": "../../etc/passwd"},
    ]
    for _endpoint, method, url in _routes(ids):
        if method != "GET":
            continue
        for query in nasty:
            failures.check(client, "GET", url, query_string=query)
    assert failures.found == []


def test_an_overlong_query_string_is_refused_with_a_clear_page(app):
    from tests.helpers import text_of

    users, ids = _scenario()
    client = _client(app, users["admin"])
    for url in ("/network", "/admin/organisations", f"/cohorts/{ids['a']}/network"):
        response = client.get(url, query_string={"q": "x" * LONG})
        assert response.status_code == 400, url
        assert f"Use {MAX_QUERY_VALUE} characters or fewer" in text_of(response)
    nul = client.get("/admin/organisations", query_string={"q": "Barn\x00sley"})
    assert nul.status_code == 400
    assert "cannot be searched for" in text_of(nul)
    # Just within the bound: answered normally.
    assert client.get("/admin/organisations", query_string={"q": "x" * 900}).status_code == 200
    assert client.get("/network", query_string={"cohort": str(MAX_ID)}).status_code != 500


@pytest.mark.parametrize("kind", ["admin", "learner"])
def test_forms_full_of_control_characters_overlong_text_and_double_submits(app, kind):
    users, ids = _scenario()
    client = _client(app, users[kind])
    failures = Failures()
    routes = list(_routes(ids))
    names_by_url: dict[str, set[str]] = {}
    for _endpoint, method, url in routes:
        if method == "GET":
            response = client.get(url)
            if response.mimetype == "text/html":
                names_by_url[url] = _field_names(response.get_data(as_text=True))
            response.close()
    every_name = set().union(GENERIC_NAMES, *names_by_url.values())
    token = form_token(client.get("/home"))
    for _endpoint, method, url in routes:
        if method != "POST":
            continue
        names = names_by_url.get(url) or every_name
        length = min(LONG, 1_500_000 // len(names))  # under MAX_CONTENT_LENGTH: the fields, not 413
        for value in (
            CONTROL,
            "x" * length,
            "\ud800".encode("utf-8", "surrogatepass").decode("latin-1"),
        ):
            data = dict.fromkeys(names, value) | {"csrf_token": token}
            failures.check(client, "POST", url, data=data)
        # The same submission twice, same token: the second must not fail either (and the token
        # must be accepted: a walk stopped by CSRF tests nothing).
        data = dict.fromkeys(names, "1") | {"csrf_token": token}
        failures.check(client, "POST", url, data=data)
        failures.check(client, "POST", url, data=data)
    assert failures.found == []
    # The walk reached the views: most answers are pages, redirects and refusals, not 400 for CSRF.
    assert failures.statuses.count(400) < len(failures.statuses) // 3


def test_a_redirect_target_with_a_line_break_is_refused(app):
    users, _ = _scenario()
    app.test_client_class = UncheckedClient
    client = app.test_client()
    from tests.factories import PASSWORD

    token = form_token(client.get("/sign-in"))
    data = {"email": users["learner"].email, "password": PASSWORD, "csrf_token": token}
    response = client.post("/sign-in", query_string={"next": "/home\r\nSet-Cookie: x=1"}, data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == "/home"
    assert "x=1" not in response.headers.get("Set-Cookie", "")


def test_overlong_fields_get_a_clear_message_and_change_nothing(app):
    from sqlalchemy import func, select

    from leaders.auth.models import User
    from leaders.extensions import db
    from tests.helpers import text_of

    users, ids = _scenario()
    client = _client(app, users["admin"])
    search = client.get("/admin/organisations", query_string={"q": "x" * 150})
    assert search.status_code == 200
    assert "Search must be 100 characters or fewer" in text_of(search)
    assert "matching" not in text_of(search)  # no claim about a search that was not made

    before = db.session.scalar(select(func.count()).select_from(User))
    url = f"/cohorts/{ids['a']}/people/invite"
    data = {
        "name": "N" * 201,
        "email": "long@example.org",
        "job_title": "J" * 201,
        "role": "learner",
        "csrf_token": form_token(client.get(url)),
    }
    page = client.post(url, data=data)
    assert page.status_code == 200, text_of(page)[:600]
    assert "Full name must be 200 characters or fewer" in text_of(page)
    assert "Job title must be 200 characters or fewer" in text_of(page)
    assert db.session.scalar(select(func.count()).select_from(User)) == before
