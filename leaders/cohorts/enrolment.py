"""Enrolling a cohort from a spreadsheet (CSV or .xlsx): validate every row first, then write all or nothing.

Columns (any order, header names case-insensitive): name, email, organisation, job title, cohort role.
Re-importing the same file changes nothing: people are matched by email (folded in Python, see
`email_key`), memberships by person. This module reads and checks the file; `import_plan` keeps
it until the manager confirms, and says and does exactly what confirming does.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email

from leaders.auth.models import email_key
from leaders.cohorts import xlsx_reader
from leaders.cohorts.models import CohortRole
from leaders.filters import plural

COLUMNS = ("name", "email", "organisation", "job title", "cohort role")
MAX_ROWS = 1000
ROLE_WORDS = "learner, facilitator, programme manager or organisation lead"


@dataclass(frozen=True)
class Problem:
    #: The spreadsheet row (1 is the header), or None for the file as a whole.
    row: int | None
    column: str
    message: str

    @property
    def summary(self) -> str:
        """The problem in one line, saying where it is: "Row 4, column name: …"."""
        if self.row is None:
            return self.message
        where = f"Row {self.row}, column {self.column}" if self.column else f"Row {self.row}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Row:
    row: int
    name: str
    email: str
    organisation: str
    job_title: str
    role: str


class ImportRejected(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problems")


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRejected(
        [
            Problem(
                None,
                "",
                "The file is not text. Save it from Excel as 'CSV UTF-8 (comma delimited)'",
            )
        ]
    )


#: The largest file read (the upload limit, MAX_CONTENT_LENGTH, is usually smaller still).
MAX_FILE_BYTES = 5 * 1024 * 1024


def is_xlsx(filename: str) -> bool:
    return filename.lower().endswith(".xlsx")


def parse(data: bytes, filename: str = "people.csv") -> list[Row]:
    """Every row, checked. ImportRejected lists every problem, each with its row and column.

    A file named .xlsx is read as an Excel workbook (`xlsx_reader`), anything else as CSV; both
    go through the same checks.
    """
    if not data.strip():
        raise ImportRejected(
            [
                Problem(
                    None,
                    "",
                    "The file is empty. Choose the CSV or Excel file with your list of people",
                )
            ]
        )
    if len(data) > MAX_FILE_BYTES:
        raise ImportRejected(
            [
                Problem(
                    None,
                    "",
                    f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB. "
                    f"A list of {MAX_ROWS} people is much smaller: keep only the list in it",
                )
            ]
        )
    if is_xlsx(filename):
        try:
            header, sheet_rows = xlsx_reader.read(data, max_rows=MAX_ROWS)
        except xlsx_reader.Unreadable as error:
            raise ImportRejected([Problem(error.row, "", error.message)]) from None
        return _parse_table(header, iter(sheet_rows))
    text = _decode(data)
    if "\x00" in text:
        raise ImportRejected(
            [Problem(None, "", "The file is not a CSV file. Save it from Excel as 'CSV UTF-8'")]
        )
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise ImportRejected(
            [Problem(1, "", "The first row must name the columns: " + ", ".join(COLUMNS))]
        ) from None
    return _parse_table(header, _csv_rows(reader))


class _Unreadable(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def _csv_rows(reader) -> Iterator[xlsx_reader.SheetRow]:
    try:
        for number, cells in enumerate(reader, start=2):
            yield xlsx_reader.SheetRow(number, cells)
    except csv.Error as error:
        raise _Unreadable(
            Problem(
                reader.line_num,
                "",
                f"The file could not be read here ({error}). Check for a stray quotation mark",
            )
        ) from None


def _parse_table(header: list[str], sheet_rows: Iterator[xlsx_reader.SheetRow]) -> list[Row]:
    names = [cell.strip().lower().replace("_", " ") for cell in header]
    problems: list[Problem] = []
    for cell, times in Counter(names).items():
        if cell in COLUMNS and times > 1:
            problems.append(
                Problem(
                    1,
                    cell,
                    f'The column "{cell}" appears {plural(times, "time")}. '
                    f'Keep one column headed "{cell}" and remove the others',
                )
            )
    for column in COLUMNS:
        if column not in names:
            problems.append(Problem(1, column, f'Add a column headed "{column}"'))
    for cell in names:
        if cell and cell not in COLUMNS:
            problems.append(
                Problem(
                    1,
                    cell,
                    f'Remove the column "{cell}", or rename it to one of: ' + ", ".join(COLUMNS),
                )
            )
    if problems:
        raise ImportRejected(problems)
    position = {column: names.index(column) for column in COLUMNS}
    column_at = {i: c for c, i in position.items()}

    rows: list[Row] = []
    seen: dict[str, int] = {}
    try:
        for sheet_row in sheet_rows:
            number, cells = sheet_row.number, sheet_row.cells
            if not any(cell.strip() for cell in cells) and not sheet_row.problems:
                continue
            if len(rows) >= MAX_ROWS:
                problems.append(
                    Problem(
                        number,
                        "",
                        f"A file can have at most {MAX_ROWS} people. Split it into smaller files",
                    )
                )
                break
            cell_problems = [
                Problem(number, column_at.get(i, ""), message)
                for i, message in sorted(sheet_row.problems.items())
            ]
            if cell_problems:
                problems += cell_problems
                continue
            value = {c: (cells[i].strip() if i < len(cells) else "") for c, i in position.items()}
            row_problems = _check_row(number, value, seen)
            problems += row_problems
            if not row_problems:
                rows.append(
                    Row(
                        number,
                        value["name"],
                        _normalise_email(value["email"]),
                        " ".join(value["organisation"].split()),
                        value["job title"],
                        (CohortRole.parse(value["cohort role"]) or CohortRole.LEARNER).value,
                    )
                )
    except _Unreadable as unreadable:
        problems.append(unreadable.problem)
    if problems:
        raise ImportRejected(problems)
    if not rows:
        raise ImportRejected(
            [
                Problem(
                    None,
                    "",
                    "The file has no people in it. Add a row for each person under the headings",
                )
            ]
        )
    return rows


def _normalise_email(email: str) -> str:
    return validate_email(email, check_deliverability=False).normalized


#: Characters that end a line: a cell with one inside would split the person's name on screen.
LINE_BREAKS = frozenset("\n\r\x0b\x0c\x85\u2028\u2029")
#: Invisible characters that reorder text (they can disguise a name or an address).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _unprintable(column: str, text: str) -> str | None:
    """What is wrong with the characters in a cell, saying what to remove; None if nothing."""
    if any(ch in LINE_BREAKS for ch in text):
        return f"The {column} has a line break in it. Remove the line break so it is on one line"
    for ch in text:
        if ch in BIDI_CONTROLS or unicodedata.category(ch) == "Cc":
            return (
                f"The {column} contains a hidden control character (U+{ord(ch):04X}). "
                "Remove it: retype the cell if you cannot see it"
            )
    return None


def _check_cell(column: str, text: str) -> str | None:
    """What is wrong with one cell (other than a repeated email), or None."""
    problem = _unprintable(column, text)
    if problem:
        return problem
    if column in ("name", "organisation") and not text:
        return {
            "name": "Enter the person's full name",
            "organisation": "Enter the organisation the person works for",
        }[column]
    if column in ("name", "organisation", "job title") and len(text) > 200:
        return f"{column.capitalize()} must be 200 characters or fewer"
    if column == "email":
        if not text:
            return "Enter an email address"
        try:
            _normalise_email(text)
        except EmailNotValidError:
            return f'"{text}" is not an email address. Use the format name@example.com'
    if column == "cohort role" and text and CohortRole.parse(text) is None:
        return f'"{text}" is not a cohort role. Use {ROLE_WORDS}'
    return None


def _check_row(number: int, value: dict[str, str], seen: dict[str, int]) -> list[Problem]:
    problems = []
    for column in COLUMNS:
        message = _check_cell(column, value[column])
        if message:
            problems.append(Problem(number, column, message))
    if not any(p.column == "email" for p in problems):
        # The same person twice, however the address is capitalised ("ÉVA@" and "éva@").
        key = email_key(_normalise_email(value["email"]))
        if key in seen:
            problems.append(
                Problem(
                    number,
                    "email",
                    f"This email address is already on row {seen[key]}. List each person once",
                )
            )
        else:
            seen[key] = number
    return problems
