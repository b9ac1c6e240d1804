"""Fixtures: the app built by the factory with overrides, on SQLite or (TEST_DATABASE_URL) PostgreSQL.

The schema is built once per session by running the migrations, so every run also tests them. After
each test every table is emptied.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from types import CodeType

import pytest
from flask import Flask, render_template_string
from flask.testing import FlaskCliRunner
from flask_migrate import upgrade
from jinja2 import Environment
from jinja2.bccache import Bucket, BytecodeCache
from sqlalchemy import create_engine, event, make_url, text
from sqlalchemy.engine import Engine

from leaders import create_app
from leaders.extensions import db as _db
from tests.factories import PASSWORD, enrol, make_cohort, make_user
from tests.pages import CheckedClient


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """SQLite in the session's temporary folder, or TEST_DATABASE_URL's PostgreSQL database.

    Under pytest-xdist each worker has its own temporary folder, so its own SQLite file; on
    PostgreSQL each worker gets its own database beside TEST_DATABASE_URL's (`<name>_gw0`, ...),
    created for the run and dropped after it, since `migrated_url` empties the schema it is given.
    """
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
        return
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker or not url.startswith("postgresql"):
        yield url
        return
    with _worker_database(url, worker) as worker_url:
        yield worker_url


@contextmanager
def _worker_database(url: str, worker: str) -> Iterator[str]:
    """A fresh PostgreSQL database for one xdist worker, made and dropped from the `postgres` one."""
    given = make_url(url)
    name = f"{given.database}_{worker}"
    admin = create_engine(given.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            # One left behind by an interrupted run would otherwise make CREATE fail.
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
            # A throwaway database: a commit need not wait for its WAL to reach the disk (it is
            # seen by every other connection at once all the same; only a crash could lose it).
            conn.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
        yield given.set(database=name).render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(scope="session")
def migrated_url(database_url: str) -> str:
    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        if _db.engine.dialect.name == "postgresql":
            with _db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
        _db.engine.dispose()
    return database_url


# One per test process (each xdist worker has its own), removed when the process ends.
_CONTENT_CACHE = tempfile.mkdtemp(prefix="leaders-test-content-cache-")
atexit.register(shutil.rmtree, _CONTENT_CACHE, ignore_errors=True)


class SharedTemplateCode(BytecodeCache):
    """Compiled templates shared by every app that a test process builds.

    Each test builds its own app, so its own Jinja environment, which would compile every template
    it renders again (about a tenth of a second a test). This cache hands a new environment the code
    that an identical one compiled before. Its key holds the template's name, file and source (a
    changed template is compiled afresh) and every setting of the environment that changes the
    generated code, so an app configured differently never gets another's code.
    """

    def __init__(self) -> None:
        self._code: dict[str, CodeType] = {}

    def get_bucket(self, environment: Environment, name: str, filename: str | None, source: str):
        autoescape = environment.autoescape
        settings = (
            name,
            filename,
            autoescape(name) if callable(autoescape) else autoescape,
            environment.block_start_string,
            environment.block_end_string,
            environment.variable_start_string,
            environment.variable_end_string,
            environment.comment_start_string,
            environment.comment_end_string,
            environment.line_statement_prefix,
            environment.line_comment_prefix,
            environment.trim_blocks,
            environment.lstrip_blocks,
            environment.newline_sequence,
            environment.keep_trailing_newline,
            environment.optimized,
            environment.is_async,
            _qualified(environment.finalize),
            sorted(environment.extensions),
            _qualified(environment.code_generator_class),
        )
        key = hashlib.sha256(repr(settings).encode()).hexdigest()
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        bucket.code = self._code.get(f"{bucket.key}:{bucket.checksum}")

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is not None:
            self._code[f"{bucket.key}:{bucket.checksum}"] = bucket.code


def _qualified(thing) -> str | None:
    return None if thing is None else f"{thing.__module__}.{thing.__qualname__}"


# Flask builds each app's Jinja environment from these options (create_app uses plain Flask).
Flask.jinja_options = {**Flask.jinja_options, "bytecode_cache": SharedTemplateCode()}


def make_app(database_url: str, **overrides) -> Flask:
    # A content cache shared by the session's apps: the fixture course is rendered once, not per test.
    settings = {"SQLALCHEMY_DATABASE_URI": database_url, "CONTENT_CACHE_DIR": _CONTENT_CACHE}
    app = create_app("test", settings | overrides)
    app.test_client_class = CheckedClient
    return app


@pytest.fixture
def app_overrides() -> dict:
    """Override in a test module to change settings for its app."""
    return {}


@pytest.fixture
def app(migrated_url: str, app_overrides: dict) -> Iterator[Flask]:
    app = make_app(migrated_url, **app_overrides)
    with app.app_context():
        yield app
        _db.session.remove()
        _empty_tables()
        _db.engine.dispose()


def _empty_tables() -> None:
    """Delete every row, children first, and start every id again from 1.

    On PostgreSQL this does what `TRUNCATE ... RESTART IDENTITY` did, at a tenth of its cost for
    tables this small (TRUNCATE makes new files for each table and index, every test).
    """
    tables = [t.name for t in reversed(_db.metadata.sorted_tables)]
    with _db.engine.begin() as conn:
        for table in tables:
            conn.execute(text(f'DELETE FROM "{table}"'))
        if conn.dialect.name == "postgresql":
            # The sequences that the tables' own columns own (serial or identity), as RESTART IDENTITY.
            sequences = conn.scalars(
                text(
                    "SELECT s.oid::regclass::text FROM pg_class s"
                    " JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass"
                    " AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')"
                    " JOIN pg_class t ON t.oid = d.refobjid"
                    " WHERE s.relkind = 'S' AND t.relname = ANY(:tables)"
                    " AND t.relnamespace = current_schema()::regnamespace"
                ),
                {"tables": tables},
            ).all()
            if sequences:
                conn.execute(
                    text("SELECT setval(s, 1, false) FROM unnest(CAST(:seqs AS regclass[])) AS s"),
                    {"seqs": list(sequences)},
                )


@pytest.fixture
def db(app: Flask):
    return _db


@pytest.fixture
def client(app: Flask) -> CheckedClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __len__(self) -> int:
        return len(self.statements)

    def __call__(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self.statements.append(statement)


@pytest.fixture
def count_queries(app: Flask):
    """Count SQL statements: `with count_queries() as q: ...; assert len(q) == 3`.

    On the test app's database, or another app's: `with count_queries(other_app) as q: ...`.
    """

    @contextmanager
    def counting(on: Flask | None = None) -> Iterator[QueryCounter]:
        counter = QueryCounter()
        with (on or app).app_context():
            engine: Engine = _db.engine
        event.listen(engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            event.remove(engine, "before_cursor_execute", counter)

    return counting


def sign_in(client: CheckedClient, user=None, password: str = PASSWORD, *, email: str = ""):
    """Sign in through the real form, CSRF token and all."""
    from tests.helpers import form_token

    page = client.get("/sign-in")
    return client.post(
        "/sign-in",
        data={"email": email or user.email, "password": password, "csrf_token": form_token(page)},
    )


@pytest.fixture
def cohort(app: Flask):
    """A cohort on the sample course, every module open."""
    return make_cohort()


@pytest.fixture
def learner(app: Flask, cohort):
    """A learner in `cohort`."""
    user = make_user(name="Lena Learner", email="lena@example.org")
    enrol(cohort, user)
    return user


@pytest.fixture
def learner_client(client: CheckedClient, learner) -> CheckedClient:
    response = sign_in(client, learner)
    assert response.status_code == 302
    return client


@pytest.fixture
def render(app: Flask):
    """Render a template string in a request context, as a page would."""

    def render(source: str, **context) -> str:
        with app.test_request_context():
            return render_template_string(source, **context)

    return render
