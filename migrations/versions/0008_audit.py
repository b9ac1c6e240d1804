"""The audit log records staff changes: the request's address, and indexes for the log's filters.

Plain ADD COLUMN and CREATE INDEX, no batch rebuild (see 0007).

Revision ID: 0008_audit
Revises: 0007
Create Date: 2026-12-10
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_audit"
down_revision = "0007"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_audit_event_cohort_created": ["cohort_id", "created_at"],
    "ix_audit_event_actor_created": ["actor_id", "created_at"],
    "ix_audit_event_action_created": ["action", "created_at"],
    "ix_audit_event_subject_id": ["subject_id"],
}


def upgrade():
    op.add_column("audit_event", sa.Column("ip", sa.String(length=45), nullable=True))
    for name, columns in INDEXES.items():
        op.create_index(name, "audit_event", columns)


def downgrade():
    for name in INDEXES:
        op.drop_index(name, table_name="audit_event")
    op.drop_column("audit_event", "ip")
