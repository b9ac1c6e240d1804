"""A place: a local authority area, identified by its GSS code."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import CheckConstraint, Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from leaders.extensions import Model


class PlaceKind(StrEnum):
    """The tier of a principal council, read from the GSS code's prefix."""

    COUNTY = "county"
    DISTRICT = "district"
    UNITARY = "unitary"
    METROPOLITAN = "metropolitan"
    LONDON = "london"
    WELSH = "welsh"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]

    @property
    def noun(self) -> str:
        """The label as it reads mid-sentence: "district council", "London borough"."""
        label = KIND_LABELS[self]
        return label if label.startswith(("London", "Welsh")) else label.lower()

    @classmethod
    def of_code(cls, code: str) -> PlaceKind:
        """The kind of place a GSS code names; ValueError for a prefix we do not hold."""
        try:
            return KIND_BY_PREFIX[code[:3]]
        except KeyError:
            raise ValueError(f"{code!r} is not the code of a principal council") from None


KIND_LABELS = {
    PlaceKind.COUNTY: "County council",
    PlaceKind.DISTRICT: "District council",
    PlaceKind.UNITARY: "Unitary authority",
    PlaceKind.METROPOLITAN: "Metropolitan district",
    PlaceKind.LONDON: "London borough",
    PlaceKind.WELSH: "Welsh principal area",
}
KIND_BY_PREFIX = {
    "E10": PlaceKind.COUNTY,
    "E07": PlaceKind.DISTRICT,
    "E06": PlaceKind.UNITARY,
    "E08": PlaceKind.METROPOLITAN,
    "E09": PlaceKind.LONDON,
    "W06": PlaceKind.WELSH,
}
_KIND_VALUES = ", ".join(f"'{kind.value}'" for kind in PlaceKind)


class Place(Model):
    """A principal council's area. Abolished ones keep their row, with an end date."""

    __tablename__ = "place"
    __table_args__ = (CheckConstraint(f"kind IN ({_KIND_VALUES})", name="kind_known"),)

    #: The GSS code, e.g. E07000110 (Maidstone).
    code: Mapped[str] = mapped_column(String(9), primary_key=True)
    #: The area's name as ONS gives it, e.g. "Kent" for Kent County Council.
    name: Mapped[str] = mapped_column(String(100))
    #: A `PlaceKind` value.
    kind: Mapped[str] = mapped_column(String(20))
    #: The upper tier a district sits in (its county council); None for single-tier and county councils.
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("place.code"))
    #: "England" or "Wales".
    country: Mapped[str] = mapped_column(String(20))
    #: The day the authority began, when it began after the bundled data was published.
    valid_from: Mapped[date | None] = mapped_column(Date)
    #: The authority's last day; None while it exists.
    valid_to: Mapped[date | None] = mapped_column(Date)

    def __repr__(self) -> str:
        return f"<Place {self.code} {self.name}>"

    @property
    def kind_enum(self) -> PlaceKind:
        return PlaceKind(self.kind)

    def is_current(self, on: date) -> bool:
        """Whether the authority exists on this day."""
        started = self.valid_from is None or self.valid_from <= on
        return started and (self.valid_to is None or on <= self.valid_to)
