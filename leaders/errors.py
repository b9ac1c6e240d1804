"""Error pages in the service's own design."""

from __future__ import annotations

import logging

from flask import Flask, g, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from leaders.extensions import db, login_manager

log = logging.getLogger(__name__)

PAGES = {
    400: ("Sorry, there is a problem with that request", "errors/400.html"),
    403: ("You do not have permission to see this page", "errors/403.html"),
    404: ("Page not found", "errors/404.html"),
    405: ("Sorry, there is a problem with that request", "errors/400.html"),
    413: ("The file is too large", "errors/413.html"),
    429: ("Too many attempts", "errors/429.html"),
    500: ("Sorry, there is a problem with the service", "errors/500.html"),
}


PLAIN_500 = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Sorry, there is a problem '
    "with the service – Place Leaders</title></head><body><h1>Sorry, there is a problem with the service</h1>"
    "<p>Try again later. Anything you saved before the problem is safe.</p></body></html>"
)


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str, int]:
        return render_template("errors/csrf.html", title="Your form has expired"), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int]:
        code = error.code or 500
        title, template = PAGES.get(code, PAGES[400] if code < 500 else PAGES[500])
        if code < 500:
            return render_template(template, title=title, error=error), code
        log.error("Server error: %s", getattr(error, "original_exception", error))
        # The database may be what failed (an outage): don't touch it again while drawing the page.
        try:
            db.session.rollback()
        except Exception:
            log.warning("Could not roll back the session while handling an error", exc_info=True)
        if "_login_user" not in g:
            g._login_user = login_manager.anonymous_user()  # the page must not load the user again
        try:
            return render_template(template, title=title, error=error), code
        except Exception:
            log.exception("The error page itself failed")
            return PLAIN_500, 500
