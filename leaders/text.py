"""Text on the way in (normalise, refuse what breaks things) and on the way out (XML, spreadsheets,
email headers, download names).

Everything here is pure: plain strings in, plain strings out, or a `TextProblem` saying what to fix.
The forms apply it to every text field (leaders/forms.py); the CSV import can call `problem()` or
`single_line()` on each cell.

On the way in:

- every field: Unicode NFC, so "ŵ" typed or pasted is one character, not "w" plus a circumflex;
- a single-line field (a name, a title) refuses line breaks (CR, LF and the Unicode line and
  paragraph separators) and other control characters (NUL and the rest of C0 and C1); a tab, which
  pasting from a spreadsheet brings, becomes a space; surrounding whitespace goes;
- a multi-line field (a note, a reflection) keeps line breaks (CRLF and CR become LF) and tabs and
  refuses the other control characters.

On the way out, text stored before these checks (or by other routes) may hold anything, so every
writer makes it safe instead of trusting it: `xml_safe`, `spreadsheet_cell`, `one_line`.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

#: Characters that end a line: a single-line field refuses them.
LINE_BREAKS = frozenset("\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029")

# C0 and C1 controls and DEL, less tab and the line breaks (which have their own message).
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")
_LINE_BREAKS = re.compile("[" + re.escape("".join(sorted(LINE_BREAKS))) + "]")
_NEWLINES = re.compile(r"\r\n?|[\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_SURROGATES = re.compile(r"[\ud800-\udfff]")

# XML 1.0 allows tab, LF, CR and everything from U+0020 but surrogates and U+FFFE, U+FFFF.
_NOT_XML = re.compile(r"[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# What HTML calls a parse error in text: controls but tab, LF, FF, CR; surrogates; noncharacters.
_NOT_IN_HTML = re.compile(
    "[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(
        f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
    )
    + "]"
)
# What openpyxl refuses in a cell (it raises IllegalCharacterError): C0 controls but tab, LF, CR.
_NOT_IN_CELL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: A cell starting with one of these is run as a formula by Excel, LibreOffice or Google Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


class TextProblem(ValueError):
    """Text a person must fix; the message says how (it is shown as the field's error)."""


def _what(label: str) -> str:
    """ "Note (optional)" -> "the note": a field's label as it reads inside a sentence."""
    label = re.sub(r"\s*\(optional\)\s*$", "", label.strip())
    if label[:1].isupper() and not label[1:2].isupper():
        label = label[0].lower() + label[1:]
    if not label:
        return "this field"
    return label if label.split()[0] in ("your", "the", "a", "an") else f"the {label}"


def problem(text: str, *, multiline: bool = False) -> str | None:
    """What is wrong with this text, as "line break" or "control character", or None.

    A pure check for callers that collect errors (the CSV import): `single_line` and `multi_line`
    give the message to show.
    """
    if not multiline and _LINE_BREAKS.search(text):
        return "line break"
    if _CONTROLS.search(text) or _SURROGATES.search(text):
        return "control character"
    return None


def _message(found: str, label: str) -> str:
    if found == "line break":
        return f"Remove the line break from {_what(label)}"
    return (
        f"Remove the hidden control character from {_what(label)}. "
        "It can come from copying and pasting: type the text again"
    )


def single_line(text: str | None, label: str = "") -> str | None:
    """A name or title as stored: NFC, tabs as spaces, trimmed. TextProblem if it holds a line
    break or another control character. None stays None."""
    if text is None:
        return None
    text = unicodedata.normalize("NFC", text).replace("\t", " ")
    found = problem(text)
    if found:
        raise TextProblem(_message(found, label))
    return text.strip()


def multi_line(text: str | None, label: str = "") -> str | None:
    """A note or reflection as stored: NFC, every line break as LF, trailing spaces and blank lines
    at either end gone. TextProblem if it holds a control character other than tab and line breaks.
    """
    if text is None:
        return None
    text = _NEWLINES.sub("\n", unicodedata.normalize("NFC", text))
    found = problem(text, multiline=True)
    if found:
        raise TextProblem(_message(found, label))
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


def normalise(text: str | None, *, multiline: bool = False) -> str | None:
    """`single_line` or `multi_line` without a field label (the message says "this field")."""
    return multi_line(text) if multiline else single_line(text)


# On the way out -----------------------------------------------------------------------------------


def one_line(text: str | None) -> str:
    """Any stored text as one safe line (an email subject or display name): every run of
    whitespace, line breaks included, is one space; other control characters go. Never raises."""
    if not text:
        return ""
    text = _CONTROLS.sub("", _SURROGATES.sub("", unicodedata.normalize("NFC", text)))
    return " ".join(_LINE_BREAKS.sub(" ", text).split())


def printable(text: str | None) -> str:
    """Any stored text as safe multi-line text (an email body): line breaks as LF, tabs kept,
    other control characters gone. Never raises."""
    text = _NEWLINES.sub("\n", unicodedata.normalize("NFC", text or ""))
    return _CONTROLS.sub("", _SURROGATES.sub("", text))


def visible(text: str) -> str:
    """Text to show back on a page (a refused value in its box): characters HTML cannot carry
    become U+FFFD, so the person sees where the hidden character was."""
    if text.isascii() and text.isprintable():
        return text  # the common case, checked in C (the pattern costs ~1 µs a string)
    return _NOT_IN_HTML.sub("\ufffd", text)


def shown_in_page(value: object) -> object:
    """Jinja's `finalize`: every plain string a template prints passes `visible`, so text stored
    with a control character cannot make a page invalid HTML.

    Markup is left alone: it is what templates and macros built (its printed parts passed here
    already) or HTML we rendered and sanitised, such as a lesson (`content check` refuses control
    characters). Scanning it too cost the lesson page about 40% of its time (bench/pages.py).
    """
    if type(value) is str and not (value.isascii() and value.isprintable()):
        # Printable ASCII cannot hold such a character; anything else is looked at.
        return visible(value)
    return value


def xml_safe(text: str | None) -> str:
    """Text XML 1.0 can carry: characters it forbids (NUL, most controls, lone surrogates, U+FFFE,
    U+FFFF) become U+FFFD, so a reader sees that something was there. Line breaks become LF: an
    XML reader turns CR LF into LF anyway, unless the writer escaped the CR (lxml does), so the
    file reads the same whichever writer made it."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return _NOT_XML.sub("\ufffd", text)


def spreadsheet_cell(value: object, *, apostrophe: bool = True) -> object:
    """A value a spreadsheet shows as it is: numbers and dates stay themselves; text that would run
    as a formula gets a leading apostrophe (OWASP's advice for CSV; a workbook passes
    apostrophe=False and types the cell as text instead), and control characters a workbook cannot
    hold become U+FFFD."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | date | datetime):
        return value
    text = _NOT_IN_CELL.sub("\ufffd", _SURROGATES.sub("\ufffd", str(value)))
    if apostrophe and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def download_name(*parts: str, extension: str, limit: int = 80) -> str:
    """A file name for a download from names people typed: "Ysgol Gymraeg ŵ" and "progress" make
    "ysgol-gymraeg-ŵ-progress.csv". Letters in any script stay (the response header carries them
    the RFC 6266 way); anything else that could upset a file system or a header goes."""
    words = unicodedata.normalize("NFC", " ".join(parts)).lower().split()
    stem = "-".join("".join(ch for ch in word if ch.isalnum() or ch in "-_") for word in words)
    stem = re.sub(r"-{2,}", "-", stem).strip("-_")[:limit].rstrip("-_")
    return f"{stem or 'export'}.{extension}"
