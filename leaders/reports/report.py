"""The impact report: one cohort, one course across its cohorts, or two cohorts compared.

A report is built for a viewer's `CohortAccess`. A programme manager's or admin's report covers
every learner. An organisation lead's covers only their own staff and is **restricted**: it shows
aggregates only, and every figure about fewer than `SMALL` people reads "fewer than 5" (and a
figure whose complement is that small reads "withheld", so that no one can be found by
subtracting); it has no network diagrams, no brokers and no quotes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime

from leaders.catalogue.model import Catalogue, Course
from leaders.charts import Count, percent
from leaders.cohorts.access import CohortAccess
from leaders.cohorts.models import Cohort
from leaders.extensions import db
from leaders.organisations.models import Organisation
from leaders.reports.network_change import NetworkSection, network_section
from leaders.reports.participation import (
    Participation,
    Period,
    PlaceRow,
    QuizRow,
    learners_of,
    participation,
)
from leaders.reports.quotes import Quote, quotes
from leaders.timeutil import utcnow

#: The smallest group a restricted report gives a figure for.
SMALL = 5
FEWER = f"fewer than {SMALL}"
WITHHELD = "withheld"


@dataclass(frozen=True)
class CohortPart:
    """One cohort's figures inside a report."""

    cohort: Cohort
    figures: Participation
    network: NetworkSection


@dataclass(frozen=True)
class Report:
    title: str
    course: Course
    period: Period
    parts: list[CohortPart]
    #: The figures of every part together (for one cohort, that cohort's).
    figures: Participation
    quotes: list[Quote]
    made_at: datetime
    #: An organisation lead's report: their staff only, small numbers suppressed.
    restricted: bool = False
    organisation: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def single(self) -> CohortPart | None:
        return self.parts[0] if len(self.parts) == 1 else None

    @property
    def too_few(self) -> bool:
        """A restricted report about fewer than SMALL people shows no figures at all."""
        return self.restricted and self.figures.learners < SMALL

    def hidden(self, count: int, total: int | None = None) -> str | None:
        """Why a figure is not shown (FEWER, WITHHELD), or None when it may be."""
        if not self.restricted:
            return None
        if count < SMALL:
            return FEWER
        if total is not None and 0 < total - count < SMALL:
            return WITHHELD
        return None

    def n(self, count: int, total: int | None = None) -> str:
        return self.hidden(count, total) or f"{count:,}"

    def pct(self, count: int, total: int) -> str:
        return self.hidden(count, total) or f"{percent(count, total)}%"

    def bars(self, rows: list[Count], total: int) -> list[tuple[str, int, str]]:
        """Chart rows: (label, bar length in percent, text); a hidden figure gets no bar."""
        out = []
        for row in rows:
            why = self.hidden(row.count, total)
            out.append(
                (row.label, 0 if why else row.percent, why or f"{row.count:,} ({row.percent}%)")
            )
        return out


def _merge_counts(lists: list[list[Count]], total: int) -> list[Count]:
    found: Counter[str] = Counter()
    for rows in lists:
        for row in rows:
            found[row.label] += row.count
    return [
        Count(label, n, percent(n, total))
        for label, n in sorted(found.items(), key=lambda item: (-item[1], item[0]))
    ]


def _merge_funnel(lists: list[list[Count]], total: int) -> list[Count]:
    """Modules in course order (every cohort's funnel lists the same modules)."""
    first = lists[0]
    return [
        Count(row.label, sum(rows[i].count for rows in lists), 0) for i, row in enumerate(first)
    ]


def combine(parts: list[Participation]) -> Participation:
    """Several cohorts' figures as one: counts added, shares worked out again."""
    if len(parts) == 1:
        return parts[0]
    n = sum(p.learners for p in parts)
    places: dict[str, PlaceRow] = {}
    for p in parts:
        for row in p.places:
            was = places.get(row.code)
            places[row.code] = replace(row, learners=row.learners + (was.learners if was else 0))
    quizzes = []
    for i, first in enumerate(parts[0].quizzes):
        rows = [p.quizzes[i] for p in parts]
        tried = sum(r.attempted for r in rows)
        best = sum(r.best_total for r in rows)
        quizzes.append(
            QuizRow(
                first.title,
                first.lesson,
                tried,
                sum(r.passed for r in rows),
                round(100 * best / tried) if tried else None,
                first.has_pass_mark,
                best,
            )
        )
    funnel = _merge_funnel([p.funnel for p in parts], n)
    completed = sum(p.lessons_completed for p in parts)
    possible = sum(p.lessons_possible for p in parts)
    present = sum(p.present for p in parts)
    seats = sum(p.attendance_places for p in parts)
    return Participation(
        learners=n,
        by_sector=_merge_counts([p.by_sector for p in parts], n),
        by_organisation=_merge_counts([p.by_organisation for p in parts], n),
        by_place=_merge_counts([p.by_place for p in parts], n),
        places=sorted(places.values(), key=lambda r: (-r.learners, r.name)),
        lessons_completed=completed,
        lessons_possible=possible,
        completion_percent=percent(completed, possible),
        completed_course=sum(p.completed_course for p in parts),
        funnel=[replace(c, percent=percent(c.count, n)) for c in funnel],
        sessions_held=sum(p.sessions_held for p in parts),
        present=present,
        apologies=sum(p.apologies for p in parts),
        absent=sum(p.absent for p in parts),
        attendance_places=seats,
        attendance_percent=percent(present, seats),
        sessions=[],
        quizzes=quizzes,
    )


def _part(access: CohortAccess, course: Course, period: Period) -> CohortPart:
    staff = None
    if not access.sees_everyone:
        staff = {p.user_id for p in learners_of(access)}
    return CohortPart(
        access.cohort, participation(access, course, period), network_section(access, staff)
    )


def build(
    accesses: list[CohortAccess], catalogue: Catalogue, period: Period | None = None
) -> Report:
    """The report over these cohorts (all of one course), as the viewer may see it."""
    if not accesses:
        raise ValueError("A report needs at least one cohort")
    period = period or Period()
    course = catalogue.courses[accesses[0].cohort.course_key]
    parts = [_part(a, course, period) for a in accesses]
    restricted = any(not a.sees_everyone for a in accesses)
    organisation = None
    if restricted and accesses[0].organisation_id:
        found = db.session.get(Organisation, accesses[0].organisation_id)
        organisation = found.name if found else None
    if len(parts) == 1:
        title = f"{accesses[0].cohort.name}: impact report"
    else:
        title = f"{course.title}: impact report across {len(parts)} cohorts"
    return Report(
        title=title,
        course=course,
        period=period,
        parts=parts,
        figures=combine([p.figures for p in parts]),
        quotes=[] if restricted else quotes([a.cohort.id for a in accesses], catalogue, period),
        made_at=utcnow(),
        restricted=restricted,
        organisation=organisation,
    )
