"""Place Leaders: a learning platform for place-based leadership."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import Any

from flask import Flask
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader

from config import CONFIGS, Config
from leaders import delivery, filters, inputs, navigation, outbox, security
from leaders.auth import rules
from leaders.extensions import csrf, db, limiter, login_manager, migrate
from leaders.forms import error_summary
from leaders.tables import table_url
from leaders.templating import Environment, register_shared_macros
from leaders.text import shown_in_page

# The features (catalogue store, models, blueprints, commands) are imported inside the functions
# below, when an app is built: importing any leaders.x module runs this file first, so importing
# them here would load every feature, and cycle back into this half-run file, for a plugin command
# (`flask content`), a migration or a test that needs one module.


def create_app(
    config: str | type[Config] | None = None, overrides: Mapping[str, Any] | None = None
) -> Flask:
    """Build the app. Wires extensions, blueprints, error handlers and commands; nothing else."""
    config_class = _config_class(config)
    app = Flask(__name__, instance_path=os.environ.get("INSTANCE_DIR") or None)
    app.jinja_environment = Environment  # before app.jinja_env is first made
    app.config.from_object(config_class)
    if overrides:
        app.config.update(overrides)
    config_class.validate(app.config)

    logging.basicConfig(level=app.config["LOG_LEVEL"])
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    _register_templates(app)
    _register_extensions(app)
    _register_blueprints(app)
    _register_commands(app)
    _register_personal_data()
    # Last: the shared macros' modules copy the environment's globals when they are made.
    register_shared_macros(app)
    return app


def _config_class(config: str | type[Config] | None) -> type[Config]:
    if isinstance(config, type):
        return config
    name = config or os.environ.get("LEADERS_CONFIG", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        known = ", ".join(CONFIGS)
        raise RuntimeError(f"LEADERS_CONFIG is {name!r}; use one of: {known}.") from None


def _register_templates(app: Flask) -> None:
    app.jinja_loader = ChoiceLoader(
        [
            PackageLoader("leaders"),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.finalize = (
        shown_in_page  # a name stored with a control character stays valid HTML
    )
    WTFormsHelpers(app)
    app.add_template_global(error_summary)
    app.add_template_global(table_url)
    filters.init_app(app)


def _register_extensions(app: Flask) -> None:
    from leaders.catalogue import store as catalogue_store

    inputs.init_app(app)  # first: the URL converter must be in place before any route is added
    db.init_app(app)
    import leaders.models  # noqa: F401  (every model, so the metadata is complete)

    migrations = os.path.join(os.path.dirname(app.root_path), "migrations")
    migrate.init_app(app, db, directory=migrations, render_as_batch=True, compare_type=True)
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to see that page."
    login_manager.login_message_category = "info"
    csrf.init_app(app)
    limiter.init_app(app)
    security.init_app(app)
    rules.init_app(app)
    navigation.init_app(app)
    catalogue_store.init_app(app)
    outbox.init_app(app)
    delivery.init_app(app)
    from leaders.credentials import listeners, signing  # noqa: F401  (listens to course_completed)

    signing.init_app(app)


def _register_personal_data() -> None:
    """Each feature declares what it holds about a person (leaders.personal_data); the download
    lists their files in this order."""
    import leaders.auth.personal_data
    import leaders.cohorts.personal_data
    import leaders.learning.personal_data
    import leaders.network.personal_data
    import leaders.outbox.personal_data
    import leaders.oversight.personal_data
    import leaders.privacy.personal_data  # noqa: F401

    _register_certificates_data()


def _register_certificates_data() -> None:
    """Certificates (leaders.credentials) come after the other features in the download."""
    import leaders.credentials.personal_data  # noqa: F401


def _register_blueprints(app: Flask) -> None:
    from leaders.admin.views import bp as admin_bp
    from leaders.auth.views import bp as auth_bp
    from leaders.cohorts.views import bp as cohorts_bp
    from leaders.credentials.views import bp as credentials_bp
    from leaders.errors import register_error_handlers
    from leaders.learning.views import bp as learning_bp
    from leaders.main.views import bp as main_bp
    from leaders.network.views import bp as network_bp
    from leaders.organisations.views import bp as organisations_bp
    from leaders.oversight.bulk_views import bp as bulk_bp
    from leaders.oversight.emails import bp as emails_bp
    from leaders.oversight.views import bp as oversight_bp
    from leaders.privacy.views import bp as privacy_bp
    from leaders.reports.views import bp as reports_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(learning_bp)
    app.register_blueprint(organisations_bp)
    app.register_blueprint(cohorts_bp)
    app.register_blueprint(oversight_bp)
    app.register_blueprint(emails_bp)
    app.register_blueprint(network_bp)
    app.register_blueprint(privacy_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(credentials_bp)
    app.register_blueprint(bulk_bp)
    app.register_blueprint(reports_bp)
    register_error_handlers(app)


def _register_commands(app: Flask) -> None:
    # `flask content …` is registered as a plugin command (see pyproject.toml) so that it runs
    # without building the app: it must report broken content, not fail while loading it.
    from leaders.cli import register_commands

    register_commands(app)
