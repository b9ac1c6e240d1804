"""The dashboard's tables from the address: the learners (progress matrix and learner list, one
sort and page for both) and the at-risk list (its own sort and page, arguments prefixed `risk-`).

One set of filters and one search narrow all three tables: organisation, sector, place, status
(progress through the course) and at-risk reason, and a search by name or email. They are GET
arguments (leaders.tables), so a filtered view is a link that can be bookmarked, works without
JavaScript, and the exports take the same arguments (`filtered_rows`). The headline figures,
funnel and mix on the page stay over every learner: the page says how many rows the filter shows.

A cohort holds at most a few hundred learners (the bench tries 1,000), all already built by
`dashboard.build`, so filtering and sorting run over those rows in Python; paging means the page
draws at most PER_PAGE rows per table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from werkzeug.datastructures import MultiDict

from leaders.organisations.sectors import sector_label
from leaders.oversight.dashboard import RISK_KINDS, Dashboard, LearnerRow
from leaders.tables import ASCENDING, Page, TableState, matches, sort_rows
from leaders.timeutil import as_utc

FILTERS = ("organisation", "sector", "place", "status", "reason")
#: The filter value for "not recorded" (no organisation, sector or place).
NOT_RECORDED = "-"
RISK_PREFIX = "risk-"
DEFAULT_SORT = "name"

STATUSES = {
    "not-started": "Not started",
    "in-progress": "In progress",
    "completed": "Completed the course",
}
REASONS = {"any": "At risk, any reason", **RISK_KINDS, "none": "Not at risk"}

Key = Callable[[LearnerRow], Any]


def status_of(row: LearnerRow) -> str:
    if row.total and row.completed >= row.total:
        return "completed"
    return "in-progress" if row.completed else "not-started"


def _learner_keys(columns: int) -> dict[str, Key]:
    keys: dict[str, Key] = {
        "name": lambda r: r.person.name,
        "organisation": lambda r: r.person.organisation,
        "sector": lambda r: sector_label(r.person.sector) if r.person.sector else None,
        "place": lambda r: r.person.place,
        "last-active": lambda r: (
            as_utc(r.person.last_active_at) if r.person.last_active_at else None
        ),
        "progress": lambda r: r.percent,
        "attendance": lambda r: r.attendance_percent,
    }
    for i in range(columns):
        keys[f"m{i + 1}"] = _module_key(i)
    return keys


def _module_key(index: int) -> Key:
    """A module column's sort key: the lessons the learner has done in it."""

    def key(row: LearnerRow) -> int:
        return row.cells[index].done

    return key


RISK_KEYS: dict[str, Key] = {
    "name": lambda r: r.person.name,
    "organisation": lambda r: r.person.organisation,
    "why": lambda r: "; ".join(r.risks),
}


@dataclass(frozen=True)
class Filter:
    """One filter's select box: its name in the address, label, options and the chosen value."""

    name: str
    label: str
    options: Sequence[tuple[str, str]]
    chosen: str

    @property
    def chosen_label(self) -> str:
        return dict(self.options).get(self.chosen, "")

    @property
    def items(self) -> list[dict[str, Any]]:
        """The select's options as govukSelect takes them, "All" first."""
        return [{"value": "", "text": "All"}] + [
            {"value": value, "text": text, "selected": value == self.chosen}
            for value, text in self.options
        ]


def _present(values: Sequence[str | None], label: Callable[[str], str] = str) -> list:
    options = sorted({(v, label(v)) for v in values if v}, key=lambda o: o[1].casefold())
    if any(not v for v in values):
        options.append((NOT_RECORDED, "Not recorded"))
    return options


def _filters(board: Dashboard, chosen: Mapping[str, str]) -> list[Filter]:
    people = [r.person for r in board.learners]
    options = {
        "organisation": ("Organisation", _present([p.organisation for p in people])),
        "sector": ("Sector", _present([p.sector for p in people], sector_label)),
        "place": ("Place", _present([p.place for p in people])),
        "status": ("Status", list(STATUSES.items())),
        "reason": ("At-risk reason", list(REASONS.items())),
    }
    return [
        Filter(name, label, opts, chosen.get(name, "")) for name, (label, opts) in options.items()
    ]


def _value(row: LearnerRow, name: str) -> str | None:
    p = row.person
    return {"organisation": p.organisation, "sector": p.sector, "place": p.place}[name]


def _keep(row: LearnerRow, name: str, value: str) -> bool:
    if name == "status":
        return status_of(row) == value
    if name == "reason":
        if value == "any":
            return bool(row.risks)
        if value == "none":
            return not row.risks
        return value in row.risk_kinds
    found = _value(row, name)
    return found is None if value == NOT_RECORDED else found == value


def read_state(
    board: Dashboard,
    args: MultiDict[str, str] | Mapping[str, str],
    offered: list[Filter] | None = None,
) -> TableState:
    """The learners' table state: a filter value the cohort has no option for is dropped.
    (`offered`: the board's filters, if the caller has worked them out already.)"""
    state = TableState.read(
        args, sorts=_learner_keys(len(board.columns)), default_sort=DEFAULT_SORT, filters=FILTERS
    )
    values = {f.name: {v for v, _ in f.options} for f in offered or _filters(board, {})}
    kept = {k: v for k, v in state.filters.items() if v in values[k]}
    return replace(state, filters=kept) if kept != dict(state.filters) else state


def filtered_rows(board: Dashboard, state: TableState) -> list[LearnerRow]:
    """The learners the state's filters and search keep, in its sort order (every page)."""
    rows = [
        r
        for r in board.learners
        if all(_keep(r, name, value) for name, value in state.filters.items())
        and (not state.q or matches(state.q, r.person.name, r.person.email))
    ]
    return sort_rows(rows, state, _learner_keys(len(board.columns)))


@dataclass(frozen=True)
class DashboardTables:
    cohort_id: int
    state: TableState
    learners: Page[LearnerRow]
    at_risk: Page[LearnerRow]
    filters: list[Filter]
    #: Every learner on the dashboard (the headline figures count them all).
    total: int

    @property
    def matched(self) -> int:
        return self.learners.total

    @property
    def filtered(self) -> bool:
        return self.state.filtered

    @property
    def description(self) -> list[tuple[str, str]]:
        """What narrows the tables, as (what, value) pairs: "Organisation", "Barnsley Council"."""
        return _description(self.filters, self.state)

    def learner_args(self, anchor: str) -> dict[str, Any]:
        """What the learners' sort and page links carry besides their own state: the at-risk
        list's, and the table's heading to land on."""
        return {"cohort_id": self.cohort_id, "_anchor": anchor, **self.at_risk.state.args()}

    def risk_args(self, anchor: str) -> dict[str, Any]:
        """What the at-risk list's links carry: the learners' filters, sort and page."""
        return {"cohort_id": self.cohort_id, "_anchor": anchor, **self.learners.state.args()}

    @property
    def export_args(self) -> dict[str, str]:
        """The filters, search and sort for an export link (an export has every page)."""
        args = self.state.args()
        args.pop("page", None)
        if (self.state.sort, self.state.direction) == (DEFAULT_SORT, ASCENDING):
            del args["sort"], args["dir"]  # the plain address for the default view
        return args

    @property
    def kept_for_form(self) -> dict[str, str]:
        """The sorts the filter form keeps in hidden fields (a new filter starts at page 1)."""
        risk = self.at_risk.state
        return {
            "sort": self.state.sort,
            "dir": self.state.direction,
            RISK_PREFIX + "sort": risk.sort,
            RISK_PREFIX + "dir": risk.direction,
        }


def tables(
    board: Dashboard, args: MultiDict[str, str] | Mapping[str, str], cohort_id: int
) -> DashboardTables:
    offered = _filters(board, {})
    state = read_state(board, args, offered)
    rows = filtered_rows(board, state)
    risk_state = TableState.read(args, sorts=RISK_KEYS, default_sort="name", prefix=RISK_PREFIX)
    at_risk = sort_rows([r for r in rows if r.risks], risk_state, RISK_KEYS)
    return DashboardTables(
        cohort_id,
        state,
        state.paged(rows),
        risk_state.paged(at_risk),
        [replace(f, chosen=state.filters.get(f.name, "")) for f in offered],
        len(board.learners),
    )


def _description(filters: list[Filter], state: TableState) -> list[tuple[str, str]]:
    found = [(f.label, f.chosen_label) for f in filters if f.chosen]
    if state.q:
        found.append(("Name or email", state.q))
    return found


def for_export(
    board: Dashboard, args: MultiDict[str, str] | Mapping[str, str]
) -> tuple[Dashboard, str]:
    """The dashboard with only the learners the address's filters keep, sorted as it asks (what an
    export of the current view holds), and the filters in words for its audit entry ("" if none).
    """
    state = read_state(board, args)
    described = "; ".join(
        f"{what.lower()} {value}"
        for what, value in _description(_filters(board, state.filters), state)
    )
    return replace(board, learners=filtered_rows(board, state)), described
