"""Migration 0008_visibility: existing journal entries get the cohort they were written in.

Runs on a throwaway SQLite file whatever TEST_DATABASE_URL says (the backfill's SQL is plain
enough for both; the suite's own migration run covers PostgreSQL's schema).
"""

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from leaders.extensions import db
from tests.conftest import make_app

ROWS = [
    'INSERT INTO "user" (id, email, name, job_title, role, active, session_version, created_at, '
    "failed_sign_ins) VALUES "
    "(1, 'ann@example.org', 'Ann', '', 'learner', 1, 1, '2026-01-01 00:00:00', 0), "
    "(2, 'fay@example.org', 'Fay', '', 'learner', 1, 1, '2026-01-01 00:00:00', 0)",
    "INSERT INTO cohort (id, course_key, name, starts_on, ends_on, created_at) VALUES "
    "(10, 'course', 'A', '2026-01-01', '2026-12-31', '2026-01-01 00:00:00'), "
    "(20, 'course', 'B', '2027-01-01', '2027-12-31', '2026-01-01 00:00:00'), "
    "(30, 'other', 'Elsewhere', '2026-01-01', '2026-12-31', '2026-01-01 00:00:00')",
    "INSERT INTO cohort_member (id, cohort_id, user_id, role, added_at) VALUES "
    "(1, 10, 1, 'learner', '2026-02-01 00:00:00'), "
    "(2, 20, 1, 'learner', '2026-09-01 00:00:00'), "
    "(3, 10, 2, 'facilitator', '2026-02-01 00:00:00')",
]
ENTRIES = {
    # prompt key: (author, written at)
    "course/m/l#in-a": (1, "2026-05-01 00:00:00"),  # after joining A only
    "course/m/l#in-b": (1, "2026-10-01 00:00:00"),  # after joining B too
    "course/m/l#before-both": (1, "2026-01-15 00:00:00"),  # before any membership: earliest, A
    "other/m/l#no-cohort": (1, "2026-05-01 00:00:00"),  # a course they take in no cohort
    "course/m/l#staff": (2, "2026-05-01 00:00:00"),  # a facilitator's: no learner membership
}
EXPECTED = {
    "course/m/l#in-a": 10,
    "course/m/l#in-b": 20,
    "course/m/l#before-both": 10,
    "other/m/l#no-cohort": None,
    "course/m/l#staff": None,
}


def test_backfill_picks_the_cohort_each_entry_was_written_in(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'migrate.sqlite'}")
    with app.app_context():
        upgrade(revision="0007")
        with db.engine.begin() as conn:
            for statement in ROWS:
                conn.execute(text(statement))
            for key, (user_id, when) in ENTRIES.items():
                conn.execute(
                    text(
                        "INSERT INTO journal_entry (user_id, prompt_key, body, body_html, "
                        "visibility, created_at, updated_at) "
                        "VALUES (:u, :k, 'x', '<p>x</p>', 'cohort', :w, :w)"
                    ),
                    {"u": user_id, "k": key, "w": when},
                )
        upgrade(revision="0008_visibility")
        with db.engine.connect() as conn:
            got = dict(conn.execute(text("SELECT prompt_key, cohort_id FROM journal_entry")).all())
        assert got == EXPECTED

        downgrade(revision="0007")
        with db.engine.connect() as conn:
            count = conn.execute(text("SELECT count(*) FROM journal_entry")).scalar()
        assert count == len(ENTRIES)
        db.engine.dispose()
