"""leaders/text.py: normalising and checking text on the way in, making it safe on the way out."""

from datetime import UTC, date, datetime
from xml.etree import ElementTree

import pytest

from leaders import text
from leaders.text import TextProblem

DECOMPOSED_W = "w\u0302"  # "w" + combining circumflex: NFC makes it "ŵ"


# On the way in: single-line fields ----------------------------------------------------------------


def test_single_line_is_nfc_trimmed_and_tabs_become_spaces():
    assert text.single_line(f"  Ysgol {DECOMPOSED_W} \t", "Cohort name") == "Ysgol ŵ"
    assert text.single_line("Ann\tJones", "Full name") == "Ann Jones"
    assert text.single_line(None) is None
    assert text.single_line("Zoë 😀 Müller") == "Zoë 😀 Müller"


@pytest.mark.parametrize(
    "value", ["Ann\nJones", "Ann\r\nJones", "Ann\rJones", "Ann\u2028Jones", "Ann\x85Jones"]
)
def test_single_line_refuses_line_breaks_saying_which_field(value):
    with pytest.raises(TextProblem) as error:
        text.single_line(value, "Full name")
    assert str(error.value) == "Remove the line break from the full name"


@pytest.mark.parametrize("value", ["Ann\x00", "A\x07nn", "\x1bAnn", "Ann\x7f", "Ann\x9b"])
def test_single_line_refuses_nul_and_other_controls(value):
    with pytest.raises(TextProblem) as error:
        text.single_line(value, "Note (optional)")
    assert str(error.value).startswith("Remove the hidden control character from the note.")


def test_a_label_that_is_an_acronym_keeps_its_capitals():
    with pytest.raises(TextProblem, match="from the NHS number"):
        text.single_line("1\n2", "NHS number")
    with pytest.raises(TextProblem, match="from this field"):
        text.single_line("1\n2")
    with pytest.raises(TextProblem, match="from your reflection"):
        text.single_line("1\n2", "Your reflection")


def test_visible_marks_what_html_cannot_carry():
    assert (
        text.visible("Ann\x00Jones\x0b\ufffe\U0010ffff\tok\n")
        == "Ann\ufffdJones\ufffd\ufffd\ufffd\tok\n"
    )


# Multi-line fields -------------------------------------------------------------------------------


def test_multi_line_keeps_line_breaks_and_tabs_as_lf():
    assert (
        text.multi_line("One  \r\nTwo\rThree\u2029\tFour\n\n", "Note") == "One\nTwo\nThree\n\tFour"
    )
    assert text.multi_line(f"\n\n{DECOMPOSED_W}") == "ŵ"
    assert text.multi_line(None) is None


@pytest.mark.parametrize("value", ["a\x00b", "a\x08b", "a\x9fb", "a\ud800b"])
def test_multi_line_refuses_other_controls(value):
    with pytest.raises(TextProblem, match="hidden control character from the reflection"):
        text.multi_line(value, "Reflection")


def test_problem_is_a_pure_check_for_the_csv_import():
    assert text.problem("Ann Jones") is None
    assert text.problem("Ann\nJones") == "line break"
    assert text.problem("Ann\nJones", multiline=True) is None
    assert text.problem("Ann\x00") == "control character"
    assert text.problem("Ann\x00", multiline=True) == "control character"
    assert text.problem("Ann\tJones") is None  # single_line makes it a space


def test_normalise_picks_single_or_multi_line():
    assert text.normalise(" a ") == "a"
    assert text.normalise("a\r\nb", multiline=True) == "a\nb"
    with pytest.raises(TextProblem):
        text.normalise("a\nb")


# On the way out ----------------------------------------------------------------------------------


def test_one_line_makes_any_stored_text_a_safe_header_value():
    assert text.one_line("Ann\r\nBcc: evil@example.org") == "Ann Bcc: evil@example.org"
    assert text.one_line("  Ann\x00\x1b  Jones\u2028 ") == "Ann Jones"
    assert text.one_line(None) == ""


def test_printable_keeps_lines_and_drops_controls():
    assert text.printable("a\r\nb\x00c\td") == "a\nbc\td"


def test_xml_safe_text_parses_back():
    hostile = "A\x00B\x01C\x0bD\ufffeE\ud800F\tG\nH 😀 ŵ"
    safe = text.xml_safe(hostile)
    assert safe == "A\ufffdB\ufffdC\ufffdD\ufffdE\ufffdF\tG\nH 😀 ŵ"
    element = ElementTree.fromstring(f"<a>{safe}</a>".encode())  # noqa: S314 (our own text)
    assert element.text == safe
    assert text.xml_safe(None) == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+44 1234", "'+44 1234"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Ann\x00Jones", "Ann\ufffdJones"),
        ("Ysgol ŵ ŷ 😀", "Ysgol ŵ ŷ 😀"),
        (None, ""),
        (3, 3),
        (-3, -3),
        (2.5, 2.5),
        (True, True),
        (date(2027, 1, 2), date(2027, 1, 2)),
        (datetime(2027, 1, 2, 3, 4, tzinfo=UTC), datetime(2027, 1, 2, 3, 4, tzinfo=UTC)),
    ],
)
def test_spreadsheet_cell(value, expected):
    assert text.spreadsheet_cell(value) == expected


def test_a_workbook_cell_keeps_text_exactly_but_still_loses_illegal_characters():
    assert text.spreadsheet_cell("=1+1", apostrophe=False) == "=1+1"
    assert text.spreadsheet_cell("=1\x00", apostrophe=False) == "=1\ufffd"


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("Ysgol Gymraeg Llanfair ŵ ŷ", "progress"), "ysgol-gymraeg-llanfair-ŵ-ŷ-progress.csv"),
        (("South Yorkshire 2027", "learners"), "south-yorkshire-2027-learners.csv"),
        (('a/b\\c"d\r\ne\x00', "ties"), "abcd-e-ties.csv"),
        (("", ""), "export.csv"),
        (("--", "!!"), "export.csv"),
    ],
)
def test_download_name(parts, expected):
    assert text.download_name(*parts, extension="csv") == expected


def test_a_download_name_has_a_bounded_length():
    assert len(text.download_name("x" * 300, extension="xlsx")) == 80 + len(".xlsx")
