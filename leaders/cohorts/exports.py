"""The dashboard's matrix and learner list as CSV and as Excel workbooks: the same rows and columns.

Numbers stay numbers and dates stay dates in the workbook, so managers can sort and chart them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from leaders.cohorts.dashboard import Dashboard
from leaders.filters import UK


@dataclass(frozen=True)
class Table:
    title: str
    headers: list[str]
    rows: list[list[object]]


def _local_date(value: datetime | None) -> date | None:
    return value.astimezone(UK).date() if value else None


def matrix(d: Dashboard) -> Table:
    headers = ["Name", "Email", "Organisation"]
    headers += [f"{c.module.title} (lessons completed of {c.lessons})" for c in d.columns]
    headers += ["Lessons completed", "Overall %"]
    rows = [
        [r.person.name, r.person.email, r.person.organisation or ""]
        + [cell.done for cell in r.cells]
        + [r.completed, r.percent]
        for r in d.learners
    ]
    return Table("Progress", headers, rows)


def learners(d: Dashboard) -> Table:
    headers = [
        "Name",
        "Email",
        "Job title",
        "Organisation",
        "Sector",
        "Place",
        "Last signed in",
        "Last active",
        "Lessons completed",
        "Overall %",
        "Sessions attended",
        "Sessions held",
        "At risk",
    ]
    rows = []
    for r in d.learners:
        p = r.person
        rows.append(
            [
                p.name,
                p.email,
                p.job_title,
                p.organisation or "",
                sector_label(p.sector),
                p.place or "",
                _local_date(p.last_sign_in_at),
                _local_date(p.last_active_at),
                r.completed,
                r.percent,
                r.attended,
                r.held,
                "; ".join(r.risks),
            ]
        )
    return Table("Learners", headers, rows)


def sector_label(value: str | None) -> str:
    from leaders.organisations.models import Sector

    return Sector(value).label if value else ""


def _csv_value(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value  # never let a spreadsheet run a cell as a formula
    return "" if value is None else value


def to_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([_csv_value(v) for v in row])
    return "\ufeff" + out.getvalue()  # a BOM so Excel reads UTF-8 names correctly


def to_xlsx(table: Table) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = table.title
    sheet.append(table.headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text that looks like a formula stays text
    for index, header in enumerate(table.headers, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, min(40, len(header) + 2))
        for cell in sheet[letter][1:]:
            if isinstance(cell.value, date):
                cell.number_format = "d mmm yyyy"
    sheet.freeze_panes = "B2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


EXPORTS: dict[str, Callable[[Dashboard], Table]] = {"progress": matrix, "learners": learners}
