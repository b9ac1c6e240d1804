"""INSERT … ON CONFLICT for the database in use (SQLite and PostgreSQL share the syntax)."""

from __future__ import annotations

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
