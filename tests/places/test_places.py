"""The place registry: ONS April 2021 data with the April 2023 reorganisation applied."""

from datetime import date

import pytest
from sqlalchemy import func, select

from leaders.places import services
from leaders.places.models import Place, PlaceKind

AFTER_2023 = date(2024, 6, 1)
BEFORE_2023 = date(2023, 3, 31)


@pytest.fixture
def loaded(db):
    return services.load_places()


def _rows(db) -> list[tuple]:
    return [
        (p.code, p.name, p.kind, p.parent_code, p.country, p.valid_from, p.valid_to)
        for p in db.session.scalars(select(Place).order_by(Place.code))
    ]


def test_england_has_317_principal_councils_after_april_2023(loaded):
    counts = services.count_current_by_kind(on=AFTER_2023, country="England")
    assert counts == {
        PlaceKind.COUNTY: 21,
        PlaceKind.DISTRICT: 164,
        PlaceKind.UNITARY: 63,
        PlaceKind.METROPOLITAN: 36,
        PlaceKind.LONDON: 33,
        PlaceKind.WELSH: 0,
    }
    assert sum(counts.values()) == 317
    # Today (the default) is after April 2023 too.
    assert services.count_current_by_kind(country="England") == counts


def test_england_had_333_principal_councils_before_april_2023(loaded):
    counts = services.count_current_by_kind(on=BEFORE_2023, country="England")
    assert counts[PlaceKind.COUNTY] == 24
    assert counts[PlaceKind.DISTRICT] == 181
    assert counts[PlaceKind.UNITARY] == 59
    assert sum(counts.values()) == 333


def test_wales_has_22_principal_areas(loaded):
    assert services.count_current_by_kind(country="Wales") == {
        **dict.fromkeys(PlaceKind, 0),
        PlaceKind.WELSH: 22,
    }
    assert services.get_place("W06000015").name == "Cardiff"
    assert services.get_place("W06000015").country == "Wales"


def test_load_reports_what_it_added(loaded):
    assert loaded.added == 331 + 24 + 4
    assert (loaded.updated, loaded.unchanged) == (0, 0)


def test_abolished_authorities_are_kept_with_an_end_date(loaded):
    allerdale = services.get_place("E07000026")
    assert allerdale.name == "Allerdale"
    assert allerdale.kind == PlaceKind.DISTRICT
    assert allerdale.valid_to == date(2023, 3, 31)
    assert allerdale.parent_code == "E10000006"
    assert not allerdale.is_current(AFTER_2023)
    assert allerdale.is_current(BEFORE_2023)

    cumbria = services.get_place("E10000006")
    assert (cumbria.name, cumbria.kind, cumbria.valid_to) == (
        "Cumbria",
        "county",
        date(2023, 3, 31),
    )
    for code in ["E07000163", "E07000169", "E10000023", "E07000246", "E10000027", "E07000027"]:
        assert services.get_place(code).valid_to == date(2023, 3, 31), code


def test_new_unitaries_exist_from_april_2023(loaded):
    expected = {
        "E06000063": "Cumberland",
        "E06000064": "Westmorland and Furness",
        "E06000065": "North Yorkshire",
        "E06000066": "Somerset",
    }
    for code, name in expected.items():
        place = services.get_place(code)
        assert (place.name, place.kind, place.country) == (name, "unitary", "England")
        assert place.valid_from == date(2023, 4, 1)
        assert place.valid_to is None
        assert place.parent_code is None
        assert not place.is_current(BEFORE_2023)
        assert place.is_current(AFTER_2023)


def test_a_kent_district_has_kent_county_council_as_its_parent(loaded):
    maidstone = services.get_place("E07000110")
    assert (maidstone.name, maidstone.kind) == ("Maidstone", "district")
    kent = services.get_place(maidstone.parent_code)
    assert (kent.code, kent.name, kent.kind, kent.parent_code) == (
        "E10000016",
        "Kent",
        "county",
        None,
    )


def test_single_tier_authorities_have_no_parent(loaded):
    for code, kind in [
        ("E06000053", "unitary"),  # Isles of Scilly
        ("E08000025", "metropolitan"),  # Birmingham
        ("E09000001", "london"),  # City of London
        ("W06000015", "welsh"),  # Cardiff
    ]:
        place = services.get_place(code)
        assert place.kind == kind
        assert place.parent_code is None
        assert place.valid_to is None


def test_current_places_by_kind(loaded):
    grouped = services.current_places_by_kind(on=AFTER_2023, country="England")
    counts = services.count_current_by_kind(on=AFTER_2023, country="England")
    assert {kind: len(places) for kind, places in grouped.items()} == counts
    london = [p.name for p in grouped[PlaceKind.LONDON]]
    assert "City of London" in london
    assert london == sorted(london)
    assert "Allerdale" not in [p.name for p in grouped[PlaceKind.DISTRICT]]
    districts = services.current_places(on=AFTER_2023, kind=PlaceKind.DISTRICT)
    assert len(districts) == 164


def test_loading_twice_changes_nothing(db, loaded):
    before = _rows(db)
    again = services.load_places()
    assert (again.added, again.updated, again.unchanged) == (0, 0, 359)
    assert _rows(db) == before


def test_loading_corrects_a_place_that_has_drifted(db, loaded):
    place = services.get_place("E07000110")
    place.name = "Maidstone Borough"
    place.valid_to = date(2020, 1, 1)
    db.session.commit()
    result = services.load_places()
    assert (result.added, result.updated) == (0, 1)
    db.session.expire_all()
    place = services.get_place("E07000110")
    assert (place.name, place.valid_to) == ("Maidstone", None)


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        (
            {"LTLA21CD": "X123", "LTLA21NM": "Nowhere", "UTLA21CD": "X123", "UTLA21NM": "Nowhere"},
            "not a GSS code",
        ),
        (
            {"LTLA21CD": "E07000999", "LTLA21NM": "", "UTLA21CD": "E10000099", "UTLA21NM": "Shire"},
            "has no LTLA21NM",
        ),
        (
            {
                "LTLA21CD": "E07000999",
                "LTLA21NM": "Lost",
                "UTLA21CD": "E07000999",
                "UTLA21NM": "Lost",
            },
            "not its county",
        ),
        (
            {
                "LTLA21CD": "E12000001",
                "LTLA21NM": "North East",
                "UTLA21CD": "E12000001",
                "UTLA21NM": "North East",
            },
            "not the code of a principal council",
        ),
    ],
)
def test_bad_data_loads_nothing(db, bad_row, message):
    rows = [*services.bundled_rows(), bad_row]
    with pytest.raises(services.PlaceDataError, match=message):
        services.load_places(rows)
    assert db.session.scalar(select(func.count()).select_from(Place)) == 0


def test_a_failed_write_leaves_the_registry_as_it_was(db, loaded, monkeypatch):
    before = _rows(db)
    rows = [{**row, "LTLA21NM": row["LTLA21NM"] + " (renamed)"} for row in services.bundled_rows()]

    def fail() -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(db.session, "commit", fail)
    with pytest.raises(RuntimeError):
        services.load_places(rows)
    monkeypatch.undo()
    db.session.expire_all()
    assert _rows(db) == before


def test_places_to_choose_keeps_an_abolished_place_when_asked(loaded):
    names = [p.name for p in services.places_to_choose()]
    assert "Allerdale" not in names
    assert "Cumberland" in names
    assert names == sorted(names)
    kept = services.places_to_choose(keep="E07000026")
    assert "Allerdale" in [p.name for p in kept]
    assert len(kept) == len(names) + 1


def test_kind_of_code():
    assert PlaceKind.of_code("E06000063") == PlaceKind.UNITARY
    assert PlaceKind.of_code("W06000001") == PlaceKind.WELSH
    with pytest.raises(ValueError, match="principal council"):
        PlaceKind.of_code("E47000001")


def test_flask_places_load_is_idempotent(runner, db):
    first = runner.invoke(args=["places", "load"])
    assert first.exit_code == 0, first.output
    assert "359 places: 359 added, 0 updated, 0 unchanged" in first.output
    assert "Principal councils in England today: 317" in first.output
    second = runner.invoke(args=["places", "load"])
    assert second.exit_code == 0, second.output
    assert "0 added, 0 updated, 359 unchanged" in second.output
    assert db.session.scalar(select(func.count()).select_from(Place)) == 359
