"""A learner may let a reflection be quoted anonymously in programme reports: journal_entry.quote_consent.

Off for every entry written before: consent is only ever given by ticking the box.

Revision ID: 0017_report
Revises: 0016_credentials
Create Date: 2026-12-01
"""
import warnings
from contextlib import contextmanager

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017_report'
down_revision = '0016_credentials'
branch_labels = None
depends_on = None


@contextmanager
def _journal_entry():
    """A batch alter, quiet about the user table's expression index (reflected for the foreign
    key, never rebuilt; journal_entry is referred to by no other table, see 0008_visibility)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Skipped unsupported reflection")
        with op.batch_alter_table('journal_entry', schema=None) as batch_op:
            yield batch_op


def upgrade():
    with _journal_entry() as batch_op:
        batch_op.add_column(
            sa.Column('quote_consent', sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with _journal_entry() as batch_op:
        batch_op.drop_column('quote_consent')
