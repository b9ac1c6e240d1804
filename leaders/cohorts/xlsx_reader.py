"""Reading an enrolment list from an Excel workbook (.xlsx) with openpyxl, refusing what is not one.

The workbook must be a real .xlsx (a zip of the Office Open XML parts: a CSV or an old .xls renamed
is refused), not password-protected, no bigger unpacked than `MAX_UNPACKED_BYTES` (a small file can
unzip to gigabytes), with the people on one sheet (a sheet called "Notes", as in our template, is
left alone). Cells come back as text: whole numbers as digits; a formula, a date, TRUE/FALSE or an
error value is a problem in that cell, since none of the columns holds one and a formula's value
is not in the file as typed.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time

from leaders.filters import govuk_date

#: What the parts of a workbook may unzip to: a list of 1,000 people is well under 1 MB.
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
#: Columns read from each row (the list has five; a few spare for notes).
MAX_COLUMNS = 30
#: A sheet named this is the template's notes, not people.
NOTES_SHEET = "notes"
#: The start of an OLE2 compound file: an old .xls, or an .xlsx saved with a password.
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class Unreadable(Exception):
    """The workbook cannot be read as a list of people; the message says what to do."""

    def __init__(self, message: str, row: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.row = row


@dataclass
class SheetRow:
    #: The row number as Excel shows it.
    number: int
    cells: list[str]
    #: Cell problems by column index (0-based): a formula, a date…
    problems: dict[int, str] = field(default_factory=dict)


def read(data: bytes, *, max_rows: int) -> tuple[list[str], list[SheetRow]]:
    """The header row's cells and the rows under it (blank rows left in, numbered as in Excel)."""
    if data.startswith(OLE2_MAGIC):
        raise Unreadable(
            "The file is an old Excel (.xls) workbook or has a password. Remove any password, "
            "then save it as 'Excel Workbook (.xlsx)' or 'CSV UTF-8'"
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise Unreadable(_NOT_XLSX)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise Unreadable(_NOT_XLSX) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise Unreadable(
            "The workbook is too large to read. Keep only the list of people in it, "
            "or save it as 'CSV UTF-8'"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about parts it does not read
            from openpyxl import load_workbook  # loaded by the first import, not at start-up

            book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for a broken file: all mean "not readable"
        raise Unreadable(_NOT_XLSX) from None
    try:
        return _people_sheet(book, max_rows)
    finally:
        book.close()


_NOT_XLSX = (
    "The file is not an Excel workbook that can be read. Open it in Excel and save it as "
    "'Excel Workbook (.xlsx)' or 'CSV UTF-8', then upload it again"
)


def _people_sheet(book, max_rows: int) -> tuple[list[str], list[SheetRow]]:
    # Any more rows than this, blank or not, and the sheet is not a list of people.
    row_limit = max_rows * 2 + 1
    sheets = []
    for sheet in book.worksheets:
        if sheet.title.strip().casefold() == NOTES_SHEET:
            continue
        rows = _rows(sheet, row_limit)
        if any(any(cell for cell in row.cells) or row.problems for row in rows):
            sheets.append((sheet.title, rows))
    if not sheets:
        raise Unreadable("The workbook is empty. Add a row for each person under the headings")
    if len(sheets) > 1:
        names = ", ".join(f'"{title}"' for title, _ in sheets)
        raise Unreadable(
            f"The workbook has data on {len(sheets)} sheets ({names}). Put everyone on one "
            "sheet and delete the others, or upload each sheet as its own file"
        )
    _, rows = sheets[0]
    while rows and not any(rows[0].cells):  # blank rows above the headings
        rows.pop(0)
    header = rows[0]
    return header.cells, rows[1:]


def _rows(sheet, row_limit: int) -> list[SheetRow]:
    rows = []
    for number, cells in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS), start=1):
        if number > row_limit:
            raise Unreadable(
                f'The sheet "{sheet.title}" has more than {row_limit - 1:,} rows. '
                "Delete the empty rows under the list, or split it into smaller files",
                row=number,
            )
        row = SheetRow(number, [])
        for index, cell in enumerate(cells):
            text, problem = _cell(cell)
            row.cells.append(text)
            if problem:
                row.problems[index] = problem
        rows.append(row)
    return rows


def _cell(cell) -> tuple[str, str | None]:
    """A cell's text, or a problem saying why its value cannot be used as typed."""
    value = cell.value
    if value is None:
        return "", None
    kind = getattr(cell, "data_type", "s")
    if kind == "f":
        return "", (
            f"This cell has a formula ({str(value)[:40]}). Replace it with the text itself: "
            "copy the column and paste it back as values"
        )
    if kind == "e":
        return "", f"This cell shows an error ({value}). Type the text in it instead"
    if isinstance(value, bool):
        return "", f"Excel stored {str(value).upper()} here. Type the text in the cell instead"
    if isinstance(value, datetime | date):
        shown = govuk_date(value)
        return "", (
            f"Excel turned this cell into a date ({shown}). Format the column as Text, then "
            "type it again"
        )
    if isinstance(value, time):
        return (
            "",
            "Excel turned this cell into a time. Format the column as Text, then type it again",
        )
    if isinstance(value, float):
        return (str(int(value)) if value.is_integer() else str(value)), None
    return str(value), None
