"""One pattern for irreversible actions: a GOV.UK "Are you sure?" page, then the confirmed POST.

A view shows `page(...)` on GET, and on any POST that does not carry ``confirm=yes`` (so an old
button, or a replayed form, changes nothing). The page's red button posts ``confirm=yes`` with a
CSRF token back to the same address; only that POST does the action.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import render_template, request


@dataclass(frozen=True)
class Confirmation:
    #: The question, naming the action and who it is done to ("Remove Ann Smith from Kent 2026?").
    heading: str
    #: What will happen, one paragraph each.
    says: list[str]
    #: The people (or things) it happens to, listed by name.
    names: list[str] = field(default_factory=list)
    #: Says it cannot be undone, in the warning text component.
    warning: str = "You cannot undo this."
    button: str = "Yes, go ahead"
    cancel_url: str = "/"
    cancel_text: str = "Cancel"
    #: Where the confirmed POST goes; the page's own address when None.
    action_url: str | None = None
    #: Extra form fields to carry through (name → value).
    carry: dict[str, str] = field(default_factory=dict)
    caption: str = ""
    breadcrumbs: list[tuple[str, str]] = field(default_factory=list)


def confirmed() -> bool:
    """Whether this request is the confirmed POST (CSRF is checked by the view's form)."""
    return request.method == "POST" and request.form.get("confirm") == "yes"


def page(confirmation: Confirmation, status: int = 200) -> tuple[str, int]:
    return render_template("components/confirm.html", c=confirmation), status
