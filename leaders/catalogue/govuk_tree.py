"""The GOV.UK pass over a rendered Markdown tree: what makes the HTML fit the page around it.

Headings join the page outline (from h2 down: the page's only h1 is the lesson title) and get
page-unique ids; elements get GOV.UK classes; lesson links are resolved and checked; images are
checked against the module folder. What it finds goes into a ``TreeState`` that the Renderer
(render.py) resets for each document. Imported only on the cold path, with Markdown itself.
"""

from __future__ import annotations

import html as html_lib
import re
import xml.etree.ElementTree as etree
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from .blocks import CALLOUT_ATTR, HEADING_ATTR
from .document import LESSON_LINK, Resolver, link_key, resolve_link
from .model import FILE_URL, IMAGE_EXTENSIONS

#: Ids the page around the content uses; a heading that would take one gets a suffix instead.
RESERVED_IDS = frozenset({"main-content", "content", "contents", "top", "navigation", "footer"})
#: Ids the page's own parts use start with this (forms, quizzes, journal); headings never do.
RESERVED_PREFIX = "app-"

#: Headings become sub-sections from h2 down: the page's only h1 is the lesson title.
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_HEADING_CLASSES = {2: "govuk-heading-l", 3: "govuk-heading-m"}
_CLASSES = {
    "p": "govuk-body",
    "ul": "govuk-list govuk-list--bullet",
    "ol": "govuk-list govuk-list--number",
    "a": "govuk-link",
    "table": "govuk-table",
    "caption": "govuk-table__caption govuk-table__caption--m",
    "thead": "govuk-table__head",
    "tbody": "govuk-table__body",
    "tr": "govuk-table__row",
    "th": "govuk-table__header",
    "td": "govuk-table__cell",
    "blockquote": "govuk-inset-text",
    "hr": "govuk-section-break govuk-section-break--l govuk-section-break--visible",
    "img": "app-content-image",
}
_RIGHT_ALIGNED = re.compile(r"text-align:\s*right")


@dataclass(slots=True)
class DocumentContext:
    """What rendering one file needs to know about where it sits."""

    path: Path
    #: Every line of the file, to find the line of a broken link or image.
    lines: list[str]
    body_line: int
    course_key: str
    #: None for a course page, which has no folder for images.
    module_key: str | None
    resolve: Resolver
    #: Image files in the module folder, by name.
    images: Mapping[str, Path] = field(default_factory=dict)


@dataclass(slots=True)
class TreeState:
    """What the tree processor found in the document being rendered."""

    context: DocumentContext | None = None
    links: list[tuple[str, str | None]] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    #: (text found in the source, message) for each problem.
    problems: list[tuple[str, str]] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    toc: list[tuple[str, str]] = field(default_factory=list)


class GovukExtension(Extension):
    def __init__(self, state: TreeState) -> None:
        super().__init__()
        self.state = state

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # After toc (5), which gives headings their ids, and unescape (0), which restores text.
        md.treeprocessors.register(_GovukTreeprocessor(md, self.state), "govuk", -1)


class _GovukTreeprocessor(Treeprocessor):
    """Headings into the page outline, GOV.UK classes, links, images and page-unique ids."""

    def __init__(self, md: markdown.Markdown, state: TreeState) -> None:
        super().__init__(md)
        self.state = state

    def run(self, root: etree.Element) -> None:
        self._outline(root, context=1, floor=2, shift=self._shift(root))
        sections = [
            child
            for child in root
            if child.tag == "h2" and HEADING_ATTR not in child.attrib and child.get("id")
        ]
        names = self._toc_names()
        titles = [names.get(h.get("id", ""), "".join(h.itertext()).strip()) for h in sections]
        for element in root.iter():
            self._decorate(element)
        _scroll_wide_tables(root)
        self._unique_ids(root)
        self.state.toc = [
            (h.get("id", ""), title) for h, title in zip(sections, titles, strict=True)
        ]
        for element in root.iter():
            if element.get(CALLOUT_ATTR) == "activity":
                heading = next((c for c in element if HEADING_ATTR in c.attrib), None)
                if heading is not None and heading.get("id"):
                    element.set("aria-labelledby", heading.get("id", ""))
            element.attrib.pop(CALLOUT_ATTR, None)
            element.attrib.pop(HEADING_ATTR, None)

    def _toc_names(self) -> dict[str, str]:
        names: dict[str, str] = {}
        stack = list(getattr(self.md, "toc_tokens", []))
        while stack:
            token = stack.pop()
            names[token["id"]] = html_lib.unescape(token["name"])
            stack.extend(token.get("children", []))
        return names

    @staticmethod
    def _shift(root: etree.Element) -> int:
        """How far to move headings so the body's top level is h2."""
        levels = [int(child.tag[1]) for child in root if child.tag in _HEADINGS]
        if not levels:
            levels = [
                int(element.tag[1])
                for element in root.iter()
                if element.tag in _HEADINGS and HEADING_ATTR not in element.attrib
            ]
        return 2 - min(levels) if levels else 0

    def _outline(self, parent: etree.Element, context: int, floor: int, shift: int) -> None:
        """Set heading levels: sections from h2, callout titles one below their section."""
        current = context
        for child in parent:
            if child.tag in _HEADINGS and HEADING_ATTR not in child.attrib:
                level = min(max(int(child.tag[1]) + shift, floor), 6)
                child.tag = f"h{level}"
                _add_class(child, _HEADING_CLASSES.get(level, "govuk-heading-s"))
                current = level
            elif CALLOUT_ATTR in child.attrib:
                inner = current
                heading = next((c for c in child if HEADING_ATTR in c.attrib), None)
                if heading is not None:
                    inner = min(current + 1, 6)
                    heading.tag = f"h{inner}"
                self._outline(child, inner, min(inner + 1, 6), shift)
            else:
                self._outline(child, current, floor, shift)

    def _decorate(self, element: etree.Element) -> None:
        tag = element.tag
        css = _CLASSES.get(tag)
        if css:
            _add_class(element, css)
        if tag == "a":
            self._link(element)
        elif tag == "img":
            self._image(element)
        elif tag in ("th", "td"):
            style = element.attrib.pop("style", "")
            if _RIGHT_ALIGNED.search(style):
                _add_class(element, f"govuk-table__{'header' if tag == 'th' else 'cell'}--numeric")
        elif tag == "thead":
            for cell in element.iter("th"):
                cell.set("scope", "col")
        elif tag == "tbody":
            for cell in element.iter("th"):
                cell.set("scope", "row")
        elif tag == "div" and element.get("class") == "footnote":
            _add_class(element, "app-footnotes")

    def _link(self, element: etree.Element) -> None:
        href = element.get("href", "")
        if not href.startswith(LESSON_LINK):
            return
        context = self.state.context
        assert context is not None
        url = resolve_link(href, context.course_key, context.resolve)
        self.state.links.append((href, url))
        if url is not None:
            element.set("href", url)
            return
        element.set("href", "#")
        if link_key(href, context.course_key) is None:
            message = (
                f'lesson link "{href}" is not a lesson key: write it as lesson:module/lesson or '
                "lesson:course/module/lesson, using names without their numbers"
            )
        else:
            message = (
                f'lesson link "{href}" goes to a lesson that does not exist: check the module and '
                "lesson names (without their numbers)"
            )
        self.state.problems.append((href, message))

    def _image(self, element: etree.Element) -> None:
        context = self.state.context
        assert context is not None
        src = element.get("src", "")
        alt = element.get("alt", "").strip()
        problems = self.state.problems
        if not alt:
            problems.append(
                (
                    src or "![",
                    f'image "{src}" has no description: write what it shows between the square '
                    f"brackets, like ![A map of the public bodies in the area]({src})",
                )
            )
        parts = urlsplit(src)
        name = unquote(parts.path)
        if context.module_key is None:
            problems.append(
                (
                    src,
                    f'image "{src}" cannot go on a course page: put images in lessons or module pages',
                )
            )
            return
        if parts.scheme or parts.netloc or "/" in name or "\\" in name or not name:
            problems.append(
                (
                    src,
                    f'image "{src}" must be a file in the module folder: save it there and use just '
                    "its file name, like system-map.png",
                )
            )
            return
        suffix = Path(name).suffix.lower()
        if suffix not in IMAGE_EXTENSIONS:
            kinds = ", ".join(sorted(IMAGE_EXTENSIONS))
            problems.append(
                (src, f'image "{src}" is not a type the platform can show: use {kinds}')
            )
            return
        if name not in context.images:
            folder = context.path.parent.name
            problems.append(
                (
                    src,
                    f'image "{name}" is not in the module folder ({folder}): add the file, or check '
                    "the spelling (names are case-sensitive)",
                )
            )
            return
        course, module = context.module_key.split("/")
        element.set("src", FILE_URL.format(course=course, module=module, filename=name))
        self.state.images.append(name)

    def _unique_ids(self, root: etree.Element) -> None:
        seen = self.state.ids
        for element in root.iter():
            ident = element.get("id")
            if not ident:
                continue
            if ident.startswith(RESERVED_PREFIX):
                ident = f"section-{ident}"
                element.set("id", ident)
            if ident in seen:
                number = 2
                while f"{ident}-{number}" in seen:
                    number += 1
                ident = f"{ident}-{number}"
                element.set("id", ident)
            seen.add(ident)


def _add_class(element: etree.Element, css: str) -> None:
    existing = element.get("class")
    element.set("class", f"{existing} {css}" if existing else css)


def _scroll_wide_tables(root: etree.Element) -> None:
    """Put each table in a labelled region that scrolls sideways (`app-table-scroll`, as the app's
    own tables are), so a table wider than a 320 px screen scrolls inside it, not the page."""
    found = [(parent, child) for parent in root.iter() for child in parent if child.tag == "table"]
    for parent, table in found:
        caption = table.find("caption")
        name = " ".join("".join(caption.itertext()).split()) if caption is not None else "Table"
        box = etree.Element(
            "div",
            {
                "class": "app-table-scroll",
                "role": "region",
                "tabindex": "0",
                "aria-label": f"{name} (scrolls sideways)",
            },
        )
        box.tail, table.tail = table.tail, None
        parent.insert(list(parent).index(table), box)
        parent.remove(table)
        box.append(table)
