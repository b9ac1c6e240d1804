"""The page header, service navigation and footer links, by who is signed in.

The header (product name, who is signed in with the sign-out form, the menu) is drawn once per
menu and filled in per request with the person's name and the CSRF token (leaders.fragments): it
is on every page, and through its macro it cost about 40 µs of each. tests/test_page_template.py
compares it with the macro's own output.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from flask import Flask, current_app, request, url_for
from flask_login import current_user
from markupsafe import Markup

from leaders.auth import rules
from leaders.fragments import Skeleton, slot, value
from leaders.security import csrf_token

_HEADERS = "page_headers"
#: Headers kept per app: one per menu (the entries a role sees, and which section is current).
HEADER_CACHE_SIZE = 256


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


_fixed_urls: dict[tuple[str, str, str], str] = {}


def fixed_url(endpoint: str, filename: str = "") -> str:
    """url_for for an address with no variable parts (static files, menu pages), worked out once.

    Every page draws a dozen of these; url_for builds each one again on every request.
    """
    key = (request.script_root, endpoint, filename)
    url = _fixed_urls.get(key)
    if url is None:
        url = _fixed_urls[key] = (
            url_for(endpoint, filename=filename) if filename else url_for(endpoint)
        )
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


def _header_skeletons(app: Flask) -> Callable[..., Skeleton]:
    cache = app.extensions.get(_HEADERS)
    if cache is None:

        @lru_cache(maxsize=HEADER_CACHE_SIZE)
        def skeleton(items: tuple[tuple[str, str, bool], ...] | None, script_root: str) -> Skeleton:
            macro = app.jinja_env.globals["page_header"]
            if items is None:
                return Skeleton.of(macro(None, "", []))  # type: ignore[operator]
            menu = [{"href": href, "text": text, "active": active} for href, text, active in items]
            return Skeleton.of(macro(slot("name"), slot("token"), menu))  # type: ignore[operator]

        cache = app.extensions[_HEADERS] = skeleton
    return cache


def header_html() -> Markup:
    """The page header for whoever is signed in (or nobody), with the service navigation."""
    skeletons = _header_skeletons(current_app)
    if not current_user.is_authenticated:
        return skeletons(None, request.script_root).fill({})
    items = tuple((i["href"], i["text"], i["active"]) for i in navigation_items())
    return skeletons(items, request.script_root).fill(
        {"name": value(current_user.name), "token": value(csrf_token())}
    )


_FOOTERS = "page_footers"


def footer_html() -> Markup:
    """The page footer (components/footer.html): the same on every page, so drawn once per app."""
    footers: dict[str, Markup] = current_app.extensions.setdefault(_FOOTERS, {})
    html = footers.get(request.script_root)
    if html is None:
        template = current_app.jinja_env.get_template("components/footer.html")
        html = footers[request.script_root] = Markup(template.render(footer_links=footer_links))  # noqa: S704
    return html


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
