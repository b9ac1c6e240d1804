"""The callout blocks (``/// note``, ``/// activity`` …) as pymdownx.blocks extensions.

Each block builds GOV.UK markup. Callout headings are created as placeholders marked with
``data-app-heading``: their level depends on where the block sits in the document outline, so the
GOV.UK tree processor in govuk_tree.py sets it once the whole document is parsed. Titles are checked
in scan.py, so here a title is always optional.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import Any, ClassVar

from markdown import Markdown
from pymdownx.blocks import BlocksExtension, BlocksProcessor
from pymdownx.blocks.block import Block

#: Marks a callout container; the value is the block name. Removed after rendering.
CALLOUT_ATTR = "data-app-callout"
#: Marks a callout's heading, whose level is set later. Removed after rendering.
HEADING_ATTR = "data-app-heading"

_MARKUP = re.compile(r"[*_`]")


def plain_title(title: str) -> str:
    """A title without Markdown emphasis marks, for an ``aria-label``."""
    return _MARKUP.sub("", title).strip()


class _Callout(Block):
    ARGUMENT: ClassVar[bool | None] = None
    OPTIONS: ClassVar[dict[str, Any]] = {}

    def _heading(self, parent: etree.Element, text: str, css: str) -> etree.Element:
        heading = etree.SubElement(parent, "h2", {"class": css, HEADING_ATTR: ""})
        heading.text = text
        return heading


class _Inset(_Callout):
    def on_create(self, parent: etree.Element) -> etree.Element:
        css = f"govuk-inset-text app-callout app-callout--{self.NAME}"
        element = etree.SubElement(parent, "div", {"class": css, CALLOUT_ATTR: self.NAME})
        if self.argument:
            self._heading(element, self.argument, "govuk-heading-s")
        return element


class NoteBlock(_Inset):
    NAME = "note"


class KeyIdeaBlock(_Inset):
    NAME = "key-idea"


class CaseStudyBlock(_Callout):
    NAME = "case-study"

    def on_create(self, parent: etree.Element) -> etree.Element:
        title = self.argument or "Case study"
        attrs = {
            "class": "app-callout app-callout--case-study",
            "aria-label": f"Case study: {plain_title(title)}",
            CALLOUT_ATTR: self.NAME,
        }
        element = etree.SubElement(parent, "aside", attrs)
        self._heading(element, title, "govuk-heading-m")
        return element


class ActivityBlock(_Callout):
    NAME = "activity"

    def on_create(self, parent: etree.Element) -> etree.Element:
        # aria-labelledby is filled in once the heading has its final, page-unique id.
        attrs = {"class": "app-callout app-callout--activity", CALLOUT_ATTR: self.NAME}
        element = etree.SubElement(parent, "section", attrs)
        self._heading(element, f"Activity: {self.argument or ''}".strip(), "govuk-heading-m")
        return element


class DetailsBlock(_Callout):
    """The GOV.UK details component: the title is the summary the reader opens."""

    NAME = "details"

    def on_create(self, parent: etree.Element) -> etree.Element:
        element = etree.SubElement(
            parent, "details", {"class": "govuk-details", CALLOUT_ATTR: self.NAME}
        )
        summary = etree.SubElement(element, "summary", {"class": "govuk-details__summary"})
        text = etree.SubElement(summary, "span", {"class": "govuk-details__summary-text"})
        text.text = self.argument or "More detail"
        etree.SubElement(element, "div", {"class": "govuk-details__text"})
        return element

    def on_add(self, block: etree.Element) -> etree.Element:
        return block[1]


CALLOUT_BLOCKS: tuple[type[Block], ...] = (
    NoteBlock,
    KeyIdeaBlock,
    CaseStudyBlock,
    ActivityBlock,
    DetailsBlock,
)


class CalloutsExtension(BlocksExtension):
    """Registers the callout blocks with pymdownx.blocks."""

    def extendMarkdownBlocks(self, md: Markdown, block_mgr: BlocksProcessor) -> None:
        for block in CALLOUT_BLOCKS:
            block_mgr.register(block, {})
