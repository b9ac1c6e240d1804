"""Email addresses looked up by a key folded in Python; a per-member due-date offset.

`user.email_key` is the address in Unicode NFC, case-folded: SQLite's lower() folds ASCII letters
only, so "ÉVA@x.org" and "éva@x.org" were two accounts. It is backfilled here in Python and then made
unique; if two existing accounts fold to the same key the upgrade stops and names them, so an admin
can merge them first. Plain ADD COLUMN, not a batch rebuild: on SQLite, rebuilding the user table
would cascade-delete everything that refers to it (see 0003).

Revision ID: 0008_cohorts
Revises: 0007
Create Date: 2026-12-01
"""

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0008_cohorts"
down_revision = "0008_audit"
branch_labels = None
depends_on = None


def _key(email: str) -> str:
    # A copy of leaders.auth.models.email_key: a migration must not change when the app does.
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", email.strip()).casefold())


def upgrade():
    op.add_column(
        "user", sa.Column("email_key", sa.String(length=254), nullable=False, server_default="")
    )
    connection = op.get_bind()
    users = sa.table("user", sa.column("id", sa.Integer), sa.column("email", sa.String))
    keyed = sa.table("user", sa.column("id", sa.Integer), sa.column("email_key", sa.String))
    seen: dict[str, int] = {}
    clashes = []
    for user_id, email in connection.execute(sa.select(users.c.id, users.c.email)).all():
        key = _key(email)
        if key in seen:
            clashes.append(f"{seen[key]} and {user_id} ({key})")
        seen[key] = user_id
        connection.execute(
            sa.update(keyed).where(keyed.c.id == user_id).values(email_key=key)
        )
    if clashes:
        raise RuntimeError(
            "These accounts have the same email address apart from letter case; merge or "
            "rename one of each pair, then upgrade again: " + "; ".join(clashes)
        )
    op.create_index("uq_user_email_key", "user", ["email_key"], unique=True)
    op.add_column("cohort_member", sa.Column("due_offset_days", sa.Integer(), nullable=True))


def downgrade():
    # DROP COLUMN needs SQLite 3.35 or later (2021); no table rebuild.
    op.drop_column("cohort_member", "due_offset_days")
    op.drop_index("uq_user_email_key", table_name="user")
    op.drop_column("user", "email_key")
