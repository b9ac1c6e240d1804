"""Review dates: keeping lessons current.

A lesson's front matter may say when someone last checked it is accurate (``reviewed``) and,
optionally, when it must be checked again (``review_by``). Without ``review_by`` a lesson is due
for review ``REVIEW_INTERVAL_MONTHS`` after ``reviewed``. A lesson past its review date, or never
reviewed, is *stale*: ``content check`` warns about it (a warning never stops the content loading)
and ``content list --stale`` lists it.
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from .model import Catalogue, Lesson, Problem
from .parse import Source

#: How long a review lasts when the lesson gives only ``reviewed``.
REVIEW_INTERVAL_MONTHS = 12


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day if it is shorter (29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def due(reviewed: date | None, review_by: date | None) -> date | None:
    """When a lesson is next due for review."""
    if review_by is not None:
        return review_by
    return add_months(reviewed, REVIEW_INTERVAL_MONTHS) if reviewed is not None else None


def _line(source: Source | None, name: str) -> int:
    if source is None or source.fields is None:
        return 1
    node = source.fields.value.get(name)
    return node.line if node is not None else 1


def date_problems(source: Source | None, values: dict[str, Any], today: date) -> list[Problem]:
    """What is wrong between a lesson's ``reviewed`` and ``review_by``."""
    if source is None:
        return []
    reviewed, review_by = values.get("reviewed"), values.get("review_by")
    problems = []
    if reviewed is not None and reviewed > today:
        problems.append(
            Problem(
                source.path,
                _line(source, "reviewed"),
                f"reviewed is {reviewed.isoformat()}, which is in the future: write the date the "
                "lesson was last checked",
            )
        )
    if review_by is not None and reviewed is None:
        problems.append(
            Problem(
                source.path,
                _line(source, "review_by"),
                'review_by needs reviewed too: add "reviewed: YYYY-MM-DD", the date the lesson '
                "was last checked",
            )
        )
    elif review_by is not None and reviewed is not None and review_by <= reviewed:
        problems.append(
            Problem(
                source.path,
                _line(source, "review_by"),
                f"review_by ({review_by.isoformat()}) must be after reviewed "
                f"({reviewed.isoformat()})",
            )
        )
    return problems


def review_line(source: Source | None) -> int:
    return _line(source, "reviewed")


def stale(catalogue: Catalogue, today: date) -> list[Lesson]:
    """Lessons past their review date or never reviewed, in course order."""
    return [lesson for lesson in catalogue.lessons.values() if lesson.overdue(today)]


def warnings(catalogue: Catalogue, today: date) -> list[Problem]:
    """A warning for each stale lesson, at its ``reviewed`` line."""
    found = []
    for lesson in stale(catalogue, today):
        if lesson.reviewed is None or lesson.review_by is None:
            message = (
                "warning: the lesson has no review date: once someone has checked it is accurate, "
                'add "reviewed: YYYY-MM-DD" to its front matter'
            )
        else:
            message = (
                f"warning: the lesson was due for review by {lesson.review_by.isoformat()} "
                f"(last reviewed {lesson.reviewed.isoformat()}): check it is still accurate, then "
                "update reviewed"
            )
        found.append(Problem(lesson.source_path, lesson.review_line, message))
    return found
