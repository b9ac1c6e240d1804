"""Privacy: the audit log and erasure requests.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

import leaders.db_types

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("cohort_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("created_at", leaders.db_types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["user.id"], name=op.f("fk_audit_event_actor_id_user"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["subject_id"], ["user.id"], name=op.f("fk_audit_event_subject_id_user"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["cohort_id"], ["cohort.id"], name=op.f("fk_audit_event_cohort_id_cohort"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    op.create_index("ix_audit_event_created_at", "audit_event", ["created_at"])
    op.create_table(
        "erasure_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("requested_at", leaders.db_types.UTCDateTime(), nullable=False),
        sa.Column("completed_at", leaders.db_types.UTCDateTime(), nullable=True),
        sa.Column("completed_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_erasure_request_user_id_user"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["completed_by"], ["user.id"], name=op.f("fk_erasure_request_completed_by_user"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erasure_request")),
        sa.UniqueConstraint("user_id", name=op.f("uq_erasure_request_user_id")),
    )


def downgrade():
    op.drop_table("erasure_request")
    op.drop_index("ix_audit_event_created_at", table_name="audit_event")
    op.drop_table("audit_event")
