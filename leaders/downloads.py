"""Every download the platform offers is built here: CSV for Excel, Excel workbooks, and the response.

- CSV starts with a byte-order mark (so Excel reads names in UTF-8) and escapes cells a spreadsheet
  would run as formulas;
- a workbook has a bold, filterable, frozen header row, columns wide enough to read, dates as
  dates, and any text, control characters included, written safely;
- the response is `send_file(download_name=…)`, so a file name in any script reaches the browser
  the RFC 6266 / RFC 5987 way (`filename*=UTF-8''…`), with a plain ASCII `filename` beside it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date

from flask import send_file
from werkzeug.wrappers import Response

from leaders.text import FORMULA_STARTS, spreadsheet_cell

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MIN_WIDTH, MAX_WIDTH, HEADER_WIDTH = 10, 50, 24


def send_download(content: bytes | str, filename: str, mimetype: str) -> Response:
    """The response for a download: an attachment, named the standard way, never cached."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    response = send_file(
        io.BytesIO(data),
        mimetype=mimetype,
        as_attachment=True,
        download_name=filename,
        max_age=0,
        etag=False,
    )
    response.headers["Cache-Control"] = "no-store"  # exports hold personal data
    return response


def csv_text(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A CSV Excel opens correctly: a BOM, then every cell made spreadsheet-safe."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([spreadsheet_cell(h) for h in headers])
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    return "\ufeff" + out.getvalue()


def _csv_value(value: object) -> object:
    value = spreadsheet_cell(value)
    return value.isoformat() if isinstance(value, date) else value


def xlsx_bytes(title: str, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """One sheet: the header row bold, filterable and frozen (with the first column); numbers as
    numbers, dates as dates, text as text even when it starts like a formula."""
    # openpyxl (and the numpy and Pillow it pulls in, ~25 MB) is loaded by the first spreadsheet
    # download, not by every worker at start-up.
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "Sheet1"
    widths = [0] * len(headers)
    for cell in _append(sheet, headers, widths):
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths[:] = [min(w, HEADER_WIDTH) for w in widths]  # a long heading wraps over its column
    for row in rows:
        _append(sheet, row, widths)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(
            MIN_WIDTH, min(MAX_WIDTH, width + 2)
        )
    if headers:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{sheet.max_row}"
    sheet.freeze_panes = "B2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_value(value: object) -> object:
    """A spreadsheet-safe cell, line breaks as LF: whether CR LF survives into the file depends on
    which XML writer openpyxl finds (lxml escapes the CR), so it is not left to chance."""
    value = spreadsheet_cell(value, apostrophe=False)
    if isinstance(value, str):
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def _append(sheet, row: Sequence[object], widths: list[int]) -> tuple:
    """Add a row; widen `widths` to its longest line per column."""
    values = [_xlsx_value(v) for v in row]
    sheet.append(values)
    cells = sheet[sheet.max_row]
    for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
        if isinstance(value, str):
            cell.data_type = "s"  # never a formula
            if value.startswith(FORMULA_STARTS):
                cell.quotePrefix = True  # and it stays text if someone edits it
            longest = max(len(line) for line in value.split("\n"))
        elif isinstance(value, date):
            cell.number_format = "d mmm yyyy"
            longest = 11
        else:
            longest = len(str(value))
        if index < len(widths):
            widths[index] = max(widths[index], longest)
    return cells
