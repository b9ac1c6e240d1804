"""How responses travel: compressed on the wire, and static files cached for a year under a hash.

**Compression** (Flask-Compress): HTML, CSV, JSON, calendar, CSS, JavaScript and SVG responses of
1 KB or more are sent with Brotli to clients that accept it and gzip to the others (the 1,000-learner
dashboard goes from about 1.7 MB to well under 100 KB: `bench/dashboard.py` prints `wire_kb_1000`).
Downloads marked `Content-Encoding` already, anything under 1 KB, and streamed responses (static
files, read from disk as they are sent) are left alone.

A note on BREACH: compressed pages that carry a secret (the CSRF token) and reflect what a request
typed can, in theory, leak the secret to an attacker who can both watch the traffic and make the
victim's browser send many requests. Our CSRF tokens are bound to the session, signed with a
timestamp (so they change every second), and sign-in is rate limited; we judged the risk smaller
than the cost of sending a chief executive 1.7 MB pages over a council's VPN.

**Static files**: every `url_for("static", …)` gets `?v=` and the first 12 hex digits of the
file's SHA-256, so a changed file has a new address. A request carrying the current hash is
answered with `Cache-Control: public, max-age=31536000, immutable`; any other static request with
a short lifetime (an hour), so a stale or hand-typed address is never cached for a year.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from flask import Flask, Response, request
from flask_compress import Compress

compress = Compress()

#: What is worth compressing: text formats the app sends (images and PDFs are compressed already).
COMPRESSIBLE = [
    "text/html",
    "text/csv",
    "text/plain",
    "text/css",
    "text/calendar",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/ld+json",
    "application/xml",
    "image/svg+xml",
]
YEAR = 365 * 24 * 3600
HOUR = 3600


def init_app(app: Flask) -> None:
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSIBLE)
    app.config.setdefault("COMPRESS_MIN_SIZE", 1024)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault(
        "COMPRESS_BR_LEVEL", 4
    )  # Brotli's fast levels beat gzip -6 in size and time
    app.config.setdefault("COMPRESS_LEVEL", 6)
    # Streamed responses (static files, sent from disk) go as they are: Flask-Compress's stream
    # wrapper leaves the file open. They are cached for a year (below); a proxy in front of the app
    # may compress them once.
    app.config.setdefault("COMPRESS_STREAMS", False)
    compress.init_app(app)

    hashes: dict[str, str | None] = {}
    static = Path(app.static_folder or "")

    def version_of(filename: str) -> str | None:
        if filename not in hashes or app.debug:
            path = static / filename
            try:
                hashes[filename] = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
            except OSError:
                hashes[filename] = None
        return hashes[filename]

    @app.url_defaults
    def _static_version(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            version = version_of(values["filename"])
            if version:
                values["v"] = version

    def max_age(filename: str | None) -> int:
        if filename and request.args.get("v") and request.args["v"] == version_of(filename):
            return YEAR
        return HOUR

    app.get_send_file_max_age = max_age  # type: ignore[method-assign]

    @app.after_request
    def _immutable(response: Response) -> Response:
        if request.endpoint == "static" and response.cache_control.max_age == YEAR:
            response.cache_control.public = True
            response.cache_control.immutable = True
        return response
