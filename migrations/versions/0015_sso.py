"""Sign-in through organisations' identity providers (OpenID Connect) and two-factor for staff.

identity_provider: an admin's set-up of a provider (client secret encrypted); user_identity: the
provider subject linked to an account; totp_credential and recovery_code: two-factor.

Revision ID: 0015_sso
Revises: 0013_sets
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa

import leaders.db_types


# revision identifiers, used by Alembic.
revision = '0015_sso'
down_revision = '0013_sets'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'identity_provider',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('discovery_url', sa.String(length=500), nullable=False),
        sa.Column('client_id', sa.String(length=200), nullable=False),
        sa.Column('client_secret_encrypted', sa.Text(), nullable=False),
        sa.Column('client_secret_env', sa.String(length=100), nullable=False),
        sa.Column('domains', sa.Text(), nullable=False),
        sa.Column('allowed_tenants', sa.Text(), nullable=False),
        sa.Column('enabled', sa.Boolean(), nullable=False),
        sa.Column('created_at', leaders.db_types.UTCDateTime(), nullable=False),
        sa.Column('updated_at', leaders.db_types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_identity_provider')),
    )
    op.create_table(
        'user_identity',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('provider_id', sa.Integer(), nullable=False),
        sa.Column('subject', sa.String(length=300), nullable=False),
        sa.Column('sub', sa.String(length=255), nullable=False),
        sa.Column('tenant_id', sa.String(length=64), nullable=False),
        sa.Column('object_id', sa.String(length=64), nullable=False),
        sa.Column('email_at_link', sa.String(length=254), nullable=False),
        sa.Column('created_at', leaders.db_types.UTCDateTime(), nullable=False),
        sa.Column('last_used_at', leaders.db_types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['provider_id'], ['identity_provider.id'], name=op.f('fk_user_identity_provider_id_identity_provider'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_user_identity_user_id_user'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_user_identity')),
        sa.UniqueConstraint('provider_id', 'subject', name='uq_user_identity_subject'),
    )
    with op.batch_alter_table('user_identity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_identity_user_id'), ['user_id'], unique=False)
    op.create_table(
        'totp_credential',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('secret_encrypted', sa.Text(), nullable=False),
        sa.Column('confirmed_at', leaders.db_types.UTCDateTime(), nullable=True),
        sa.Column('last_step', sa.Integer(), nullable=False),
        sa.Column('created_at', leaders.db_types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_totp_credential_user_id_user'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', name=op.f('pk_totp_credential')),
    )
    op.create_table(
        'recovery_code',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('code_hash', sa.String(length=255), nullable=False),
        sa.Column('used_at', leaders.db_types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_recovery_code_user_id_user'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_code')),
    )
    with op.batch_alter_table('recovery_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recovery_code_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('recovery_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recovery_code_user_id'))
    op.drop_table('recovery_code')
    op.drop_table('totp_credential')
    with op.batch_alter_table('user_identity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_identity_user_id'))
    op.drop_table('user_identity')
    op.drop_table('identity_provider')
