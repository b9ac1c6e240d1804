"""Helpers for reading pages in tests: a page is parsed (html5lib, as browsers do), never pattern-matched."""

from __future__ import annotations

from xml.etree.ElementTree import Element

import html5lib
from werkzeug.test import TestResponse

_SKIPPED = {"script", "style"}


def squashed(value: str | None) -> str:
    """Text with each run of whitespace as one space, trimmed."""
    return " ".join((value or "").split())


def element_tree(element: Element) -> tuple:
    """An element as (tag, attributes, text, children, tail), whitespace squashed: two pieces of
    markup that draw the same thing give the same tree."""
    tag = element.tag.rsplit("}", 1)[-1]
    attributes = tuple(
        sorted(
            (name, " ".join(value.split()) if name == "class" else value)
            for name, value in element.attrib.items()
        )
    )
    return (
        tag,
        attributes,
        squashed(element.text),
        tuple(element_tree(child) for child in element),
        squashed(element.tail),
    )


def _html(source: TestResponse | str) -> str:
    return source if isinstance(source, str) else source.get_data(as_text=True)


def text(element: Element) -> str:
    """An element's text, with whitespace collapsed (tags count as spaces)."""
    parts: list[str] = []
    _collect(element, parts)
    return " ".join(" ".join(parts).split())


def _collect(element: Element, parts: list[str]) -> None:
    if isinstance(element.tag, str) and element.tag not in _SKIPPED:  # comments have no str tag
        parts.append(element.text or "")
        for child in element:
            _collect(child, parts)
    parts.append(element.tail or "")


class Page:
    """A parsed HTML page or fragment: `page(response).find_all("th", scope="col")`."""

    def __init__(self, html: str) -> None:
        self.root: Element = html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)

    def find_all(self, tag: str, **attrs: str | None) -> list[Element]:
        """Elements with this tag, in document order, whose attributes have exactly these values.

        `class_` stands for `class`; a value of None asks only that the attribute is there.
        """
        wanted = {name.rstrip("_"): value for name, value in attrs.items()}
        return [
            element
            for element in self.root.iter(tag)
            if all(
                (name in element.attrib) if value is None else element.get(name) == value
                for name, value in wanted.items()
            )
        ]

    def find(self, tag: str, **attrs: str | None) -> Element | None:
        found = self.find_all(tag, **attrs)
        return found[0] if found else None

    def one(self, tag: str, **attrs: str | None) -> Element:
        """The first such element; the test fails if there is none."""
        element = self.find(tag, **attrs)
        assert element is not None, f"the page has no <{tag}> with {attrs}"
        return element

    def ids(self) -> list[str]:
        """Every id on the page, in document order."""
        return [element.get("id", "") for element in self.root.iter() if element.get("id")]

    def text(self) -> str:
        return text(self.root)


def page(source: TestResponse | str) -> Page:
    """A response's page (or some HTML), parsed."""
    return Page(_html(source))


def form_token(source: TestResponse | str) -> str:
    """The CSRF token in a page's form."""
    value = page(source).one("input", name="csrf_token").get("value")
    assert value, "the page's CSRF token is empty"
    return value


def text_of(source: TestResponse | str) -> str:
    """The page's text without tags, scripts or styles, whitespace collapsed, for content assertions."""
    return page(source).text()


def plan_field(source: TestResponse | str) -> str:
    """The counts an import's confirmation page showed, which its form sends back."""
    value = page(source).one("input", name="plan").get("value")
    assert value, "the confirmation form's plan field is empty"
    return value


def sent_emails(app) -> list[dict]:
    """The emails written to the development outbox (MAIL_OUTBOX_DIR), oldest first."""
    import json
    from pathlib import Path

    folder = Path(app.config["MAIL_OUTBOX_DIR"])
    return (
        [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))]
        if folder.exists()
        else []
    )
