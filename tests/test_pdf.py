"""leaders.pdf: a tagged PDF (structure tree, language, title), and a refusal without them."""

from __future__ import annotations

import io

import pikepdf
import pytest

from leaders.pdf import UntaggablePdf, render_pdf

DOC = (
    '<!doctype html><html lang="en-GB"><head><title>Certificate of completion</title></head>'
    "<body><h1>Ada Lovelace</h1><p>completed Leading your place.</p></body></html>"
)


def test_the_pdf_is_tagged_with_its_language_and_title() -> None:
    pdf = pikepdf.open(io.BytesIO(render_pdf(DOC)))
    assert str(pdf.Root.Lang) == "en-GB"
    assert "/StructTreeRoot" in pdf.Root
    assert pdf.Root.MarkInfo.Marked
    assert pdf.open_metadata().get("dc:title") == "Certificate of completion"


@pytest.mark.parametrize(
    "html",
    [
        DOC.replace(' lang="en-GB"', ""),
        DOC.replace("<title>Certificate of completion</title>", ""),
    ],
)
def test_a_document_without_language_or_title_is_refused(html: str) -> None:
    with pytest.raises(UntaggablePdf):
        render_pdf(html)
