"""Who may use each route. Every view declares a rule; a view without one is refused (deny by default)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, abort, current_app, request
from flask_login import current_user
from werkzeug.exceptions import Forbidden

from leaders.auth.models import Role
from leaders.extensions import login_manager

log = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])

PUBLIC = "public"
SIGNED_IN = "signed-in"


def public(view: F) -> F:
    """Anyone, signed in or not."""
    view.access = PUBLIC  # type: ignore[attr-defined]  # the rule travels on the view function
    return view


def signed_in(view: F) -> F:
    """Any signed-in user; finer checks (cohort membership, ownership) happen in the service."""
    view.access = SIGNED_IN  # type: ignore[attr-defined]  # the rule travels on the view function
    return view


def roles(*allowed: Role) -> Callable[[F], F]:
    """Signed-in users whose global role is one of these; others get 403."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if current_user.role not in {r.value for r in allowed}:
                abort(403)
            return view(*args, **kwargs)

        wrapper.access = "roles:" + ",".join(sorted(r.value for r in allowed))  # type: ignore[attr-defined]  # as above
        # functools.wraps gives the wrapper the view's signature at run time; mypy types it as
        # _Wrapped[...], not as the F it stands in for.
        return wrapper  # type: ignore[return-value]

    return decorate


class NotApplicable(Forbidden):
    """An action the page does not offer for this person or thing (403), with the reason to show."""

    def __init__(self, explanation: str) -> None:
        super().__init__()
        self.explanation = explanation


def access_rule(endpoint: str | None) -> str | None:
    if endpoint is None:
        return None
    if endpoint == "static":
        return PUBLIC
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "access", None)


def _enforce() -> Any:
    if request.endpoint is None:
        return None  # 404 and 405 are handled by the routing error
    rule = access_rule(request.endpoint)
    if rule is None:
        log.error("Route %s has no access rule; refusing it", request.endpoint)
        abort(403)
    if rule == PUBLIC:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


def init_app(app: Flask) -> None:
    app.before_request(_enforce)
