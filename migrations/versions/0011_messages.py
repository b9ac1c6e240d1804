"""Bulk actions and messages: one row per confirmed run, its token unique so it counts once.

Revision ID: 0011_messages
Revises: 0010_joined
Create Date: 2026-12-01
"""

from alembic import op
import sqlalchemy as sa

import leaders.db_types


# revision identifiers, used by Alembic.
revision = "0011_messages"
down_revision = '0010_joined'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "bulk_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("created_at", leaders.db_types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["user.id"], name=op.f("fk_bulk_run_actor_id_user"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["cohort_id"],
            ["cohort.id"],
            name=op.f("fk_bulk_run_cohort_id_cohort"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bulk_run")),
        sa.UniqueConstraint("token", name=op.f("uq_bulk_run_token")),
    )


def downgrade():
    op.drop_table("bulk_run")
