"""The cohort dashboard: who is thriving, who is stuck, who is in the room. Five queries, any size."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property

from flask import current_app
from markupsafe import Markup

from leaders.catalogue.model import Catalogue, Course, Module
from leaders.charts import Count, counts, percent
from leaders.cohorts.access import CohortAccess, ModuleDates
from leaders.cohorts.models import CohortRole
from leaders.cohorts.services import Person, people
from leaders.filters import plural
from leaders.organisations.sectors import sector_label
from leaders.oversight import dashboard_queries as queries
from leaders.timeutil import as_utc, uk_today, utcnow

INACTIVE_AFTER = timedelta(days=14)
ACTIVE_WITHIN = timedelta(days=7)
#: Missing this many sessions (without apologies) puts a learner at risk.
MISSED_SESSIONS_RISK = 2

#: The kinds of risk, for the dashboard's "at-risk reason" filter: value → label.
NOT_SIGNED_IN, INACTIVE, OVERDUE, MISSED_SESSIONS = (
    "not-signed-in",
    "inactive",
    "overdue",
    "missed-sessions",
)
RISK_KINDS = {
    NOT_SIGNED_IN: "Not signed in yet",
    INACTIVE: "No recent activity",
    OVERDUE: "A module past its due date",
    MISSED_SESSIONS: "Missed sessions",
}


def sign_in_grace() -> timedelta:
    """How long after being added someone may take to sign in before it counts as a risk."""
    return timedelta(days=current_app.config["NOT_SIGNED_IN_GRACE_DAYS"])


@dataclass(frozen=True)
class ModuleColumn:
    module: Module
    dates: ModuleDates
    lessons: int

    def is_open(self, today: date) -> bool:
        return self.dates.is_open(today)


@dataclass(frozen=True)
class Cell:
    """One learner's progress in one module, as the matrix shows it (text first, not colour)."""

    done: int
    total: int
    status: str  # completed | in-progress | not-started | not-open
    overdue: bool

    @cached_property
    def html(self) -> Markup:
        """The matrix cell: fixed words and numbers only, so it is built once, unescaped (and once
        per distinct cell: `build` shares cells between learners)."""
        overdue = " app-status--overdue" if self.overdue else ""
        return Markup(  # noqa: S704 (no user input)
            f'<td class="govuk-table__cell app-status app-status--{self.status}{overdue}">{self.text}</td>'
        )

    @property
    def text(self) -> str:
        if self.status == "not-open":
            return "Not open"
        if self.status == "completed":
            return "Completed"
        label = "Not started" if self.done == 0 else f"{self.done} of {self.total}"
        return f"{label}, overdue" if self.overdue else label


@dataclass(slots=True)
class LearnerRow:
    person: Person
    #: Shared with every learner whose progress and due dates are the same: not to be changed.
    cells: tuple[Cell, ...]
    completed: int
    total: int
    attended: int = 0
    missed: int = 0
    apologies: int = 0
    held: int = 0
    risks: list[str] = field(default_factory=list)
    #: The kinds of those risks (RISK_KINDS' keys), for filtering.
    risk_kinds: frozenset[str] = frozenset()

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.total) if self.total else 0

    @property
    def cells_html(self) -> Markup:
        # Each cell's html is Markup already: joined as plain text, not escaped again one by one.
        return Markup("".join([cell.html for cell in self.cells]))  # noqa: S704

    @property
    def attendance_percent(self) -> int | None:
        return round(100 * self.attended / self.held) if self.held else None


@dataclass(frozen=True)
class Dashboard:
    access: CohortAccess
    course: Course
    columns: list[ModuleColumn]
    learners: list[LearnerRow]
    funnel: list[Count]
    by_sector: list[Count]
    by_organisation: list[Count]
    by_place: list[Count]
    sessions_held: int
    today: date
    #: Days after being added before "Not signed in yet" is a risk.
    grace_days: int
    #: Learners whose records were erased: in no figure on the dashboard.
    erased: int = 0

    #: The rules, for the page to state them.
    inactive_days = INACTIVE_AFTER.days
    missed_sessions_risk = MISSED_SESSIONS_RISK

    @property
    def learner_count(self) -> int:
        return len(self.learners)

    @property
    def completion_percent(self) -> int:
        total = sum(row.total for row in self.learners)
        return round(100 * sum(row.completed for row in self.learners) / total) if total else 0

    @property
    def active_recently(self) -> int:
        since = utcnow() - ACTIVE_WITHIN
        return sum(
            1
            for r in self.learners
            if r.person.last_active_at and as_utc(r.person.last_active_at) >= since
        )

    @cached_property
    def at_risk(self) -> list[LearnerRow]:
        return [row for row in self.learners if row.risks]


def build(access: CohortAccess, catalogue: Catalogue, now: datetime | None = None) -> Dashboard:
    now = now or utcnow()
    today = uk_today(now)
    course = catalogue.courses[access.cohort.course_key]
    dates = queries.module_dates(access)
    columns = [
        ModuleColumn(m, dates.get(m.key) or ModuleDates(), len(m.lessons)) for m in course.modules
    ]
    # Only the people on the programme: removed people are no longer members, and erased people's
    # accounts are closed (their progress is kept without a name; the page says how many).
    members = people(access, CohortRole.LEARNER)
    learners = [p for p in members if p.active]
    done = queries.completions(access, course)
    held, attendance = queries.attendance(access, now)
    grace = sign_in_grace()

    total_lessons = sum(c.lessons for c in columns)
    open_now = [column.is_open(today) for column in columns]
    starts_on = access.cohort.starts_on
    # Whether each module is overdue depends only on the day someone joined and their offset:
    # worked out once for each such pair, not for every learner and module. A cell depends only on
    # its module, the lessons done and whether it is late, so each distinct cell is made once and
    # shared: a thousand learners make a few hundred cells, not seven thousand.
    overdue_by: dict[tuple[date | None, int | None], list[bool]] = {}
    made: dict[tuple[int, int, bool], Cell] = {}

    def cell(index: int, n: int, late: bool) -> Cell:
        found = made.get((index, n, late))
        if found is None:
            lessons = columns[index].lessons
            if n >= lessons:
                status = "completed"
            elif not open_now[index]:
                status = "not-open"
            else:
                status = "in-progress" if n else "not-started"
            found = made[(index, n, late)] = Cell(
                n, lessons, status, late and status in ("in-progress", "not-started")
            )
        return found

    # Learners with the same progress and the same due dates have the same cells, lessons done
    # and overdue modules: each such pattern is worked out once (a cohort has far fewer patterns
    # than learners), and the funnel counts each pattern once per learner with it. The progress is
    # the packed counts as the database summed them (dashboard_queries), unpacked per pattern.
    patterns: dict[tuple, _Pattern] = {}
    seen: Counter[tuple] = Counter()
    rows: list[LearnerRow] = []
    joined_days: dict[datetime | None, date | None] = {None: None}  # an import adds many at once
    for person in learners:
        joined_at = person.joined_at
        if joined_at in joined_days:
            joined_on = joined_days[joined_at]
        else:
            joined_on = joined_days[joined_at] = uk_today(as_utc(joined_at))
        key = (joined_on, person.due_offset_days)
        late = overdue_by.get(key)
        if late is None:
            late = overdue_by[key] = [
                _before(c.dates.for_member_on(starts_on, joined_on, key[1]).due_on, today)
                for c in columns
            ]
        pattern_key = (key, done.packed.get(person.user_id, done.nothing))
        pattern = patterns.get(pattern_key)
        if pattern is None:
            lessons_done = done.unpack(pattern_key[1])
            pattern = patterns[pattern_key] = _Pattern.of(
                tuple(cell(i, n, late[i]) for i, n in enumerate(lessons_done))
            )
        seen[pattern_key] += 1
        present, absent, apologies = attendance.get(person.user_id, queries.NO_MARKS)
        row = LearnerRow(
            person,
            pattern.cells,
            pattern.lessons_done,
            total_lessons,
            attended=present,
            missed=absent,
            apologies=apologies,
            held=held,
        )
        found = _risks(row, now, grace, pattern.overdue)
        if found:
            row.risks = [text for _kind, text in found]
            row.risk_kinds = frozenset(kind for kind, _text in found)
        rows.append(row)
    completed_by_module = [0] * len(columns)
    for pattern_key, learners_with_it in seen.items():
        for index in patterns[pattern_key].completed:
            completed_by_module[index] += learners_with_it

    count = len(rows)
    funnel = [
        Count(column.module.title, done_n, percent(done_n, count))
        for column, done_n in zip(columns, completed_by_module, strict=True)
    ]
    return Dashboard(
        access,
        course,
        columns,
        rows,
        funnel,
        counts([sector_label(r.person.sector, "Not recorded") for r in rows], count),
        counts([r.person.organisation or "Not recorded" for r in rows], count),
        counts([r.person.place or "Not recorded" for r in rows], count),
        held,
        today,
        grace.days,
        len(members) - len(learners),
    )


@dataclass(frozen=True)
class _Pattern:
    """What one progress pattern (lessons done per module, under one set of due dates) shows."""

    cells: tuple[Cell, ...]
    lessons_done: int
    #: The modules completed (indexes), and how many are past their due date.
    completed: tuple[int, ...]
    overdue: int

    @classmethod
    def of(cls, cells: tuple[Cell, ...]) -> _Pattern:
        return cls(
            cells,
            sum(min(c.done, c.total) for c in cells),
            tuple(i for i, c in enumerate(cells) if c.status == "completed"),
            sum(1 for c in cells if c.overdue),
        )


def _before(due_on: date | None, today: date) -> bool:
    return bool(due_on and due_on < today)


def _risks(row: LearnerRow, now: datetime, grace: timedelta, overdue: int) -> list[tuple[str, str]]:
    """Why a learner needs a nudge, as (kind, words a programme manager can act on); `overdue`
    is how many of their modules are past their due date."""
    risks: list[tuple[str, str]] = []
    person = row.person
    if person.last_sign_in_at is None:
        # Someone invited this morning has not had the chance yet.
        joined = as_utc(person.joined_at) if person.joined_at else None
        if joined is None or now - joined >= grace:
            risks.append((NOT_SIGNED_IN, "Not signed in yet"))
    elif person.last_active_at and now - as_utc(person.last_active_at) >= INACTIVE_AFTER:
        days = (now - as_utc(person.last_active_at)).days
        risks.append((INACTIVE, f"No activity for {plural(days, 'day')}"))
    if overdue:
        risks.append((OVERDUE, f"{plural(overdue, 'module')} past due date"))
    if row.missed >= MISSED_SESSIONS_RISK:
        risks.append((MISSED_SESSIONS, f"Missed {row.missed} of {plural(row.held, 'session')}"))
    return risks
