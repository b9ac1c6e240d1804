"""An organisation: a public body (or a partner) that people on the programmes work for."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column

from leaders.db_types import UTCDateTime
from leaders.extensions import Model
from leaders.organisations.sectors import SECTOR_LABELS, Sector, sector_label
from leaders.timeutil import utcnow

__all__ = ["SECTOR_LABELS", "Organisation", "Sector", "sector_label"]


_SECTOR_VALUES = ", ".join(f"'{sector.value}'" for sector in Sector)


class Organisation(Model):
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
