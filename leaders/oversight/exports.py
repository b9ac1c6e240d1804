"""The dashboard's matrix and learner list as CSV and as Excel workbooks: the same rows and columns.

Numbers stay numbers and dates stay dates in the workbook, so managers can sort and chart them.
leaders/downloads.py writes both formats.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from leaders import downloads
from leaders.cohorts.access import CohortAccess
from leaders.cohorts.models import CohortRole
from leaders.filters import UK
from leaders.organisations.sectors import sector_label
from leaders.oversight.dashboard import Dashboard


def may_export(access: CohortAccess) -> bool:
    """Managers and admins download the cohort; an organisation lead downloads their own
    organisation's staff (the dashboard built for them holds no one else)."""
    return access.can_manage or access.role == CohortRole.ORGANISATION_LEAD


@dataclass(frozen=True)
class Table:
    title: str
    headers: list[str]
    rows: Sequence[Sequence[object]]


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


def to_csv(table: Table) -> str:
    return downloads.csv_text(table.headers, table.rows)


def to_xlsx(table: Table) -> bytes:
    return downloads.xlsx_bytes(table.title, table.headers, table.rows)


EXPORTS: dict[str, Callable[[Dashboard], Table]] = {"progress": matrix, "learners": learners}
