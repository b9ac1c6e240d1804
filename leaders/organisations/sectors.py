"""The sector taxonomy (DESIGN.md) and its names: the one source of sector labels.

Plain data with no Flask or database imports, so the network's pure core (its colour key) can
read the same labels as pages, forms and exports.
"""

from __future__ import annotations

from enum import StrEnum


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


def sector_label(value: str | None, missing: str = "") -> str:
    """A stored sector key as people read it (`Sector.label`), or `missing` when none is recorded.

    The one source of sector names: pages (the `sector_label` template global), exports and the
    network's colour key all read it.
    """
    if not value:
        return missing
    # A StrEnum member is equal to (and hashes as) its value, so the stored text finds its label
    # without making the member first (a dashboard asks a few hundred times); an unknown value
    # still fails as Sector(value) does.
    found = SECTOR_LABELS.get(value)  # type: ignore[call-overload]
    return found if found is not None else Sector(value).label
