"""Users: accounts with a global role.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

import leaders.db_types

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("job_title", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("session_version", sa.Integer(), nullable=False),
        sa.Column("created_at", leaders.db_types.UTCDateTime(), nullable=False),
        sa.Column("last_active_at", leaders.db_types.UTCDateTime(), nullable=True),
        sa.Column("last_sign_in_at", leaders.db_types.UTCDateTime(), nullable=True),
        sa.CheckConstraint(
            "role IN ('learner', 'programme_manager', 'admin')", name=op.f("ck_user_role_known")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user")),
    )
    op.create_index("uq_user_email_lower", "user", [sa.text("lower(email)")], unique=True)


def downgrade():
    op.drop_index("uq_user_email_lower", table_name="user")
    op.drop_table("user")
