"""Helpers for reading pages in tests."""

from __future__ import annotations

import re
from html import unescape

from werkzeug.test import TestResponse


def form_token(page: TestResponse) -> str:
    """The CSRF token in a page's form."""
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True))
    assert match, "the page has no CSRF token"
    return match.group(1)


def text_of(page: TestResponse) -> str:
    """The page's text with tags removed and whitespace collapsed, for content assertions."""
    html = page.get_data(as_text=True)
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def plan_field(page) -> str:
    """The counts an import's confirmation page showed, which its form sends back."""
    match = re.search(r'name="plan" value="([^"]+)"', page.get_data(as_text=True))
    assert match, "the confirmation form has no plan field"
    return match.group(1)
