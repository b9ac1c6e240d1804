""""Invited" is its own state: user.joined_at, set when someone takes up their account.

Before, "invited" was read as "has no password", so a person who signs in only through their
organisation's identity provider would show as invited for ever. Everyone who has a password has
joined; their join time is taken as their first known sign-in, or else when the account was made.

Revision ID: 0010_joined
Revises: 0009_queue
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa

import leaders.db_types


# revision identifiers, used by Alembic.
revision = '0010_joined'
down_revision = '0009_queue'
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN (no table rebuild, which would drop the user table's expression index).
    op.add_column('user', sa.Column('joined_at', leaders.db_types.UTCDateTime(), nullable=True))
    op.execute(
        'UPDATE "user" SET joined_at = COALESCE(last_sign_in_at, created_at) '
        'WHERE password_hash IS NOT NULL'
    )


def downgrade():
    # DROP COLUMN needs SQLite 3.35 or later (2021); no table rebuild.
    op.drop_column('user', 'joined_at')
