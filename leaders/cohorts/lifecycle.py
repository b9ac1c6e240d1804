"""A cohort's life-cycle: copy it for the next run, archive it when it has finished.

- **Copy**: a new cohort of the same course with a new name and start date. Its schedule (when
  each module opens and is due) and its sessions move by the same number of days; no people, no
  attendance, no sets come with it. Sessions are copied column by column from the model, so a
  column another part of the platform adds to sessions is copied too (see `_copied_values`).
- **Archive**: a finished cohort becomes read-only and leaves the default lists. Read-only is
  enforced once, for every route: `refuse_writes_to_archived` runs before each request and refuses
  any POST (or other unsafe method) to an address with a ``cohort_id`` of an archived cohort, except
  the few that `WRITES_ALLOWED` names (bringing it back, copying it).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import render_template, request
from flask_login import current_user
from sqlalchemy import inspect, select

from leaders import audit, uow
from leaders.cohorts.models import Cohort, CohortMember, CohortModule, CohortRole, CohortSession
from leaders.extensions import db
from leaders.timeutil import uk_today, utcnow

#: Routes that may change an archived cohort (or read it to make something new).
WRITES_ALLOWED = frozenset({"cohorts.unarchive", "cohorts.copy"})
#: Columns that say when a row was made or changed: the copy gets its own, not the original's.
BOOKKEEPING = frozenset({"created_at", "updated_at"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class CopyRefused(ValueError):
    """The copy cannot be made as asked; the message says what to change."""


def shift(cohort: Cohort, starts_on: date) -> timedelta:
    return starts_on - cohort.starts_on


def _copied_values(row: object, delta: timedelta, *, actor: int) -> dict[str, object] | None:
    """The values a copy of ``row`` gets, read from its mapper; None: do not copy it.

    Every column is copied except ids (the primary key and other rows' keys), unique columns (a
    calendar UID, a token: the copy makes its own) and bookkeeping times. Dates and times move by
    ``delta``. A foreign key the column cannot leave empty gets the person copying (a "made by").
    A cancelled row (a ``cancelled_at`` set) is not part of the next run and is not copied.
    """
    if getattr(row, "cancelled_at", None) is not None:
        return None
    values: dict[str, object] = {}
    for attribute in inspect(type(row)).column_attrs:
        column = attribute.columns[0]
        if column.primary_key or column.unique or attribute.key in BOOKKEEPING:
            continue
        if column.foreign_keys:
            targets = {fk.column.table.name for fk in column.foreign_keys}
            if not column.nullable and targets == {"user"}:
                values[attribute.key] = actor
            continue  # the cohort is set by the caller; a set or a person is not copied
        value = getattr(row, attribute.key)
        if isinstance(value, datetime | date):
            value = value + delta
        values[attribute.key] = value
    return values


def existing_copy(course_key: str, name: str, starts_on: date) -> Cohort | None:
    """A cohort of this course with this name and start date: a second copy would duplicate it."""
    return db.session.execute(
        select(Cohort).where(
            Cohort.course_key == course_key,
            Cohort.name == name.strip(),
            Cohort.starts_on == starts_on,
        )
    ).scalar_one_or_none()


@uow.transactional
def copy_cohort(source: Cohort, name: str, starts_on: date, *, actor: int) -> Cohort:
    """A new run of the cohort from ``starts_on``; the person copying manages it. CopyRefused if
    a cohort with that name and start date already exists (the same copy made twice)."""
    name = name.strip()
    if existing_copy(source.course_key, name, starts_on) is not None:
        raise CopyRefused(
            f"A cohort called {name} starting on {starts_on:%-d %B %Y} already exists: "
            "choose another name or start date"
        )
    delta = shift(source, starts_on)
    copy = Cohort(
        course_key=source.course_key,
        name=name,
        starts_on=starts_on,
        ends_on=source.ends_on + delta,
    )
    db.session.add(copy)
    db.session.flush()
    db.session.add(
        CohortMember(cohort_id=copy.id, user_id=actor, role=CohortRole.PROGRAMME_MANAGER.value)
    )
    modules = db.session.execute(
        select(CohortModule).where(CohortModule.cohort_id == source.id)
    ).scalars()
    for module in modules:
        db.session.add(
            CohortModule(
                cohort_id=copy.id,
                module_key=module.module_key,
                opens_on=module.opens_on + delta if module.opens_on else None,
                due_on=module.due_on + delta if module.due_on else None,
            )
        )
    sessions = db.session.execute(
        select(CohortSession).where(CohortSession.cohort_id == source.id)
    ).scalars()
    copied = 0
    for session in sessions:
        values = _copied_values(session, delta, actor=actor)
        if values is not None:
            db.session.add(CohortSession(**values, cohort_id=copy.id))
            copied += 1
    audit.record(
        audit.Action.COHORT_COPIED,
        actor=actor,
        cohort=copy,
        detail=f"from {source.name} (cohort {source.id}), {delta.days:+d} days, {copied} sessions",
    )
    return copy


def why_not_archive(cohort: Cohort, today: date | None = None) -> str | None:
    """Why the cohort cannot be archived now, or None. Only a finished cohort is archived: one still
    running has learners and facilitators using it, and read-only would stop their registers."""
    if cohort.archived_at is not None:
        return f"{cohort.name} is already archived."
    today = today or uk_today()
    if cohort.ends_on >= today:
        return (
            f"{cohort.name} runs until {cohort.ends_on:%-d %B %Y}. A cohort can be archived once "
            "it has finished: to end it early, change its end date first."
        )
    return None


@uow.transactional
def archive(cohort: Cohort, *, actor: int) -> None:
    refusal = why_not_archive(cohort)
    if refusal:
        raise ValueError(refusal)
    cohort.archived_at = utcnow()
    audit.record(audit.Action.COHORT_ARCHIVED, actor=actor, cohort=cohort, detail=cohort.name)


@uow.transactional
def unarchive(cohort: Cohort, *, actor: int) -> None:
    if cohort.archived_at is None:
        return
    cohort.archived_at = None
    audit.record(audit.Action.COHORT_UNARCHIVED, actor=actor, cohort=cohort, detail=cohort.name)


def refuse_writes_to_archived():
    """Before every request: an unsafe request to an archived cohort's address is refused (403)."""
    if request.method in SAFE_METHODS or request.endpoint in WRITES_ALLOWED:
        return None
    cohort_id = (request.view_args or {}).get("cohort_id")
    if not isinstance(cohort_id, int) or not current_user.is_authenticated:
        return None  # not a cohort's address; or signing in comes first
    row = db.session.execute(
        select(Cohort.name, Cohort.archived_at).where(Cohort.id == cohort_id)
    ).first()
    if row is None or row.archived_at is None:
        return None
    return render_template(
        "cohorts/archived.html", title="This cohort is archived", name=row.name, cohort_id=cohort_id
    ), 403
