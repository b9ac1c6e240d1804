"""Migration 0003 on SQLite: adding user.organisation_id rebuilds the user table, and must lose nothing.

The app enforces foreign keys on SQLite, so dropping the old user table during the rebuild would
cascade-delete every learner's progress and journal unless the migration prevents it. Runs on a
throwaway SQLite file whatever TEST_DATABASE_URL says: the danger is SQLite's alone.
"""

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from leaders.extensions import db
from tests.conftest import make_app

COUNTS = {"user": 1, "journal_entry": 1, "lesson_progress": 1, "quiz_attempt": 1}


def _counts(conn) -> dict[str, int]:
    return {t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar() for t in COUNTS}


def _email_index(conn) -> str | None:
    return conn.execute(
        text("SELECT sql FROM sqlite_master WHERE name = 'uq_user_email_lower'")
    ).scalar()


def test_0003_keeps_learners_work_on_sqlite_both_ways(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'migrate.sqlite'}")
    with app.app_context():
        upgrade(revision="0002")
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    'INSERT INTO "user" (id, email, name, job_title, role, active, session_version, created_at) '
                    "VALUES (1, 'lena@example.org', 'Lena', '', 'learner', 1, 1, '2026-01-01 00:00:00')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO journal_entry (user_id, prompt_key, body, body_html, visibility, created_at, updated_at) "
                    "VALUES (1, 'c/m/l#p', 'x', '<p>x</p>', 'private', '2026-01-01', '2026-01-01')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO lesson_progress (user_id, lesson_key, first_viewed_at, last_viewed_at) "
                    "VALUES (1, 'c/m/l', '2026-01-01', '2026-01-01')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO quiz_attempt (user_id, quiz_key, quiz_version, answers, score, total, created_at) "
                    "VALUES (1, 'c/m/l#q', 'v1', '[]', 1, 1, '2026-01-01')"
                )
            )

        upgrade()  # to the head, as `make db` does for an existing database
        with db.engine.connect() as conn:
            assert _counts(conn) == COUNTS
            assert _email_index(conn)
            foreign_keys = inspect(conn).get_foreign_keys("user")
            assert foreign_keys == [
                {
                    "name": "fk_user_organisation_id_organisation",
                    "constrained_columns": ["organisation_id"],
                    "referred_schema": None,
                    "referred_table": "organisation",
                    "referred_columns": ["id"],
                    "options": {"ondelete": "SET NULL"},
                }
            ]
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1

        downgrade(revision="0002")
        with db.engine.connect() as conn:
            assert _counts(conn) == COUNTS
            assert _email_index(conn)
            assert "organisation_id" not in {c["name"] for c in inspect(conn).get_columns("user")}
            assert not inspect(conn).has_table("organisation")

        upgrade()
        with db.engine.connect() as conn:
            assert _counts(conn) == COUNTS
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        db.engine.dispose()
