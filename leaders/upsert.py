"""INSERT … ON CONFLICT for the database in use (SQLite and PostgreSQL share the syntax), and
upserts built once per database kind."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite

from leaders.extensions import db


def insert(model: Any) -> Any:
    """An insert statement with ``on_conflict_do_update`` for the session's database."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(model)
    if dialect == "sqlite":
        return sqlite.insert(model)
    raise RuntimeError(f"Upserts are written for SQLite and PostgreSQL, not {dialect}")


def per_database(build: Callable[..., Any]) -> Callable[..., Any]:
    """`build(dialect, *args)` made once per database kind and arguments, and called without the
    dialect: the statement for the session's database. For upserts on every page (a lesson view,
    a completion), where building one took longer than running it. The dialect's name is the
    cache's key; `insert` inside `build` reads the same database."""
    cached = functools.lru_cache(maxsize=8)(build)

    @functools.wraps(build)
    def for_session(*args: Any) -> Any:
        return cached(db.session.get_bind().dialect.name, *args)

    return for_session
