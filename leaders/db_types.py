"""Column types shared by the models."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every database (SQLite drops the zone; we put it back)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("UTCDateTime needs a timezone-aware datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def result_processor(
        self, dialect: Dialect, coltype: Any
    ) -> Callable[[Any], datetime | None] | None:
        """On SQLite, the stored text straight to an aware datetime in one step.

        SQLite keeps datetimes as ISO text ("2026-12-01 16:40:00.123456"). SQLAlchemy's own
        processor parses it with a regular expression and then `process_result_value` puts the
        zone back: two calls per value, the largest cost of reading a thousand learners for the
        dashboard (bench/dashboard.py). `datetime.fromisoformat` reads the same text, and the
        timestamps SQLite writes itself, at C speed, and reading it with "+00:00" appended gives the
        aware value directly (`replace(tzinfo=...)` costs five times the parse). Other databases
        keep the usual path.
        """
        if dialect.name != "sqlite":
            return super().result_processor(dialect, coltype)
        parse = datetime.fromisoformat

        def process(value: Any) -> datetime | None:
            if value is None:
                return None
            if isinstance(value, str):
                try:  # naive UTC text, as we and SQLite write it: the zone read with it
                    return parse(value + "+00:00")
                except ValueError:  # text that carries its own offset
                    value = parse(value)
            return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

        return process
