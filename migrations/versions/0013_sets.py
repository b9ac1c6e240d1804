"""Learning sets that last, and a cohort's life-cycle: saved set drafts, set facilitators, archiving.

A proposal for a cohort's learning sets is a row (set_draft) rather than a value in one manager's
browser session; a set has a facilitator; a cohort can be archived (read-only).

Revision ID: 0013_sets
Revises: 0012_sessions
Create Date: 2026-12-01
"""
import warnings
from contextlib import contextmanager

from alembic import op
import sqlalchemy as sa

import leaders.db_types  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = '0013_sets'
down_revision = '0012_sessions'
branch_labels = None
depends_on = None


@contextmanager
def _quiet_reflection():
    """SQLite rebuilds learning_set to change it, reflecting the user table its new foreign key
    points at; that table's expression index (lower(email)) cannot be reflected, and need not be."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Skipped unsupported reflection")
        yield


def upgrade():
    op.create_table('set_draft',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('plan', sa.JSON(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', leaders.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.Column('updated_at', leaders.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], name=op.f('fk_set_draft_cohort_id_cohort'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by'], ['user.id'], name=op.f('fk_set_draft_created_by_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['updated_by'], ['user.id'], name=op.f('fk_set_draft_updated_by_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_set_draft')),
    sa.UniqueConstraint('cohort_id', name=op.f('uq_set_draft_cohort_id'))
    )
    with op.batch_alter_table('cohort', schema=None) as batch_op:
        batch_op.add_column(sa.Column('archived_at', leaders.db_types.UTCDateTime(timezone=True), nullable=True))

    with _quiet_reflection(), op.batch_alter_table('learning_set', schema=None) as batch_op:
        batch_op.add_column(sa.Column('facilitator_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_learning_set_facilitator_id'), ['facilitator_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_learning_set_facilitator_id_user'), 'user', ['facilitator_id'], ['id'], ondelete='SET NULL')



def downgrade():
    with _quiet_reflection(), op.batch_alter_table('learning_set', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_learning_set_facilitator_id_user'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_learning_set_facilitator_id'))
        batch_op.drop_column('facilitator_id')

    with op.batch_alter_table('cohort', schema=None) as batch_op:
        batch_op.drop_column('archived_at')

    op.drop_table('set_draft')
