"""Reading the audit log: filter by actor, cohort, action and dates, sort by a column (in SQL; newest
first unless asked otherwise); a page at a time, or as CSV in the same order."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import aliased

from leaders.audit import Action, AuditEvent, label
from leaders.auth.models import User
from leaders.cohorts.forms import parse_date_parts
from leaders.cohorts.models import Cohort
from leaders.extensions import db
from leaders.filters import UK
from leaders.oversight.exports import Table, to_csv
from leaders.tables import DESCENDING, TableState

PER_PAGE = 50
#: The columns the log sorts by (the Detail column does not sort).
SORTS = ("when", "who", "did", "cohort", "about")
DEFAULT_SORT = "when"
#: The most rows one CSV download holds (narrow the filter for more).
CSV_LIMIT = 100_000


@dataclass
class Filters:
    """The log's filters, read from the query string; `errors` says what could not be read."""

    actor: str = ""
    cohort_id: int | None = None
    action: Action | None = None
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1
    #: The column and direction (leaders.tables: `sort`, `dir` in the address).
    sort: TableState = field(
        default_factory=lambda: TableState(DEFAULT_SORT, DESCENDING, per_page=PER_PAGE)
    )
    #: The date boxes as typed, to show them again: {"from": [d, m, y], "to": [d, m, y]}.
    typed: dict[str, list[str]] = field(default_factory=dict)
    errors: list[dict[str, str]] = field(default_factory=list)

    def query_args(self, page: int | None = None, *, sort: bool = True) -> dict[str, str | int]:
        """The filters (and, unless the default, the sort) as query arguments, for links to other
        pages and the CSV; `sort=False` leaves the sort out, for the headings' own links."""
        args: dict[str, str | int] = {}
        if self.actor:
            args["actor"] = self.actor
        if self.cohort_id:
            args["cohort"] = self.cohort_id
        if self.action:
            args["action"] = self.action.value
        for which in ("from", "to"):
            for part, value in zip(
                ("day", "month", "year"), self.typed.get(which, []), strict=False
            ):
                if value:
                    args[f"{which}-{part}"] = value
        if sort and (self.sort.sort, self.sort.direction) != (DEFAULT_SORT, DESCENDING):
            args["sort"], args["dir"] = self.sort.sort, self.sort.direction
        if page and page > 1:
            args["page"] = page
        return args

    def describe(self) -> str:
        """The filters in a few words, for the audit entry of a download."""
        args = self.query_args()
        return "filtered by " + ", ".join(f"{k} {v}" for k, v in args.items()) if args else "all"


def read_filters(args: Mapping[str, str]) -> Filters:
    filters = Filters(actor=(args.get("actor") or "").strip()[:254])
    cohort = (args.get("cohort") or "").strip()
    if cohort:
        if cohort.isdigit() and len(cohort) < 10:
            filters.cohort_id = int(cohort)
        else:
            filters.errors.append({"text": "Choose a cohort from the list", "href": "#cohort"})
    action = (args.get("action") or "").strip()
    if action:
        try:
            filters.action = Action(action)
        except ValueError:
            filters.errors.append({"text": "Choose an action from the list", "href": "#action"})
    for which, label_text in (("from", "Date from"), ("to", "Date to")):
        parts = [(args.get(f"{which}-{p}") or "").strip()[:4] for p in ("day", "month", "year")]
        filters.typed[which] = parts
        try:
            value = parse_date_parts(parts, label_text)
        except ValueError as error:
            filters.errors.append({"text": str(error), "href": f"#{which}-day"})
        else:
            setattr(filters, f"date_{which}", value)
    if filters.date_from and filters.date_to and filters.date_to < filters.date_from:
        filters.errors.append(
            {"text": "Date to must be the same as or after date from", "href": "#to-day"}
        )
    filters.sort = TableState.read(
        args, sorts=SORTS, default_sort=DEFAULT_SORT, default_direction=DESCENDING
    )
    page = (args.get("page") or "1").strip()
    filters.page = int(page) if page.isdigit() and 0 < len(page) < 7 and int(page) > 0 else 1
    return filters


def _start_of(day: date) -> datetime:
    """Midnight at the start of a UK day, as an aware datetime."""
    return datetime.combine(day, time.min, tzinfo=UK)


@dataclass(frozen=True)
class LoggedEvent:
    event: AuditEvent
    actor: str
    actor_email: str
    subject: str
    cohort: str

    @property
    def label(self) -> str:
        return label(self.event.action)


def _query(filters: Filters) -> Select:
    """The matching events, in the order asked for (ties newest first)."""
    actor, subject = aliased(User), aliased(User)
    query = (
        select(AuditEvent, actor.name, actor.email, subject.name, Cohort.name)
        .outerjoin(actor, actor.id == AuditEvent.actor_id)
        .outerjoin(subject, subject.id == AuditEvent.subject_id)
        .outerjoin(Cohort, Cohort.id == AuditEvent.cohort_id)
    )
    if filters.actor:
        needle = f"%{filters.actor.lower()}%"
        query = query.where(
            or_(func.lower(actor.email).like(needle), func.lower(actor.name).like(needle))
        )
    if filters.cohort_id:
        query = query.where(AuditEvent.cohort_id == filters.cohort_id)
    if filters.action:
        query = query.where(AuditEvent.action == filters.action.value)
    if filters.date_from:
        query = query.where(AuditEvent.created_at >= _start_of(filters.date_from))
    if filters.date_to:
        query = query.where(AuditEvent.created_at < _start_of(filters.date_to + timedelta(days=1)))
    column = {
        "when": AuditEvent.created_at,
        "who": func.lower(actor.name),
        "did": AuditEvent.action,
        "cohort": func.lower(Cohort.name),
        "about": func.lower(subject.name),
    }[filters.sort.sort]
    chosen = column.desc() if filters.sort.descending else column.asc()
    # Empty values last either way, as leaders.tables.sort_rows puts them.
    return query.order_by(chosen.nulls_last(), AuditEvent.created_at.desc(), AuditEvent.id.desc())


_SIGNING_IN = {Action.SIGN_IN_FAILED.value, Action.LOCKED_OUT.value}


def _actor_name(event: AuditEvent, name: str | None) -> str:
    if name:
        return name
    return (
        "Nobody signed in" if event.action in _SIGNING_IN else "Someone no longer on the platform"
    )


def _events(rows) -> list[LoggedEvent]:
    return [
        LoggedEvent(e, _actor_name(e, a), ae or "", s or "", c or "") for e, a, ae, s, c in rows
    ]


@dataclass(frozen=True)
class LogPage:
    events: list[LoggedEvent]
    total: int
    page: int
    pages: int


def page_of(filters: Filters, per_page: int = PER_PAGE) -> LogPage:
    """One page of matching events, newest first (two queries: the count and the page)."""
    query = _query(filters)
    total = db.session.execute(
        select(func.count()).select_from(
            query.order_by(None).with_only_columns(AuditEvent.id).subquery()
        )
    ).scalar_one()
    pages = max(1, math.ceil(total / per_page))
    page = min(filters.page, pages)
    rows = db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
    return LogPage(_events(rows), total, page, pages)


def as_csv(filters: Filters) -> str:
    """Every matching event (up to CSV_LIMIT), in the page's order, safe to open in a spreadsheet."""
    rows = db.session.execute(_query(filters).limit(CSV_LIMIT)).all()
    table = Table(
        "Audit log",
        [
            "When (UK time)",
            "Who",
            "Their email",
            "Did",
            "Cohort",
            "About",
            "Detail",
            "From address",
        ],
        [
            [
                item.event.created_at.astimezone(UK).strftime("%Y-%m-%d %H:%M:%S"),
                item.actor,
                item.actor_email,
                item.label,
                item.cohort,
                item.subject,
                item.event.detail,
                item.event.ip or "",
            ]
            for item in _events(rows)
        ],
    )
    return to_csv(table)


def cohort_choices() -> list[tuple[int, str]]:
    rows = db.session.execute(select(Cohort.id, Cohort.name).order_by(Cohort.name))
    return [(cohort_id, name) for cohort_id, name in rows]
