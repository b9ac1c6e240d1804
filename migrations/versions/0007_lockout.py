"""Lock an account for a while after repeated wrong passwords.

Plain ADD COLUMN, not a batch rebuild: on SQLite, rebuilding the user table would cascade-delete
everything that refers to it (see 0003).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

import leaders.db_types

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("user", sa.Column("failed_sign_ins", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("user", sa.Column("locked_until", leaders.db_types.UTCDateTime(), nullable=True))


def downgrade():
    # DROP COLUMN needs SQLite 3.35 or later (2021); no table rebuild.
    op.drop_column("user", "locked_until")
    op.drop_column("user", "failed_sign_ins")
