"""The list of every user: one SQL query for a page, filtered, searched and sorted in the database.

Status is worked out from the account: deactivated (closed: an admin closed it, or it was erased),
locked (too many wrong passwords, until `locked_until`), invited (open, never taken up) or active.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select

from leaders.auth.models import Role, User
from leaders.extensions import db
from leaders.organisations.models import Organisation
from leaders.tables import Page, TableState
from leaders.timeutil import as_utc, utcnow


class Status(StrEnum):
    ACTIVE = "active"
    INVITED = "invited"
    LOCKED = "locked"
    DEACTIVATED = "deactivated"

    @property
    def label(self) -> str:
        return {
            "invited": "Invited",
            "active": "Active",
            "locked": "Locked",
            "deactivated": "Deactivated",
        }[self.value]

    @property
    def colour(self) -> str:
        """The GOV.UK tag colour for the status."""
        return {
            "invited": "blue",
            "active": "green",
            "locked": "orange",
            "deactivated": "grey",
        }[self.value]


SORTS = ("name", "email", "organisation", "role", "status", "last_active")
FILTERS = ("role", "organisation", "status")


def read_state(args: Any) -> TableState:
    return TableState.read(args, sorts=SORTS, default_sort="name", filters=FILTERS)


def _status_conditions(now: datetime) -> dict[Status, ColumnElement[bool]]:
    locked = and_(User.active.is_(True), User.locked_until.is_not(None), User.locked_until > now)
    return {  # in the order the Status column sorts
        Status.ACTIVE: and_(User.active.is_(True), User.joined_at.is_not(None), ~locked),
        Status.INVITED: and_(User.active.is_(True), User.joined_at.is_(None), ~locked),
        Status.LOCKED: locked,
        Status.DEACTIVATED: User.active.is_(False),
    }


def _status_expression(now: datetime) -> ColumnElement[str]:
    conditions = _status_conditions(now)
    return case(
        (conditions[Status.DEACTIVATED], Status.DEACTIVATED.value),
        (conditions[Status.LOCKED], Status.LOCKED.value),
        (conditions[Status.INVITED], Status.INVITED.value),
        else_=Status.ACTIVE.value,
    )


@dataclass(frozen=True)
class UserRow:
    id: int
    name: str
    email: str
    job_title: str
    role: Role
    organisation: str | None
    status: Status
    last_active_at: datetime | None


def _search(query: str) -> ColumnElement[bool] | None:
    words = query.casefold().split()[:10]
    if not words:
        return None
    return and_(
        *(
            or_(
                func.lower(User.name).contains(word, autoescape=True),
                User.email_key.contains(word, autoescape=True),
            )
            for word in words
        )
    )


def user_page(state: TableState) -> Page[UserRow]:
    """One page of users for this table state (a count and a page query)."""
    now = utcnow()
    status = _status_expression(now).label("status")
    where: list[ColumnElement[bool]] = []
    search = _search(state.q[:200])
    if search is not None:
        where.append(search)
    role = state.filters.get("role")
    if role in {r.value for r in Role}:
        where.append(User.role == role)
    organisation = state.filters.get("organisation", "")
    if organisation == "none":
        where.append(User.organisation_id.is_(None))
    elif organisation.isdigit() and len(organisation) < 10:
        where.append(User.organisation_id == int(organisation))
    wanted = state.filters.get("status")
    if wanted in {s.value for s in Status}:
        where.append(_status_conditions(now)[Status(wanted)])

    total = db.session.execute(select(func.count()).select_from(User).where(*where)).scalar_one()
    pages = max(1, math.ceil(total / state.per_page))
    state = replace(state, page=min(state.page, pages))

    order = {
        "name": func.lower(User.name),
        "email": User.email_key,
        "organisation": func.lower(Organisation.name),
        "role": case(
            (User.role == Role.LEARNER.value, 0),
            (User.role == Role.PROGRAMME_MANAGER.value, 1),
            else_=2,
        ),
        # Active, invited, locked, deactivated: the order of the Status enum.
        "status": case(
            *((condition, rank) for rank, condition in enumerate(_status_conditions(now).values()))
        ),
        "last_active": User.last_active_at,
    }[state.sort]
    ordered = order.desc() if state.descending else order.asc()
    query = (
        select(
            User.id,
            User.name,
            User.email,
            User.job_title,
            User.role,
            Organisation.name,
            status,
            User.last_active_at,
        )
        .outerjoin(Organisation, Organisation.id == User.organisation_id)
        .where(*where)
        # Empty values last either way (as `tables.sort_rows` does), then by name, then id.
        .order_by(order.is_(None), ordered, func.lower(User.name), User.id)
        .limit(state.per_page)
        .offset((state.page - 1) * state.per_page)
    )
    rows = [
        UserRow(id_, name, email, job, Role(role), org, Status(st), last)
        for id_, name, email, job, role, org, st, last in db.session.execute(query)
    ]
    return Page.of(state, rows, total=total)


def organisations_to_filter() -> list[tuple[int, str]]:
    """Organisations that have people, by name, for the filter."""
    return [
        (id_, name)
        for id_, name in db.session.execute(
            select(Organisation.id, Organisation.name)
            .where(select(User.id).where(User.organisation_id == Organisation.id).exists())
            .order_by(func.lower(Organisation.name))
        )
    ]


def status_of(user: User) -> Status:
    if not user.active:
        return Status.DEACTIVATED
    until = as_utc(user.locked_until)
    if until is not None and until > utcnow():
        return Status.LOCKED
    return Status.INVITED if user.joined_at is None else Status.ACTIVE
