"""The page header, service navigation and footer links, by who is signed in.

The header (product name, who is signed in with the sign-out form, the menu) is drawn once per
menu and filled in per request with the person's name and the CSRF token (leaders.fragments): it
is on every page, and through its macro it cost about 40 µs of each. tests/test_page_template.py
compares it with the macro's own output.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, request, url_for
from flask_login import current_user
from markupsafe import Markup

from leaders.auth import rules
from leaders.fragments import Skeletons, slot, value
from leaders.security import csrf_token

#: The header (one per menu: the entries a role sees, and which section is current) and footer.
_SKELETONS = Skeletons("page_chrome")


@dataclass(frozen=True)
class NavEntry:
    text: str
    endpoint: str
    #: Endpoint prefixes that mark this entry as the current section.
    section: tuple[str, ...]
    #: Who sees it: None for everyone signed in, else a predicate from leaders/auth/rules.py.
    shown_to: Callable[[Any], bool] | None = None


ENTRIES: list[NavEntry] = [
    NavEntry("Home", "main.home", ("main.home",)),
    NavEntry(
        "Courses", "learning.courses", ("learning.course", "learning.module", "learning.lesson")
    ),
    NavEntry("My journal", "learning.journal", ("learning.journal",)),
    # A learner's own network pages only: a cohort's network page is in the Cohorts section.
    NavEntry(
        "My network",
        "network.mine",
        ("network.mine", "network.connect", "network.survey"),
        rules.can_keep_a_network,
    ),
    NavEntry(
        "Cohorts",
        "cohorts.index",
        ("cohorts.", "oversight.", "network.cohort", "network.learning_sets", "emails.cohort_"),
        rules.can_see_cohorts,
    ),
    NavEntry(
        "Erasure requests",
        "privacy.erasures",
        ("privacy.erasures", "privacy.audit"),
        rules.can_administer,
    ),
    NavEntry(
        "Users",
        "admin.index",
        ("admin.", "auth.identity_provider"),  # sign-in providers are reached from Users
        shown_to=rules.can_administer,
    ),
    NavEntry(
        "Organisations", "organisations.index", ("organisations.",), shown_to=rules.can_administer
    ),
]


_fixed_urls: dict[tuple[str, str, str, tuple[tuple[str, Any], ...]], str] = {}


def fixed_url(endpoint: str, filename: str = "", **values: Any) -> str:
    """url_for for an address that is the same whenever it is asked with these values (static
    files, menu pages, a lesson's forms), worked out once.

    Every page draws a dozen of these; url_for builds each one again on every request (~8 µs).
    """
    key = (request.script_root, endpoint, filename, tuple(values.items()))
    url = _fixed_urls.get(key)
    if url is None:
        if filename:
            values["filename"] = filename
        url = _fixed_urls[key] = url_for(endpoint, **values)
    return url


def navigation_items() -> list[dict]:
    if not current_user.is_authenticated:
        return []
    user = current_user._get_current_object()  # once, not through the proxy per entry
    endpoint = request.endpoint or ""
    return [
        {
            "href": fixed_url(entry.endpoint),
            "text": entry.text,
            "active": endpoint.startswith(entry.section),
        }
        for entry in ENTRIES
        if entry.shown_to is None or entry.shown_to(user)
    ]


def header_html() -> Markup:
    """The page header for whoever is signed in (or nobody), with the service navigation."""
    macro = current_app.jinja_env.globals["page_header"]
    if not current_user.is_authenticated:
        draw = lambda: macro(None, "", [])  # type: ignore[operator]  # noqa: E731
        return _SKELETONS.get(None, ("header", request.script_root), draw).fill({})
    items = navigation_items()
    shape = ("header", request.script_root, *((i["href"], i["text"], i["active"]) for i in items))
    skeleton = _SKELETONS.get(None, shape, lambda: macro(slot("name"), slot("token"), items))  # type: ignore[operator]
    return skeleton.fill({"name": value(current_user.name), "token": value(csrf_token())})


def footer_html() -> Markup:
    """The page footer (components/footer.html): the same on every page, so drawn once per app."""
    template = current_app.jinja_env.get_template("components/footer.html")
    draw = lambda: template.render(footer_links=footer_links)  # noqa: E731
    return _SKELETONS.get(None, ("footer", request.script_root), draw).fill({})


def footer_links() -> list[dict]:
    return [
        {"href": fixed_url("main.accessibility"), "text": "Accessibility statement"},
        {"href": fixed_url("privacy.notice"), "text": "Privacy notice"},
    ]


def init_app(app: Flask) -> None:
    app.context_processor(
        lambda: {"navigation_items": navigation_items, "footer_links": footer_links}
    )
    app.add_template_global(fixed_url)
    app.add_template_global(header_html)
    app.add_template_global(footer_html)
