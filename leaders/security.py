"""Security headers on every response, with a per-request nonce for the one inline script."""

from __future__ import annotations

import secrets

from flask import Flask, Response, g


def init_app(app: Flask) -> None:
    app.before_request(_make_nonce)
    app.after_request(_set_headers)
    app.context_processor(lambda: {"cspNonce": csp_nonce()})


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
