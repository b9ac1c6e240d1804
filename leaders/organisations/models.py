"""An organisation: a public body (or a partner) that people on the programmes work for."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column

from leaders.db_types import UTCDateTime
from leaders.extensions import db
from leaders.timeutil import utcnow


class Sector(StrEnum):
    """The sector an organisation belongs to (the taxonomy in DESIGN.md)."""

    LOCAL_GOVERNMENT = "local_government"
    NHS = "nhs"
    POLICE = "police"
    FIRE_AND_RESCUE = "fire_and_rescue"
    EDUCATION = "education"
    COMBINED_AUTHORITY = "combined_authority"
    CENTRAL_GOVERNMENT = "central_government"
    VOLUNTARY_AND_COMMUNITY = "voluntary_and_community"
    BUSINESS = "business"
    OTHER = "other"

    @property
    def label(self) -> str:
        return SECTOR_LABELS[self]


SECTOR_LABELS = {
    Sector.LOCAL_GOVERNMENT: "Local government",
    Sector.NHS: "NHS",
    Sector.POLICE: "Police",
    Sector.FIRE_AND_RESCUE: "Fire and rescue",
    Sector.EDUCATION: "Education",
    Sector.COMBINED_AUTHORITY: "Combined authority",
    Sector.CENTRAL_GOVERNMENT: "Central government",
    Sector.VOLUNTARY_AND_COMMUNITY: "Voluntary and community",
    Sector.BUSINESS: "Business",
    Sector.OTHER: "Other",
}


def sector_label(value: str | None) -> str:
    """A stored sector value in words; empty when none is recorded."""
    return Sector(value).label if value else ""


_SECTOR_VALUES = ", ".join(f"'{sector.value}'" for sector in Sector)


class Organisation(db.Model):
    __tablename__ = "organisation"
    __table_args__ = (CheckConstraint(f"sector IN ({_SECTOR_VALUES})", name="sector_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: As an admin typed it; unique regardless of case (see the index).
    name: Mapped[str] = mapped_column(String(200))
    #: A `Sector` value.
    sector: Mapped[str] = mapped_column(String(32))
    #: The place the organisation mainly serves, if it has one.
    place_code: Mapped[str | None] = mapped_column(ForeignKey("place.code"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name}>"

    @property
    def sector_enum(self) -> Sector:
        return Sector(self.sector)


# "NHS Kent and Medway" and "NHS KENT AND MEDWAY" are one organisation.
Index("uq_organisation_name_lower", func.lower(Organisation.name), unique=True)
