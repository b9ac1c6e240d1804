"""Signed-in sessions kept server-side, so sign-out, a new password and erasure end them.

Revision ID: 0008_security
Revises: 0007
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

import leaders.db_types

revision = "0008_security"
down_revision = "0008_visibility"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "user_session",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", leaders.db_types.UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", leaders.db_types.UTCDateTime(), nullable=False),
        sa.Column("user_agent", sa.String(length=200), nullable=False),
        sa.Column("ended_at", leaders.db_types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_user_session_user_id_user"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_session")),
    )
    op.create_index(op.f("ix_user_session_user_id"), "user_session", ["user_id"])


def downgrade():
    # Sessions from before this revision carried the user id; everyone signs in again.
    op.drop_index(op.f("ix_user_session_user_id"), table_name="user_session")
    op.drop_table("user_session")
