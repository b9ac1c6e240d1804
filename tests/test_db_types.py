"""UTCDateTime: aware UTC datetimes in, aware UTC datetimes out, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import text
from sqlalchemy.dialects import postgresql, sqlite

from leaders.auth.models import User
from leaders.db_types import UTCDateTime
from tests.factories import make_user


def test_round_trip_on_the_test_database(db):
    """Written aware in another zone, read back as the same instant in UTC."""
    when = datetime(2026, 10, 25, 1, 30, 15, 123456, tzinfo=timezone(timedelta(hours=1)))
    user = make_user(email="when@example.org")
    user.last_active_at = when
    db.session.commit()
    db.session.expire_all()
    read = db.session.get(User, user.id).last_active_at
    assert read == when
    assert read.tzinfo == UTC
    assert read.utcoffset() == timedelta(0)


def test_naive_values_are_refused(db):
    with pytest.raises(ValueError, match="timezone-aware"):
        UTCDateTime().process_bind_param(datetime(2026, 1, 1), sqlite.dialect())  # noqa: DTZ001


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ("2026-11-20 10:11:12.123456", datetime(2026, 11, 20, 10, 11, 12, 123456, tzinfo=UTC)),
        (
            "2026-11-20 10:11:12",
            datetime(2026, 11, 20, 10, 11, 12, tzinfo=UTC),
        ),  # CURRENT_TIMESTAMP
        ("2026-11-20T10:11:12+01:00", datetime(2026, 11, 20, 9, 11, 12, tzinfo=UTC)),
        (None, None),
    ],
)
def test_sqlite_text_is_read_as_utc(stored, expected):
    process = UTCDateTime().result_processor(sqlite.dialect(), None)
    assert process is not None
    read = process(stored)
    assert read == expected
    if read is not None:
        assert read.tzinfo == UTC


def test_sqlite_text_written_by_the_database_itself(db):
    """A timestamp SQLite (or PostgreSQL) writes itself reads back aware, as the app's own do."""
    user = make_user(email="server@example.org")
    db.session.commit()
    db.session.execute(
        text('UPDATE "user" SET last_active_at = CURRENT_TIMESTAMP WHERE id = :id'), {"id": user.id}
    )
    db.session.commit()
    db.session.expire_all()
    read = db.session.get(User, user.id).last_active_at
    assert read.tzinfo is not None
    assert read.utcoffset() == timedelta(0)
    assert abs(read - datetime.now(UTC)) < timedelta(minutes=5)


def test_other_databases_keep_sqlalchemys_processing():
    """On PostgreSQL the driver returns aware datetimes; they are converted to UTC."""
    column = UTCDateTime()
    aware = datetime(2026, 3, 29, 2, 30, tzinfo=timezone(timedelta(hours=1)))
    assert column.process_result_value(aware, postgresql.dialect()) == aware
    assert column.process_result_value(aware, postgresql.dialect()).tzinfo == UTC
