"""Places and organisations: the place registry, organisations, and the organisation a user works for.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

import warnings
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

import leaders.db_types

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

PLACE_KINDS = "'county', 'district', 'unitary', 'metropolitan', 'london', 'welsh'"
SECTORS = (
    "'local_government', 'nhs', 'police', 'fire_and_rescue', 'education', 'combined_authority', "
    "'central_government', 'voluntary_and_community', 'business', 'other'"
)


def upgrade():
    op.create_table(
        "place",
        sa.Column("code", sa.String(length=9), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("parent_code", sa.String(length=9), nullable=True),
        sa.Column("country", sa.String(length=20), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.CheckConstraint(f"kind IN ({PLACE_KINDS})", name=op.f("ck_place_kind_known")),
        sa.ForeignKeyConstraint(
            ["parent_code"], ["place.code"], name=op.f("fk_place_parent_code_place")
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_place")),
    )
    op.create_table(
        "organisation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("sector", sa.String(length=32), nullable=False),
        sa.Column("place_code", sa.String(length=9), nullable=True),
        sa.Column("created_at", leaders.db_types.UTCDateTime(), nullable=False),
        sa.CheckConstraint(f"sector IN ({SECTORS})", name=op.f("ck_organisation_sector_known")),
        sa.ForeignKeyConstraint(
            ["place_code"], ["place.code"], name=op.f("fk_organisation_place_code_place")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation")),
    )
    op.create_index("ix_organisation_place_code", "organisation", ["place_code"])
    op.create_index(
        "uq_organisation_name_lower", "organisation", [sa.text("lower(name)")], unique=True
    )
    with _sqlite_rebuilds_user(), op.batch_alter_table("user") as batch_op:
        batch_op.add_column(sa.Column("organisation_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_user_organisation_id_organisation"),
            "organisation",
            ["organisation_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index("ix_user_organisation_id", ["organisation_id"])


def downgrade():
    with _sqlite_rebuilds_user(), op.batch_alter_table("user") as batch_op:
        batch_op.drop_index("ix_user_organisation_id")
        batch_op.drop_constraint("fk_user_organisation_id_organisation", type_="foreignkey")
        batch_op.drop_column("organisation_id")
    op.drop_index("uq_organisation_name_lower", table_name="organisation")
    op.drop_index("ix_organisation_place_code", table_name="organisation")
    op.drop_table("organisation")
    op.drop_table("place")


@contextmanager
def _sqlite_rebuilds_user():
    """Make batch mode's rebuild of "user" on SQLite (copy, drop the old table, rename) lose nothing.

    The app enforces foreign keys on SQLite, and dropping a table while they are enforced deletes
    every row that cascades from it: each learner's progress, attempts and journal. So they are
    switched off for the rebuild. The rebuild also cannot copy an index on an expression, so the
    case-insensitive email index is put back. Other databases alter the table in place.
    """
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        yield
        return
    bind.exec_driver_sql("PRAGMA foreign_keys=OFF")
    # SQLite ignores the pragma inside a transaction: refuse rather than delete anyone's work.
    if bind.exec_driver_sql("PRAGMA foreign_keys").scalar() and _rows_pointing_at_user(bind):
        raise RuntimeError(
            "Migration 0003 must rebuild the user table, which on SQLite is only safe with "
            "foreign keys off, and they cannot be switched off inside a transaction. Run this "
            "migration on its own: `flask db upgrade 0003` (or `flask db downgrade 0002`)."
        )
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based")
        yield
    bind.exec_driver_sql(
        'CREATE UNIQUE INDEX IF NOT EXISTS uq_user_email_lower ON "user" (lower(email))'
    )
    broken = bind.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        raise RuntimeError(f"Rebuilding the user table broke foreign keys: {broken[:5]}")
    # Switching them back on is also ignored mid-transaction, so make sure this connection is not
    # reused: the pool replaces it, and a fresh connection has foreign keys on (see extensions).
    bind.exec_driver_sql("PRAGMA foreign_keys=ON")
    bind.connection.invalidate(soft=True)


def _rows_pointing_at_user(bind) -> int:
    tables = bind.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).scalars()
    total = 0
    for table in list(tables):
        references = bind.exec_driver_sql(f'PRAGMA foreign_key_list("{table}")').all()
        if any(reference[2] == "user" for reference in references):
            total += bind.exec_driver_sql(f'SELECT count(*) FROM "{table}"').scalar()
    return total
