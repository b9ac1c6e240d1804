"""Security headers on every response, with a per-request nonce for the one inline script; the
CSRF token forms carry.

Flask-WTF signs the session's CSRF secret afresh for every request that draws a form (its
`generate_csrf`: a serializer made, a key derived, a timestamp signed), about 30 µs of every page.
`csrf_token` hands a request the signed token an earlier request of the same session was given, if
that was less than a minute ago, through Flask-WTF's own per-request cache (`g.csrf_token`). The
token is the same kind of token, valid for the same session: it just looks up to a minute older,
so it expires up to a minute before its eight hours are up.
"""

from __future__ import annotations

import secrets
import threading
import time

from flask import Flask, Response, current_app, g, session
from flask_wtf.csrf import generate_csrf

#: Seconds a signed CSRF token is handed out again to the same session.
CSRF_REUSE_SECONDS = 60
#: Sessions whose recent token each app keeps (the oldest go first).
CSRF_REUSE_SESSIONS = 10_000
_RECENT = "recent_csrf_tokens"
_recent_lock = threading.Lock()


def init_app(app: Flask) -> None:
    app.before_request(_make_nonce)
    app.after_request(_set_headers)
    app.context_processor(lambda: {"cspNonce": csp_nonce()})
    app.extensions[_RECENT] = {}
    app.jinja_env.globals["csrf_token"] = csrf_token  # in place of Flask-WTF's generate_csrf


def csrf_token() -> str:
    """The signed CSRF token for this request's forms (Flask-WTF's, reused for a minute)."""
    if "csrf_token" in g:
        return str(g.csrf_token)
    recent: dict[str, tuple[str, float]] = current_app.extensions[_RECENT]
    secret = session.get("csrf_token")
    now = time.monotonic()
    if (
        isinstance(secret, str)
        and (hit := recent.get(secret))
        and now - hit[1] < CSRF_REUSE_SECONDS
    ):
        g.csrf_token = hit[0]
        return hit[0]
    token = str(generate_csrf())
    secret = session.get("csrf_token")
    if isinstance(secret, str):
        with _recent_lock:
            recent.pop(secret, None)
            if len(recent) >= CSRF_REUSE_SESSIONS:
                recent.pop(next(iter(recent)))
            recent[secret] = (token, now)
    return token


def csp_nonce() -> str:
    """The nonce for this request's inline scripts."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def _make_nonce() -> None:
    csp_nonce()


def _set_headers(response: Response) -> Response:
    nonce = g.get("csp_nonce", "")
    policy = "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'" if nonce else "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            " ".join(["form-action 'self'", *g.get("form_action_sources", [])]),
            "frame-ancestors 'none'",
        ]
    )
    response.headers.setdefault("Content-Security-Policy", policy)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if response.mimetype == "text/html":
        response.headers.setdefault("Cache-Control", "no-store")
    return response
