"""Error pages in the service's own design."""

from __future__ import annotations

import logging

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

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


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str, int]:
        return render_template("errors/csrf.html", title="Your form has expired"), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int]:
        code = error.code or 500
        if code >= 500:
            log.error("Server error: %s", getattr(error, "original_exception", error))
        title, template = PAGES.get(code, PAGES[400] if code < 500 else PAGES[500])
        return render_template(template, title=title, error=error), code
