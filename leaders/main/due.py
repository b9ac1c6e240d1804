"""What is due next for a learner: the unfinished module with the soonest due date (overdue first)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from leaders.catalogue.model import Module
from leaders.learning.overview import CourseSummary


@dataclass(frozen=True)
class DueNext:
    module: Module
    course_title: str
    due_on: date
    lessons_left: int
    overdue: bool


def due_next(
    summaries: tuple[CourseSummary, ...], accesses: Mapping | None, today: date
) -> DueNext | None:
    """The module, not yet finished, due soonest: one already overdue comes first."""
    found: list[DueNext] = []
    for summary in summaries:
        access = (accesses or {}).get(summary.course.key)
        if access is None:
            continue
        for module in summary.course.modules:
            due_on = access.dates(module.key).due_on
            if due_on is None:
                continue
            progress = summary.progress.of(module.lessons)
            if progress.completed < progress.total:
                left = progress.total - progress.completed
                found.append(DueNext(module, summary.course.title, due_on, left, due_on < today))
    return min(found, key=lambda d: d.due_on) if found else None
