"""The enrolment template: the header row and one example row, as CSV and as an Excel workbook.

The workbook's first sheet ("People") is what an import reads; its second ("Notes") says what
goes in each column and is skipped on import (see `xlsx_reader.NOTES_SHEET`).
"""

from __future__ import annotations

import io

from leaders.cohorts.enrolment import COLUMNS, MAX_ROWS, ROLE_WORDS
from leaders.downloads import csv_text, xlsx_bytes

EXAMPLE = (
    "Priya Patel",
    "priya.patel@barnsley.gov.uk",
    "Barnsley Council",
    "Head of Housing",
    "learner",
)
NOTES = (
    ("name", "The person's full name. Required."),
    ("email", "Their work email address. Required; each person once."),
    (
        "organisation",
        "Who they work for. Required. An organisation not yet known is created when you "
        "confirm the import (you choose its sector).",
    ),
    ("job title", "Optional."),
    ("cohort role", f"{ROLE_WORDS.capitalize()}. Empty means learner."),
)
ADVICE = (
    "Replace the example row with your people, one a row, on the People sheet.",
    "Type values, not formulas. Keep every cell as text: Excel must not turn anything into a date.",
    f"At most {MAX_ROWS:,} people a file. Columns can be in any order; keep the headings.",
    "Nothing is imported until every row is right: the page lists each problem by row and column.",
)


def csv_template() -> str:
    return csv_text(COLUMNS, [EXAMPLE])


def xlsx_template() -> bytes:
    from openpyxl import load_workbook  # loaded when a template is asked for, not at start-up
    from openpyxl.styles import Alignment, Font

    book = load_workbook(io.BytesIO(xlsx_bytes("People", COLUMNS, [EXAMPLE])))
    people = book.active
    for column in "ABCDE":
        for cell in people[column]:
            cell.number_format = "@"  # text, so Excel does not make dates of what is typed
    notes = book.create_sheet("Notes")
    notes.append(("Column", "What to put in it"))
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for row in NOTES:
        notes.append(row)
    notes.append(())
    for line in ADVICE:
        notes.append(("", line))
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["B"].width = 90
    for row in notes.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
