"""The place registry: built from the bundled ONS lookup, with the changes since applied."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import astuple, dataclass, fields, replace
from datetime import date
from importlib import resources

from sqlalchemy import ColumnElement, and_, func, or_, select

from leaders import uow
from leaders.extensions import db
from leaders.places.models import Place, PlaceKind
from leaders.timeutil import uk_today

DATA_FILE = "data/ons-ltla-to-utla-april-2021.json"

#: 1 April 2023: three two-tier counties became four unitary authorities.
REORGANISED_FROM = date(2023, 4, 1)
ABOLISHED_ON = date(2023, 3, 31)
#: New unitary code -> (name, the codes of the districts and county council it replaced).
APRIL_2023 = {
    "E06000063": ("Cumberland", ("E07000026", "E07000028", "E07000029", "E10000006")),
    "E06000064": ("Westmorland and Furness", ("E07000027", "E07000030", "E07000031", "E10000006")),
    "E06000065": (
        "North Yorkshire",
        # Craven, Hambleton, Harrogate, Richmondshire, Ryedale, Scarborough, Selby
        (
            "E07000163",
            "E07000164",
            "E07000165",
            "E07000166",
            "E07000167",
            "E07000168",
            "E07000169",
            "E10000023",
        ),
    ),
    "E06000066": ("Somerset", ("E07000187", "E07000188", "E07000189", "E07000246", "E10000027")),
}

_GSS_CODE = re.compile(r"[EW]\d{8}")
_COLUMNS = ("LTLA21CD", "LTLA21NM", "UTLA21CD", "UTLA21NM")


class PlaceDataError(ValueError):
    """The reference data is not what the loader expects; nothing was written."""


@dataclass(frozen=True)
class PlaceRecord:
    """One place as the reference data describes it (the columns of `Place`)."""

    code: str
    name: str
    #: A `PlaceKind` value.
    kind: str
    parent_code: str | None
    country: str
    valid_from: date | None = None
    valid_to: date | None = None


@dataclass(frozen=True)
class LoadResult:
    added: int
    updated: int
    unchanged: int

    @property
    def total(self) -> int:
        return self.added + self.updated + self.unchanged

    def __str__(self) -> str:
        return (
            f"{self.total} places: {self.added} added, {self.updated} updated, "
            f"{self.unchanged} unchanged."
        )


def bundled_rows() -> list[dict[str, str]]:
    """The rows of the ONS lookup that ships in leaders/data."""
    text = resources.files("leaders").joinpath(DATA_FILE).read_text("utf-8")
    return json.loads(text)


def _check_code(code: object, row_number: int) -> str:
    if not isinstance(code, str) or not _GSS_CODE.fullmatch(code):
        raise PlaceDataError(f"Row {row_number}: {code!r} is not a GSS code")
    try:
        PlaceKind.of_code(code)
    except ValueError as error:
        raise PlaceDataError(f"Row {row_number}: {error}") from None
    return code


def _from_lookup(rows: Iterable[Mapping[str, str]]) -> dict[str, PlaceRecord]:
    """Lower tiers from LTLA21CD/NM, county councils from UTLA21CD/NM; a district's parent is its county."""
    places: dict[str, PlaceRecord] = {}
    counties: dict[str, PlaceRecord] = {}
    for number, row in enumerate(rows, start=1):
        missing = [column for column in _COLUMNS if not str(row.get(column) or "").strip()]
        if missing:
            raise PlaceDataError(f"Row {number} has no {', '.join(missing)}")
        code = _check_code(row["LTLA21CD"], number)
        upper = _check_code(row["UTLA21CD"], number)
        kind = PlaceKind.of_code(code)
        if kind == PlaceKind.COUNTY:
            raise PlaceDataError(f"Row {number}: {code} is a county council, not a lower tier")
        if (kind == PlaceKind.DISTRICT) != (PlaceKind.of_code(upper) == PlaceKind.COUNTY):
            raise PlaceDataError(f"Row {number}: {code}'s upper tier {upper} is not its county")
        if code in places:
            raise PlaceDataError(f"Row {number}: {code} appears twice")
        country = "Wales" if code.startswith("W") else "England"
        parent = None
        if kind == PlaceKind.DISTRICT:
            parent = upper
            county = PlaceRecord(
                upper, row["UTLA21NM"].strip(), PlaceKind.COUNTY.value, None, country
            )
            if counties.setdefault(upper, county) != county:
                raise PlaceDataError(f"Row {number}: {upper} has two names")
        elif upper != code:
            raise PlaceDataError(f"Row {number}: {code} is single-tier but has upper tier {upper}")
        places[code] = PlaceRecord(code, row["LTLA21NM"].strip(), kind.value, parent, country)
    return counties | places  # county councils first: districts refer to them


def _apply_april_2023(places: dict[str, PlaceRecord]) -> dict[str, PlaceRecord]:
    changed = dict(places)
    for code, (name, replaced) in APRIL_2023.items():
        for old in replaced:
            if old not in changed:
                raise PlaceDataError(f"{old}, replaced by {name} in 2023, is not in the data")
            changed[old] = replace(changed[old], valid_to=ABOLISHED_ON)
        changed[code] = PlaceRecord(
            code, name, PlaceKind.UNITARY.value, None, "England", valid_from=REORGANISED_FROM
        )
    return changed


def _as_dict(record: PlaceRecord) -> dict:
    return {f.name: getattr(record, f.name) for f in fields(record)}


def reference_places(rows: Iterable[Mapping[str, str]] | None = None) -> list[PlaceRecord]:
    """Every place the reference data describes, with the 2023 changes; county councils first."""
    return list(_apply_april_2023(_from_lookup(bundled_rows() if rows is None else rows)).values())


@uow.transactional
def load_places(rows: Iterable[Mapping[str, str]] | None = None) -> LoadResult:
    """Add or correct every reference place in one commit; running it again changes nothing.

    All or nothing: bad data raises PlaceDataError before anything is written. Places that are not in
    the reference data (none, unless added by hand) are left alone.
    """
    records = reference_places(rows)
    try:
        existing = {place.code: place for place in db.session.scalars(select(Place))}
        added = updated = 0
        # New rows first, flushed before any update, so a corrected parent always exists.
        for record in records:
            if record.code not in existing:
                db.session.add(Place(**_as_dict(record)))
                added += 1
        db.session.flush()
        for record in records:
            place = existing.get(record.code)
            if place is not None and _values(place) != astuple(record):
                for name, value in _as_dict(record).items():
                    setattr(place, name, value)
                updated += 1
    except Exception:
        db.session.rollback()
        raise
    return LoadResult(added, updated, len(records) - added - updated)


def _values(place: Place) -> tuple:
    return tuple(getattr(place, f.name) for f in fields(PlaceRecord))


def today() -> date:
    """Today in the UK, where councils begin and end at midnight."""
    return uk_today()


def _current_on(on: date) -> ColumnElement[bool]:
    return and_(
        or_(Place.valid_from.is_(None), Place.valid_from <= on),
        or_(Place.valid_to.is_(None), Place.valid_to >= on),
    )


def get_place(code: str) -> Place | None:
    return db.session.get(Place, code)


def current_places(
    *, on: date | None = None, kind: PlaceKind | None = None, country: str | None = None
) -> list[Place]:
    """Places that exist on a day (today by default), by name."""
    query = select(Place).where(_current_on(on or today())).order_by(Place.name, Place.code)
    if kind is not None:
        query = query.where(Place.kind == kind.value)
    if country is not None:
        query = query.where(Place.country == country)
    return list(db.session.scalars(query))


def current_places_by_kind(
    *, on: date | None = None, country: str | None = None
) -> dict[PlaceKind, list[Place]]:
    """Current places grouped by kind, each group by name; every kind is a key."""
    grouped: dict[PlaceKind, list[Place]] = {kind: [] for kind in PlaceKind}
    for place in current_places(on=on, country=country):
        grouped[PlaceKind(place.kind)].append(place)
    return grouped


def count_current_by_kind(
    *, on: date | None = None, country: str | None = None
) -> dict[PlaceKind, int]:
    """How many places of each kind exist on a day (today by default); every kind is a key."""
    query = select(Place.kind, func.count()).where(_current_on(on or today())).group_by(Place.kind)
    if country is not None:
        query = query.where(Place.country == country)
    counts = dict.fromkeys(PlaceKind, 0)
    for kind, number in db.session.execute(query):
        counts[PlaceKind(kind)] = number
    return counts


def places_to_choose(keep: str | None = None) -> list[Place]:
    """The places a picker offers: those current today, by name, and `keep` (a record's present
    place) even if it has since been abolished, so that saving the record does not lose it."""
    query = select(Place).where(_current_on(today()))
    if keep:
        query = select(Place).where(or_(_current_on(today()), Place.code == keep))
    return list(db.session.scalars(query.order_by(Place.name, Place.code)))
