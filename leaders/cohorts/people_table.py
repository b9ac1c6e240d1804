"""The People page's table: sort, filter, search and page a cohort's members (issue 14 point 1).

The state lives in the address (`leaders.tables.TableState`), so a filtered view is a bookmark.
A cohort holds at most a few hundred people: `services.people` loads them in one query and the
filters, search and sort run over those rows, server-side.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from leaders.cohorts.access import CohortAccess
from leaders.cohorts.models import CohortRole
from leaders.cohorts.services import Person, people
from leaders.organisations.sectors import sector_label
from leaders.tables import Page, TableState, matches, sort_rows


class Status(StrEnum):
    """Where someone's account is: one value each, in the order an account goes through them."""

    INVITED = "invited"
    JOINED = "joined"
    SIGNED_IN = "signed-in"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {
            "invited": "Invited",
            "joined": "Joined, not signed in yet",
            "signed-in": "Signed in",
            "closed": "Account closed",
        }[self.value]


def status_of(person: Person) -> Status:
    if not person.active:
        return Status.CLOSED
    if person.last_sign_in_at is not None:
        return Status.SIGNED_IN
    if person.joined:
        return Status.JOINED
    return Status.INVITED


def has_due_dates(person: Person) -> bool:
    """Learners have due dates of their own (the People page links to them)."""
    return person.role == CohortRole.LEARNER


NOT_RECORDED = "Not recorded"

#: Column → the value a row sorts by.
SORTS: dict[str, Callable[[Person], Any]] = {
    "name": lambda p: p.name,
    "role": lambda p: p.role.label,
    "organisation": lambda p: p.organisation,
    "sector": lambda p: sector_label(p.sector, NOT_RECORDED) if p.sector else None,
    "place": lambda p: p.place,
    "status": lambda p: list(Status).index(status_of(p)),
}
FILTERS = ("organisation", "sector", "place", "role", "status")


def read_state(args: Mapping[str, str]) -> TableState:
    return TableState.read(args, sorts=SORTS, default_sort="name", filters=FILTERS)


@dataclass(frozen=True)
class Option:
    value: str
    text: str


@dataclass(frozen=True)
class PeopleTable:
    page: Page[Person]
    #: Everyone the viewer may see in the cohort, before filtering.
    everyone: int
    #: Filter name → the choices that narrow this cohort (only values someone has).
    options: dict[str, list[Option]]

    @property
    def state(self) -> TableState:
        return self.page.state


def _value(person: Person, name: str) -> str:
    """A row's value for a filter, as the filter's choices give it ("" when not recorded)."""
    if name == "role":
        return person.role.value
    if name == "status":
        return status_of(person).value
    return getattr(person, name) or ""


def _options(rows: list[Person]) -> dict[str, list[Option]]:
    def present(name: str, label: Callable[[str], str]) -> list[Option]:
        values = {_value(p, name) for p in rows}
        found = sorted((Option(v, label(v)) for v in values if v), key=lambda o: o.text.casefold())
        if "" in values:
            found.append(Option("none", NOT_RECORDED))
        return found

    return {
        "organisation": present("organisation", str),
        "sector": present("sector", lambda v: sector_label(v, NOT_RECORDED)),
        "place": present("place", str),
        "role": [Option(r.value, r.label) for r in CohortRole if any(p.role == r for p in rows)],
        "status": [Option(s.value, s.label) for s in Status],
    }


def table(access: CohortAccess, state: TableState) -> PeopleTable:
    """The page of people the state asks for (one query)."""
    rows = people(access)
    options = _options(rows)
    shown = [
        p for p in rows if _keeps(p, state) and (not state.q or matches(state.q, p.name, p.email))
    ]
    ordered = sort_rows(shown, state, SORTS)
    return PeopleTable(state.paged(ordered), len(rows), options)


def _keeps(person: Person, state: TableState) -> bool:
    for name, wanted in state.filters.items():
        value = _value(person, name)
        if wanted == "none" and name in ("organisation", "sector", "place"):
            if value:
                return False
        elif value != wanted:
            return False
    return True


#: What can be done to several people at once from the People page (the bulk-action view in
#: leaders/oversight/bulk.py does them): value → the words in the list.
BULK_ACTIONS: dict[str, str] = {
    "remind": "Send a reminder",
    "resend": "Resend the invitation",
    "message": "Send a message",
    "move": "Move to another cohort",
    "remove": "Remove from the cohort",
    "due-offset": "Set their due dates",
}
