"""Checks every HTML page fetched in a test: it parses, has one h1, a matching title, unique ids, labelled fields."""

from __future__ import annotations

from collections import Counter

import html5lib
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

NS = {"h": "http://www.w3.org/1999/xhtml"}
LABELLED_INPUT_TYPES_EXEMPT = {"hidden", "submit", "button", "image", "reset"}


class PageError(AssertionError):
    pass


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def check_page(html: str) -> None:
    """Raise PageError if the page breaks one of the rules every page must keep."""
    parser = html5lib.HTMLParser(strict=False, namespaceHTMLElements=True)
    document = parser.parse(html)
    if parser.errors:
        position, code, data = parser.errors[0]
        raise PageError(f"HTML does not parse cleanly at {position}: {code} {data}")

    h1s = document.findall(".//h:h1", NS)
    if len(h1s) != 1:
        raise PageError(f"Expected exactly one <h1>, found {len(h1s)}")
    h1_text = _text(h1s[0])
    title = document.find(".//h:title", NS)
    title_text = _text(title) if title is not None else ""
    if not title_text.removeprefix("Error: ").startswith(h1_text.split(" – ")[0][:60]):
        # A caption inside the h1 (govuk-caption) is not part of the title.
        caption = h1s[0].find(".//h:span[@class]", NS)
        main = (
            _text(h1s[0]).removeprefix(_text(caption)).strip() if caption is not None else h1_text
        )
        if not title_text.removeprefix("Error: ").startswith(main[:60]):
            raise PageError(f"<title> {title_text!r} does not start with the h1 {h1_text!r}")

    ids = [el.get("id") for el in document.iter() if el.get("id")]
    duplicates = [i for i, n in Counter(ids).items() if n > 1]
    if duplicates:
        raise PageError(f"Duplicate ids: {duplicates}")

    labels_for = {el.get("for") for el in document.findall(".//h:label", NS)}
    for tag in ("input", "select", "textarea"):
        for field in document.findall(f".//h:{tag}", NS):
            if tag == "input" and field.get("type", "text") in LABELLED_INPUT_TYPES_EXEMPT:
                continue
            if field.get("aria-label") or field.get("aria-labelledby"):
                continue
            if field.get("id") in labels_for:
                continue
            raise PageError(f"<{tag} name={field.get('name')!r}> has no label")


class CheckedClient(FlaskClient):
    """A test client that runs the page checks on every HTML response.

    Each request gets a fresh app context, as in production: the test's own context (held by the `app`
    fixture for factories and assertions) must not lend its `g` or database session to requests.
    """

    def open(self, *args, **kwargs) -> TestResponse:
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        if (
            response.mimetype == "text/html"
            and response.status_code != 302
            and response.data
            and "Content-Encoding" not in response.headers  # a test of compression reads the bytes
        ):
            check_page(response.get_data(as_text=True))
        return response
