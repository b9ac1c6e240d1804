"""Flask extensions, created unbound here and initialised by the app factory."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import CursorResult, Engine, Result
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with a naming convention, so migrations name constraints predictably."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# Objects stay readable after the one commit a request makes (templates use them after it).
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})

# The base class every model subclasses. At run time it is `db.Model` (Flask-SQLAlchemy builds it from
# Base's body, adding the bind and table-name mixins); a type checker cannot use an attribute of an
# instance as a base class, so it sees Base, whose columns and metadata `db.Model` shares.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model


def rowcount(result: Result[Any]) -> int:
    """Rows an UPDATE or DELETE run through the session matched.

    `Session.execute` is typed as returning a plain `Result`; for a DML statement it is a
    `CursorResult`, which is what carries the count.
    """
    if not isinstance(result, CursorResult):
        raise TypeError(f"not the result of an UPDATE or DELETE: {result!r}")
    return result.rowcount


migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection: object, connection_record: object) -> None:
    """SQLite: enforce foreign keys (so ON DELETE CASCADE works), and let readers and a writer overlap."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
