"""Who may do what: the role sets, the `can_…` predicates, and the route rules built on them.

Every rule is written here once. Decorators, the service navigation and the templates (as globals)
ask these predicates; nothing else compares role strings. Cohort roles (facilitator, organisation
lead, a cohort's programme manager) are per membership: see leaders/cohorts/access.py.

Every view declares a rule — `public`, `signed_in` or `roles(...)`; a view without one is refused
(deny by default). The decorators only mark the view function; `_enforce` (before every request)
checks the mark, so a rule holds in any decorator order, above or below `@bp.route`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from flask import Flask, abort, current_app, request
from flask_login import current_user
from werkzeug.exceptions import Forbidden

from leaders.auth.models import Role
from leaders.extensions import login_manager

log = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])

# Role sets ------------------------------------------------------------------------------------

ADMINS: frozenset[Role] = frozenset({Role.ADMIN})
#: Run the programme: set up cohorts, preview every course, keep the content current.
MANAGERS: frozenset[Role] = frozenset({Role.ADMIN, Role.PROGRAMME_MANAGER})
LEARNERS: frozenset[Role] = frozenset({Role.LEARNER})


def has_role(user: Any, allowed: Iterable[Role]) -> bool:
    """True if the user is signed in and their global role is one of ``allowed``."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if not isinstance(allowed, set | frozenset):
        allowed = frozenset(allowed)
    return user.role in allowed  # Role is a StrEnum: its members are equal to their values


# Predicates -----------------------------------------------------------------------------------


def can_set_up_cohorts(user: Any) -> bool:
    """Create cohorts, and see the Cohorts section."""
    return has_role(user, MANAGERS)


#: The user fact (auth.sessions.add_user_fact) cohorts adds: a facilitator, organisation lead or
#: programme manager of at least one cohort.
STAFFS_A_COHORT = "staffs_a_cohort"


def can_see_cohorts(user: Any) -> bool:
    """The Cohorts section: people who set cohorts up, and the staff of any cohort."""
    return can_set_up_cohorts(user) or bool(getattr(user, "facts", {}).get(STAFFS_A_COHORT))


def can_preview_courses(user: Any) -> bool:
    """Read any course, every module open, without being in a cohort."""
    return has_role(user, MANAGERS)


def can_review_content(user: Any) -> bool:
    """See when lessons are due for review (the people who keep the content current)."""
    return has_role(user, MANAGERS)


def can_administer(user: Any) -> bool:
    """Organisations, erasure requests and the audit log."""
    return has_role(user, ADMINS)


def can_keep_a_network(user: Any) -> bool:
    """Record their own ties ("My network"): learners."""
    return has_role(user, LEARNERS)


#: The predicates templates may call, by name.
PREDICATES: dict[str, Callable[[Any], bool]] = {
    "can_set_up_cohorts": can_set_up_cohorts,
    "can_see_cohorts": can_see_cohorts,
    "can_preview_courses": can_preview_courses,
    "can_review_content": can_review_content,
    "can_administer": can_administer,
    "can_keep_a_network": can_keep_a_network,
}

# Route rules ----------------------------------------------------------------------------------

PUBLIC = "public"
SIGNED_IN = "signed-in"


def public(view: F) -> F:
    """Anyone, signed in or not."""
    if getattr(view, "allowed_roles", None) is not None:
        raise TypeError(f"{view.__name__} cannot be both public and limited to roles")
    view.access = PUBLIC  # type: ignore[attr-defined]  # the rule travels on the view function
    return view


def signed_in(view: F) -> F:
    """Any signed-in user; finer checks (cohort membership, ownership) happen in the service.

    Under or over `roles(...)`, it keeps the stricter rule.
    """
    if getattr(view, "allowed_roles", None) is None:
        view.access = SIGNED_IN  # type: ignore[attr-defined]  # the rule travels on the view function
    return view


def roles(*allowed: Role) -> Callable[[F], F]:
    """Signed-in users whose global role is one of these; others get 403."""
    if not allowed:
        raise TypeError("roles() needs at least one role")

    def decorate(view: F) -> F:
        if getattr(view, "access", None) == PUBLIC:
            raise TypeError(f"{view.__name__} cannot be both public and limited to roles")
        # The rule travels on the view function.
        view.allowed_roles = frozenset(allowed)  # type: ignore[attr-defined]
        view.access = "roles:" + ",".join(sorted(r.value for r in allowed))  # type: ignore[attr-defined]
        return view

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
    allowed = getattr(current_app.view_functions[request.endpoint], "allowed_roles", None)
    if allowed is not None and not has_role(current_user, allowed):
        abort(403)
    return None


def init_app(app: Flask) -> None:
    app.before_request(_enforce)
    app.jinja_env.globals.update(PREDICATES)
