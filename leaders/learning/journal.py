"""Learners' Markdown, made safe: rendered with Python-Markdown, then sanitised with nh3."""

from __future__ import annotations

import markdown
import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "a",
    "h3",
    "h4",
}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
GOVUK_CLASSES = {
    "<p>": '<p class="govuk-body">',
    "<ul>": '<ul class="govuk-list govuk-list--bullet">',
    "<ol>": '<ol class="govuk-list govuk-list--number">',
    "<blockquote>": '<blockquote class="govuk-inset-text">',
    "<h3>": '<h3 class="govuk-heading-s">',
    "<h4>": '<h4 class="govuk-heading-s">',
    "<a ": '<a class="govuk-link" ',
}
MAX_LENGTH = 20_000


def render_reflection(text: str) -> str:
    """Safe HTML for a learner's Markdown: no scripts, event handlers, styles or javascript: links."""
    html = markdown.markdown(text, extensions=["sane_lists"], output_format="html")
    # Headings in an entry sit under the prompt's heading, so top-level ones become h3.
    html = html.replace("<h1>", "<h3>").replace("</h1>", "</h3>")
    html = html.replace("<h2>", "<h3>").replace("</h2>", "</h3>")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    # nh3 removed every attribute we did not allow, so these tags appear exactly as written here.
    for bare, styled in GOVUK_CLASSES.items():
        clean = clean.replace(bare, styled)
    return clean
