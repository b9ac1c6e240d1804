"""The migrations build exactly the schema the models describe (on SQLite and on PostgreSQL)."""

import warnings

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext


def test_models_and_migrations_agree(app, db):
    with db.engine.connect() as connection, warnings.catch_warnings():
        # SQLite cannot reflect expression indexes (lower(email), lower(name)); Alembic says so.
        warnings.filterwarnings("ignore", message="autogenerate skipping")
        warnings.filterwarnings(
            "ignore", message="Skipped unsupported reflection of expression-based index"
        )
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []
