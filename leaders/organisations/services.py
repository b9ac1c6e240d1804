"""Organisations: finding, listing with head counts, creating, changing and merging duplicates."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Column, func, select, update
from sqlalchemy.exc import IntegrityError

from leaders import audit, uow
from leaders.auth.models import User
from leaders.extensions import db, rowcount
from leaders.filters import plural
from leaders.organisations.models import Organisation, Sector
from leaders.places.models import Place

NAME_MAX_LENGTH = 200


class OrganisationError(ValueError):
    """An organisation cannot be created or changed as asked. `field` names the input at fault."""

    def __init__(self, message: str, field: str = "name") -> None:
        super().__init__(message)
        self.field = field


class OrganisationNotFound(LookupError):
    """No organisation has that id."""


class MergeError(ValueError):
    """Two organisations cannot be merged as asked; nothing was changed."""


@dataclass(frozen=True)
class OrganisationSummary:
    """A row of the organisations list: plain values, so a template cannot trigger a query."""

    id: int
    name: str
    sector: Sector
    place_code: str | None
    place_name: str | None
    #: How many user accounts belong to the organisation.
    people: int


@dataclass(frozen=True)
class Reference:
    """Rows of one table that point at an organisation."""

    table: str
    column: str
    rows: int

    @property
    def description(self) -> str:
        if self.table == User.__tablename__:
            return plural(self.rows, "person", "people")
        noun = self.table.replace("_", " ")
        return plural(self.rows, f"{noun} record")


@dataclass(frozen=True)
class MergePlan:
    """What merging `duplicate` into `into` would move."""

    duplicate: Organisation
    into: Organisation
    references: tuple[Reference, ...]

    @property
    def people(self) -> int:
        return sum(r.rows for r in self.references if r.table == User.__tablename__)

    @property
    def others(self) -> tuple[Reference, ...]:
        """References other than people (cohort memberships and so on) that have rows."""
        return tuple(r for r in self.references if r.table != User.__tablename__ and r.rows)


def normalise_name(name: str) -> str:
    """Trimmed, with runs of spaces made one: "NHS  Kent " is "NHS Kent"."""
    return " ".join((name or "").split())


def get_organisation(organisation_id: int) -> Organisation | None:
    return db.session.get(Organisation, organisation_id)


def find_by_name(name: str) -> Organisation | None:
    """The organisation with this name, whatever its case and spacing, or None."""
    wanted = normalise_name(name).lower()
    if not wanted:
        return None
    return db.session.execute(
        select(Organisation).where(func.lower(Organisation.name) == wanted)
    ).scalar_one_or_none()


def list_organisations(search: str = "") -> list[OrganisationSummary]:
    """Every organisation, or those whose name contains `search` (any case), by name, with how many
    people belong to each. One query, however many organisations there are."""
    people = (
        select(User.organisation_id, func.count().label("people"))
        .where(User.organisation_id.is_not(None))
        .group_by(User.organisation_id)
        .subquery()
    )
    query = (
        select(
            Organisation.id,
            Organisation.name,
            Organisation.sector,
            Organisation.place_code,
            Place.name.label("place_name"),
            func.coalesce(people.c.people, 0).label("people"),
        )
        .outerjoin(Place, Place.code == Organisation.place_code)
        .outerjoin(people, people.c.organisation_id == Organisation.id)
        .order_by(func.lower(Organisation.name), Organisation.id)
    )
    wanted = normalise_name(search).lower()
    if wanted:
        query = query.where(func.lower(Organisation.name).contains(wanted, autoescape=True))
    return [
        OrganisationSummary(
            row.id, row.name, Sector(row.sector), row.place_code, row.place_name, row.people
        )
        for row in db.session.execute(query)
    ]


def _checked(
    name: str, sector: Sector | str, place_code: str | None, organisation_id: int | None = None
) -> tuple[str, Sector, str | None]:
    name = normalise_name(name)
    if not name:
        raise OrganisationError("Enter the organisation's name", "name")
    if len(name) > NAME_MAX_LENGTH:
        raise OrganisationError(
            f"Organisation name must be {NAME_MAX_LENGTH} characters or fewer", "name"
        )
    try:
        sector = Sector(sector)
    except ValueError:
        raise OrganisationError(
            "Choose the organisation's sector from the list", "sector"
        ) from None
    place_code = (place_code or "").strip() or None
    if place_code is not None and db.session.get(Place, place_code) is None:
        raise OrganisationError("Choose a place from the list", "place_code")
    other = find_by_name(name)
    if other is not None and other.id != organisation_id:
        raise OrganisationError(_duplicate_message(other.name), "name")
    return name, sector, place_code


def _duplicate_message(existing: str) -> str:
    return (
        f"An organisation called {existing} already exists. Enter a different name, "
        "or merge the two organisations"
    )


def _flush(name: str) -> None:
    """Write now; a name taken by a concurrent request meanwhile is the usual duplicate error."""
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise OrganisationError(_duplicate_message(name), "name") from None


@uow.transactional
def create_organisation(
    name: str, sector: Sector | str, place_code: str | None = None
) -> Organisation:
    """Add an organisation; OrganisationError (naming the field) if the details are not valid."""
    name, sector, place_code = _checked(name, sector, place_code)
    organisation = Organisation(name=name, sector=sector.value, place_code=place_code)
    db.session.add(organisation)
    _flush(name)
    return organisation


@uow.transactional
def update_organisation(
    organisation_id: int, *, name: str, sector: Sector | str, place_code: str | None
) -> Organisation:
    """Change an organisation's details; OrganisationError (naming the field) if not valid."""
    organisation = get_organisation(organisation_id)
    if organisation is None:
        raise OrganisationNotFound(organisation_id)
    name, sector, place_code = _checked(name, sector, place_code, organisation_id)
    organisation.name = name
    organisation.sector = sector.value
    organisation.place_code = place_code
    _flush(name)
    return organisation


def referencing_columns() -> list[Column]:
    """Every column, in every table the app defines, that refers to an organisation.

    Read from the metadata, so a table added later (cohort memberships, say) is merged too.
    """
    target = Organisation.__table__.c.id
    return [
        fk.parent
        for table in db.metadata.sorted_tables
        for fk in table.foreign_keys
        if fk.column is target
    ]


def _pair(
    duplicate_id: int, into_id: int, *, lock: bool = False
) -> tuple[Organisation, Organisation]:
    if duplicate_id == into_id:
        raise MergeError(
            "Choose a different organisation to keep: an organisation cannot be merged into itself"
        )
    query = select(Organisation).where(Organisation.id.in_((duplicate_id, into_id)))
    if lock:
        query = query.with_for_update()  # PostgreSQL: no one moves people in meanwhile
    found = {o.id: o for o in db.session.scalars(query)}
    for wanted in (duplicate_id, into_id):
        if wanted not in found:
            raise OrganisationNotFound(wanted)
    return found[duplicate_id], found[into_id]


def plan_merge(duplicate_id: int, into_id: int) -> MergePlan:
    """What `merge` would move, for the confirmation page. Changes nothing."""
    duplicate, into = _pair(duplicate_id, into_id)
    references = []
    for column in referencing_columns():
        rows = db.session.execute(
            select(func.count()).select_from(column.table).where(column == duplicate_id)
        ).scalar_one()
        references.append(Reference(column.table.name, column.name, rows))
    return MergePlan(duplicate, into, tuple(references))


@uow.transactional
def merge(duplicate_id: int, into_id: int, *, actor: audit.Ref = None) -> tuple[Reference, ...]:
    """Point everything that refers to the duplicate at `into`, then delete the duplicate.

    One transaction: on any failure nothing changes. MergeError when merging an organisation into
    itself, or when a moved row would clash with one `into` already has (a unique constraint).
    Returns the rows moved, per referencing column.
    """
    try:
        duplicate, into = _pair(duplicate_id, into_id, lock=True)
        moved = []
        for column in referencing_columns():
            result = db.session.execute(
                update(column.table).where(column == duplicate_id).values({column.name: into_id})
            )
            moved.append(Reference(column.table.name, column.name, rowcount(result)))
        people = sum(r.rows for r in moved if r.table == User.__tablename__)
        audit.record(
            audit.Action.ORGANISATIONS_MERGED,
            actor=actor,
            detail=f"{duplicate.name} (deleted) into {into.name}; "
            f"{people} {'person' if people == 1 else 'people'} moved",
        )
        db.session.delete(duplicate)
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        raise MergeError(
            "These organisations could not be merged because both have a record that can only "
            "be held once (for example the same cohort role). Nothing was changed."
        ) from error
    except BaseException:
        db.session.rollback()
        raise
    # The updates bypassed the ORM: objects already loaded may hold the old organisation.
    db.session.expire_all()
    return tuple(moved)


def people_names(organisation_id: int, limit: int = 20) -> list[str]:
    """The names of the first people (by name) who belong to an organisation, for a confirmation."""
    return list(
        db.session.scalars(
            select(User.name)
            .where(User.organisation_id == organisation_id)
            .order_by(func.lower(User.name))
            .limit(limit)
        )
    )
