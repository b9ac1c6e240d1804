"""Scope each journal entry to the cohort it was written in.

Existing entries get the cohort the learner had most recently joined (as a learner, on the entry's
course) when the entry was first written; entries written before any such membership get the
learner's earliest cohort of that course. Entries with no cohort stay unreadable to anyone but
their author.

journal_entry is referred to by no other table, so the SQLite batch rebuild cannot cascade-delete
anything (unlike the user table, see 0003).

Revision ID: 0008_visibility
Revises: 0007
Create Date: 2026-12-10
"""

import warnings
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision = "0008_visibility"
down_revision = "0008_cohorts"
branch_labels = None
depends_on = None

# The learner's cohorts on the entry's course (the prompt key starts with the course key).
_CANDIDATES = """
    SELECT cohort_member.cohort_id FROM cohort_member
    JOIN cohort ON cohort.id = cohort_member.cohort_id
    WHERE cohort_member.user_id = journal_entry.user_id
      AND cohort_member.role = 'learner'
      AND journal_entry.prompt_key LIKE cohort.course_key || '/%'
"""


@contextmanager
def _rebuilding_journal_entry():
    """A batch alter, quiet about the user table's expression index (reflected for the foreign key,
    never rebuilt)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Skipped unsupported reflection")
        with op.batch_alter_table("journal_entry") as batch_op:
            yield batch_op


def upgrade():
    with _rebuilding_journal_entry() as batch_op:
        batch_op.add_column(sa.Column("cohort_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_journal_entry_cohort_id_cohort"),
            "cohort",
            ["cohort_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index("ix_journal_entry_cohort", ["cohort_id"], unique=False)
    # The cohort joined most recently before the entry was written…
    op.execute(
        f"""
        UPDATE journal_entry SET cohort_id = (
            {_CANDIDATES}
              AND cohort_member.added_at <= journal_entry.created_at
            ORDER BY cohort_member.added_at DESC, cohort_member.id DESC
            LIMIT 1
        )
        """
    )
    # …or, for entries older than every membership, the earliest cohort of the course.
    op.execute(
        f"""
        UPDATE journal_entry SET cohort_id = (
            {_CANDIDATES}
            ORDER BY cohort.starts_on, cohort.id
            LIMIT 1
        )
        WHERE cohort_id IS NULL
        """
    )


def downgrade():
    with _rebuilding_journal_entry() as batch_op:
        batch_op.drop_index("ix_journal_entry_cohort")
        batch_op.drop_constraint(batch_op.f("fk_journal_entry_cohort_id_cohort"), type_="foreignkey")
        batch_op.drop_column("cohort_id")
