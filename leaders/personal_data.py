"""What each feature holds about a person, and what erasure does to it: a registry the features fill.

Privacy (the download of "your data", and erasure on request) walks this registry instead of
knowing every table. Each feature registers its holdings in its own ``personal_data`` module, which
create_app imports in layer order (so the download's files and erasure's steps come in that order).

A holding names the tables it covers (every table with a column that refers to a person must be
covered by some holding: tests/test_privacy_registry.py checks it against the metadata), and says
what erasure does to them: ``erase`` removes or blanks them, or ``kept`` says why the rows stay,
without a name (once the account is erased, an id leads to no one).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select

from leaders.extensions import db

#: An export: the person's rows as JSON-ready data (a ``.json`` file) or text (any other name).
Export = Callable[[int], object]
Erase = Callable[[int], None]


@dataclass(frozen=True)
class Holding:
    name: str  #: the file in the download when there is an export; otherwise a label
    tables: tuple[str, ...]
    export: Export | None
    erase: Erase | None
    kept: str | None  #: why the rows stay (anonymous) when the person is erased
    #: What the download's file holds, in words for "Your data" ("your certificates"): the page
    #: lists these, so what it says is in the zip is what is in it.
    shown_as: str = ""


_holdings: dict[str, Holding] = {}


def register(
    name: str,
    *,
    tables: Iterable[str] = (),
    export: Export | None = None,
    erase: Erase | None = None,
    kept: str | None = None,
    shown_as: str = "",
) -> None:
    """Declare a holding. Registering a name again replaces it (an app built twice, in tests)."""
    tables = tuple(tables)
    if tables and erase is None and not kept:
        raise ValueError(f"{name}: say how erasure treats {', '.join(tables)} (erase or kept)")
    if export is not None and not shown_as:
        raise ValueError(f"{name}: say in words what the download's file holds (shown_as)")
    _holdings[name] = Holding(name, tables, export, erase, kept, shown_as)


def holdings() -> tuple[Holding, ...]:
    """Every holding, in the order registered."""
    return tuple(_holdings.values())


def exports(user_id: int) -> dict[str, object]:
    """The person's data, by file name, in the order registered."""
    return {h.name: h.export(user_id) for h in _holdings.values() if h.export is not None}


def erase(user_id: int) -> None:
    """Run every eraser (in the caller's transaction: erasure is all or nothing)."""
    for holding in _holdings.values():
        if holding.erase is not None:
            holding.erase(user_id)


def download_contents() -> list[str]:
    """What the download holds, in words, in the order of its files ("Your data" lists them)."""
    return [h.shown_as for h in _holdings.values() if h.export is not None]


def covered_tables() -> set[str]:
    return {table for holding in _holdings.values() for table in holding.tables}


# Helpers for exporters -----------------------------------------------------------------------


def as_json(value: object) -> object:
    """A value as the download writes it (dates and times in ISO 8601)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def rows(query: Select) -> list[dict]:
    """The query's rows as JSON-ready dictionaries, by column name."""
    return [{k: as_json(v) for k, v in row._mapping.items()} for row in db.session.execute(query)]
