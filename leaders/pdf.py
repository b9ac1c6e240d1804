"""HTML to a tagged, accessible PDF with WeasyPrint: certificates and impact reports.

WeasyPrint lays out the page from HTML and CSS (no browser needed) and, with the PDF/UA variant,
writes the structure tree (headings, paragraphs, tables, figures with their alternative text), the
document's language and its title, so a screen reader can read the PDF as it reads the page.
The HTML must have `<html lang="…">` and a `<title>`: `render_pdf` refuses one without either.
"""

from __future__ import annotations

import re

_LANG = re.compile(r"<html[^>]*\slang=\"[^\"]+\"", re.IGNORECASE)
_TITLE = re.compile(r"<title>\s*[^<\s][^<]*</title>", re.IGNORECASE)


class UntaggablePdf(ValueError):
    """The HTML lacks what a tagged PDF needs (a language and a title)."""


def render_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """The PDF (PDF/UA-1 variant: tagged, with language and title) of one HTML document.

    `base_url` resolves relative links and images (pass the app's static folder or URL).
    """
    if not _LANG.search(html):
        raise UntaggablePdf('the document needs <html lang="…"> for a tagged PDF')
    if not _TITLE.search(html):
        raise UntaggablePdf("the document needs a <title> for a tagged PDF")
    import weasyprint  # imported here: it loads Pango, and only PDF routes need it

    return weasyprint.HTML(string=html, base_url=base_url).write_pdf(pdf_variant="pdf/ua-1")
