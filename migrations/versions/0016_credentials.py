"""Certificates anyone can verify: issued credentials and programme managers' award decisions.

Revision ID: 0016_credentials
Revises: 0015_sso
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa

import leaders.db_types


# revision identifiers, used by Alembic.
revision = '0016_credentials'
down_revision = '0015_sso'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'credential',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('course_key', sa.String(length=100), nullable=False),
        sa.Column('cohort_id', sa.Integer(), nullable=True),
        sa.Column('recipient_name', sa.String(length=200), nullable=False),
        sa.Column('course_title', sa.String(length=200), nullable=False),
        sa.Column('cohort_name', sa.String(length=200), nullable=False),
        sa.Column('status_index', sa.Integer(), nullable=False),
        sa.Column('issued_at', leaders.db_types.UTCDateTime(), nullable=False),
        sa.Column('valid_until', leaders.db_types.UTCDateTime(), nullable=True),
        sa.Column('token', sa.Text(), nullable=False),
        sa.Column('revoked_at', leaders.db_types.UTCDateTime(), nullable=True),
        sa.Column('revoked_reason', sa.Text(), nullable=False),
        sa.Column('revoked_by', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['revoked_by'], ['user.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('status_index', name='uq_credential_status_index'),
    )
    op.create_index('ix_credential_user_course', 'credential', ['user_id', 'course_key'])
    op.create_table(
        'award_decision',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('course_key', sa.String(length=100), nullable=False),
        sa.Column('decision', sa.String(length=10), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('decided_by', sa.Integer(), nullable=True),
        sa.Column('decided_at', leaders.db_types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['decided_by'], ['user.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('user_id', 'course_key', name='uq_award_decision'),
    )


def downgrade():
    op.drop_table('award_decision')
    op.drop_index('ix_credential_user_course', table_name='credential')
    op.drop_table('credential')
