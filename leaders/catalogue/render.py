"""Markdown → GOV.UK HTML, split into segments around quizzes and reflections, then sanitised.

The GOV.UK decoration of the Markdown tree (classes, outline, links, images) is in govuk_tree.py.

Only the cold path imports this module (it pulls in Markdown, pymdown-extensions and nh3): a warm
load takes every document from the disk cache.
"""

from __future__ import annotations

import html as html_lib
import re

import markdown
import nh3
from markdown.extensions.toc import TocExtension

from .blocks import CalloutsExtension
from .document import RenderedDocument
from .govuk_tree import RESERVED_IDS, DocumentContext, GovukExtension, TreeState
from .model import (
    HtmlSegment,
    Option,
    Problem,
    Prompt,
    Question,
    Quiz,
    QuizSegment,
    Reflection,
    ReflectionSegment,
    Segment,
)
from .quizzes import QuizSpec, ReflectionSpec
from .scan import PLACEHOLDER_RE, Scan

# The allow-list keeps the markup Markdown, blocks.py and govuk_tree.py emit, and drops the rest.
_TAGS = {
    "a", "abbr", "aside", "b", "blockquote", "br", "caption", "code", "dd", "del", "details",
    "div", "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i",
    "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "s", "section", "small", "span",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
    "ul",
}  # fmt: skip
_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start", "reversed"},
    "details": {"open"},
    "div": {"role", "tabindex"},  # a wide table's scrolling region (govuk_tree._scroll_wide_tables)
}
_URL_SCHEMES = {"http", "https", "mailto", "tel"}
_DROP_WITH_CONTENT = {"script", "style", "template"}

_TAG_RE = re.compile(r"<[^>]*>")
_WORD_RE = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")
_SINGLE_PARAGRAPH = re.compile(r'<p class="govuk-body">(.*)</p>', re.DOTALL)


def sanitise(html: str) -> str:
    """Keep the GOV.UK markup; remove scripts, styles, event handlers and unsafe URLs."""
    return nh3.clean(
        html,
        tags=_TAGS,
        clean_content_tags=_DROP_WITH_CONTENT,
        attributes=_ATTRIBUTES,
        generic_attribute_prefixes={"aria-"},
        url_schemes=_URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


def count_words(html: str) -> int:
    return len(_WORD_RE.findall(html_lib.unescape(_TAG_RE.sub(" ", html))))


class Renderer:
    """Renders documents with one reusable Markdown instance (not thread-safe: one per load)."""

    def __init__(self) -> None:
        self._state = TreeState()
        self._md = markdown.Markdown(
            extensions=[
                "tables",
                "footnotes",
                "attr_list",
                "sane_lists",
                TocExtension(),
                CalloutsExtension(),
                GovukExtension(self._state),
            ],
            extension_configs={"footnotes": {"SEPARATOR": "-"}},
            output_format="html",
        )

    def render(
        self,
        context: DocumentContext,
        scan: Scan,
        lesson_key: str | None = None,
        specs: list[QuizSpec | ReflectionSpec | None] | None = None,
    ) -> tuple[RenderedDocument, list[Problem]]:
        """Render a scanned body; quizzes and reflections (``specs``) become their own segments."""
        state = self._state
        state.context = context
        state.links.clear()
        state.images.clear()
        state.problems.clear()
        state.ids = set(RESERVED_IDS)
        html = self._convert(scan.markdown)
        toc = tuple(state.toc) if len(state.toc) >= 3 else ()
        segments: list[Segment] = []
        words = 0
        parts = PLACEHOLDER_RE.split(html)
        for index, part in enumerate(parts):
            if index % 2 == 0:
                clean = sanitise(part).strip()
                if clean:
                    segments.append(HtmlSegment(clean))
                    words += count_words(clean)
                continue
            spec = (specs or [])[int(part)]
            if isinstance(spec, QuizSpec) and lesson_key is not None:
                segments.append(QuizSegment(self._quiz(spec, lesson_key)))
            elif isinstance(spec, ReflectionSpec) and lesson_key is not None:
                prompts = tuple(
                    Prompt(pid, f"{lesson_key}#{pid}", text) for pid, text, _ in spec.prompts
                )
                segments.append(ReflectionSegment(Reflection(spec.title, prompts)))
        links = tuple((raw, url) for raw, url in state.links if url is not None)
        images = tuple(dict.fromkeys(state.images))
        document = RenderedDocument(tuple(segments), toc, words, links, images)
        return document, self._locate(context, state.problems)

    def _convert(self, text: str) -> str:
        self._md.reset()
        return self._md.convert(text)

    def _inline(self, text: str) -> str:
        """Short Markdown (a question, an option, feedback): inline HTML if it is one paragraph."""
        html = sanitise(self._convert(text)).strip()
        match = _SINGLE_PARAGRAPH.fullmatch(html)
        if match and "<p" not in match.group(1):
            return match.group(1)
        return html

    def _quiz(self, spec: QuizSpec, lesson_key: str) -> Quiz:
        questions = tuple(
            Question(
                index,
                self._inline(question.text),
                question.multiple,
                tuple(
                    Option(self._inline(option.text), option.correct, self._inline(option.feedback))
                    for option in question.options
                ),
            )
            for index, question in enumerate(spec.questions, start=1)
        )
        key = f"{lesson_key}#{spec.id}"
        return Quiz(spec.id, key, spec.title, spec.pass_mark, questions, spec.version)

    def _locate(self, context: DocumentContext, found: list[tuple[str, str]]) -> list[Problem]:
        """Turn (source text, message) into problems at the line where that text appears."""
        problems = []
        seen: dict[str, int] = {}
        first = max(context.body_line - 1, 0)
        for needle, message in found:
            start = seen.get(needle, first)
            index = next(
                (i for i in range(start, len(context.lines)) if needle in context.lines[i]), None
            )
            if index is None:
                index = next(
                    (i for i in range(first, len(context.lines)) if needle in context.lines[i]),
                    first,
                )
            seen[needle] = index + 1
            problems.append(Problem(context.path, index + 1, message))
        return problems


__all__ = ["DocumentContext", "Renderer", "count_words", "sanitise"]
