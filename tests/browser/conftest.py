"""Browser tests: Chromium through Playwright, against the real app served on a free local port.

One browser per test session. One live server per test module: the app built by the factory on the
session's database (SQLite, or PostgreSQL with TEST_DATABASE_URL: the schema comes from the
migrations), with the real course in `content/`, the place register and the demo programme loaded
once per module; its tables are emptied when the module ends, as the `app` fixture does after a test.

The server records every 5xx response and every exception, and each test fails if there was one.
"""

from __future__ import annotations

import os
import threading
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.serving import WSGIRequestHandler, make_server

from leaders.extensions import db as _db
from tests.conftest import _empty_tables, make_app

REPO = Path(__file__).resolve().parents[2]
CONTENT_DIR = REPO / "content"
BUILT_CSS = REPO / "leaders" / "static" / "govuk" / "app.css"
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"

#: Debian's Chromium; Playwright's own download does not work here. LEADERS_CHROMIUM overrides it.
CHROMIUM = os.environ.get("LEADERS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
#: Milliseconds Playwright waits for a page or an element before failing.
TIMEOUT_MS = 15_000


# The browser ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole session."""
    from playwright.sync_api import sync_playwright

    if not BUILT_CSS.exists():
        pytest.fail(
            f"{BUILT_CSS.relative_to(REPO)} is missing: run `make assets` first. Without the "
            "GOV.UK styles and scripts the browser tests would check an unstyled page."
        )
    executable = CHROMIUM if Path(CHROMIUM).exists() else None
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# The live server ------------------------------------------------------------------------------


_RESPONSE = "tests.live_server.response"


class _QuietHandler(WSGIRequestHandler):
    """No access log: the server's problems are collected instead (see LiveServer).

    When the browser drops a connection while werkzeug drains the request socket, werkzeug
    skips closing the response (its `finally` raises first), so a static file stays open until the collector finds it and
    `filterwarnings = error` fails whichever test is running. The handler closes it itself.
    """

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass

    def run_wsgi(self) -> None:
        try:
            super().run_wsgi()
        finally:
            response = getattr(self, "environ", {}).pop(_RESPONSE, None)
            if hasattr(response, "close"):
                response.close()  # closing twice is harmless: werkzeug may have closed it


class LiveServer:
    """The app served by werkzeug in a background thread on a free port of 127.0.0.1."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        #: Every 5xx response and exception since the last `take_problems()`.
        self.problems: list[str] = []
        self._server = make_server(
            "127.0.0.1", 0, self._wsgi, threaded=True, request_handler=_QuietHandler
        )
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="live-server", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def take_problems(self) -> list[str]:
        problems, self.problems = self.problems, []
        return problems

    def _wsgi(self, environ, start_response):
        where = f"{environ.get('REQUEST_METHOD')} {environ.get('PATH_INFO')}"

        def recording_start_response(status, headers, exc_info=None):
            if status.startswith("5"):
                self.problems.append(f"{where} answered {status}")
            return start_response(status, headers, exc_info)

        try:
            response = self.app(environ, recording_start_response)
            environ[_RESPONSE] = response
            return response
        except Exception:
            self.problems.append(f"{where} raised:\n{traceback.format_exc()}")
            raise


@dataclass
class Account:
    email: str
    password: str
    name: str
    id: int


@dataclass
class World:
    """The demo programme as loaded for a module, with the ids the tests need."""

    server: LiveServer
    accounts: dict[str, Account]
    #: South Yorkshire 2026: the demo learner's cohort, with a facilitator, a lead and a network.
    cohort_id: int
    #: Names of the people in it, for assertions on pages and exports.
    learner_names: list[str]
    #: A session in the past, whose register can be taken.
    past_session_id: int
    #: The network survey wave that is open to the cohort's learners.
    open_wave_id: int
    #: Another learner in the cohort, from another organisation than the demo learner.
    other_learner_id: int
    extra: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def app(self) -> Flask:
        return self.server.app


def build_world(server: LiveServer) -> World:
    """Load the place register and the demo programme (accounts with known passwords)."""
    from leaders.auth.models import User
    from leaders.cli import DEMO_ACCOUNTS
    from leaders.cohorts.models import Cohort, CohortMember, CohortSession
    from leaders.demo import seed
    from leaders.network.models import SurveyWave
    from leaders.places.services import load_places
    from leaders.timeutil import utcnow

    load_places()
    _db.session.commit()
    for _line in seed(DEMO_ACCOUNTS):
        pass
    users = {u.email: u for u in _db.session.execute(select(User)).scalars()}
    accounts = {
        key: Account(email, password, users[email].name, users[email].id)
        for key, email, _name, _title, _role, password in DEMO_ACCOUNTS
    }
    cohort = _db.session.execute(
        select(Cohort).where(Cohort.name == "South Yorkshire 2026")
    ).scalar_one()
    learners = (
        _db.session.execute(
            select(User)
            .join(CohortMember, CohortMember.user_id == User.id)
            .where(CohortMember.cohort_id == cohort.id, CohortMember.role == "learner")
            .order_by(User.id)
        )
        .scalars()
        .all()
    )
    me = users[accounts["learner"].email]
    other = next(u for u in learners if u.organisation_id not in (None, me.organisation_id))
    past = _db.session.execute(
        select(CohortSession.id)
        .where(CohortSession.cohort_id == cohort.id, CohortSession.starts_at < utcnow())
        .order_by(CohortSession.starts_at.desc())
    ).first()
    wave = _db.session.execute(
        select(SurveyWave.id).where(
            SurveyWave.cohort_id == cohort.id, SurveyWave.closed_at.is_(None)
        )
    ).scalar_one()
    return World(
        server=server,
        accounts=accounts,
        cohort_id=cohort.id,
        learner_names=[u.name for u in learners],
        past_session_id=past[0],
        open_wave_id=wave,
        other_learner_id=other.id,
    )


@pytest.fixture(scope="module")
def live_app(migrated_url: str) -> Iterator[Flask]:
    """The app for one module's live server: real content, generous sign-in limits."""
    app = make_app(
        migrated_url,
        CONTENT_DIR=str(CONTENT_DIR),
        # Every test signs in through the form, all from 127.0.0.1: the limit is tested elsewhere.
        SIGN_IN_RATE_LIMIT="1000 per minute",
        # Let the browser keep the CSS and scripts between pages, rather than ask again for each.
        SEND_FILE_MAX_AGE_DEFAULT=3600,
    )
    yield app
    with app.app_context():
        _db.session.remove()
        _empty_tables()
        _db.engine.dispose()


@pytest.fixture(scope="module")
def world(live_app: Flask) -> Iterator[World]:
    """The live server, with the demo programme loaded."""
    server = LiveServer(live_app)
    with live_app.app_context():
        built = build_world(server)
        _db.session.remove()
    server.start()
    try:
        yield built
    finally:
        server.stop()


@pytest.fixture(autouse=True)
def _no_server_errors(world: World) -> Iterator[None]:
    """Fail the test if the server answered 5xx or raised while it ran."""
    world.server.take_problems()
    yield
    problems = world.server.take_problems()
    assert not problems, "The server failed during this test:\n" + "\n".join(problems)


# Pages ----------------------------------------------------------------------------------------


def new_context(browser, world: World, **options):
    """A fresh browser context (its own cookies) on the live server."""
    context = browser.new_context(base_url=world.url, **options)
    context.set_default_timeout(TIMEOUT_MS)
    return context


def sign_in(page, account: Account) -> None:
    """Sign in through the real form, as a person would."""
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(account.email)
    page.get_by_role("button", name="Continue").click()  # email first, then the password
    page.get_by_label("Password", exact=True).fill(account.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/home")


def in_app(world: World):
    """An app context on the live server's app, for reading or adding data from the test."""
    return world.app.app_context()
