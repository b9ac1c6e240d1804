"""Organisation services: find, list with head counts, create, update, merge."""

import pytest
from sqlalchemy import Column, ForeignKey, Integer, String, Table, UniqueConstraint, func, select
from sqlalchemy.exc import IntegrityError

from leaders.auth.models import User
from leaders.organisations import services
from leaders.organisations.models import Organisation, Sector
from tests.factories import make_user
from tests.organisations.conftest import make_organisation


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_sectors_are_the_design_taxonomy():
    assert [s.label for s in Sector] == [
        "Local government",
        "NHS",
        "Police",
        "Fire and rescue",
        "Education",
        "Combined authority",
        "Central government",
        "Voluntary and community",
        "Business",
        "Other",
    ]


def test_create_and_find_by_name_whatever_the_case(db, places):
    created = services.create_organisation(
        "  Kent   County Council ", Sector.LOCAL_GOVERNMENT, "E10000016"
    )
    assert created.name == "Kent County Council"
    assert created.created_at is not None
    found = services.find_by_name("KENT COUNTY council")
    assert found.id == created.id
    assert found.place_code == "E10000016"
    assert found.sector_enum is Sector.LOCAL_GOVERNMENT
    assert services.find_by_name("Kent") is None
    assert services.find_by_name("   ") is None


@pytest.mark.parametrize(
    ("name", "sector", "place", "field", "message"),
    [
        ("", "nhs", None, "name", "Enter the organisation's name"),
        ("x" * 201, "nhs", None, "name", "200 characters or fewer"),
        ("Kent Police", "army", None, "sector", "sector from the list"),
        ("Kent Police", "police", "E99999999", "place_code", "place from the list"),
        ("kent fire and RESCUE service", "fire_and_rescue", None, "name", "already exists"),
    ],
)
def test_create_refuses_bad_details_and_writes_nothing(
    db, places, name, sector, place, field, message
):
    make_organisation("Kent Fire and Rescue Service", "fire_and_rescue")
    with pytest.raises(services.OrganisationError, match=message) as raised:
        services.create_organisation(name, sector, place)
    assert raised.value.field == field
    assert _count(db, Organisation) == 1


def test_the_database_refuses_a_duplicate_name_in_another_case(db):
    make_organisation("Essex Police", "police")
    db.session.add(Organisation(name="ESSEX POLICE", sector="police"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_update_checks_like_create_but_allows_its_own_name(db, places):
    essex = make_organisation("Essex Police", "police")
    make_organisation("Kent Police", "police")
    updated = services.update_organisation(
        essex.id, name="ESSEX police", sector="police", place_code="E10000012"
    )
    assert (updated.name, updated.place_code) == ("ESSEX police", "E10000012")
    with pytest.raises(services.OrganisationError, match="Kent Police already exists"):
        services.update_organisation(essex.id, name="kent police", sector="police", place_code=None)
    db.session.expire_all()
    assert services.get_organisation(essex.id).name == "ESSEX police"
    with pytest.raises(services.OrganisationNotFound):
        services.update_organisation(999, name="X", sector="police", place_code=None)


def test_list_counts_people_and_names_places(db, places):
    kent = make_organisation("Kent County Council", place_code="E10000016")
    nhs = make_organisation("NHS Kent and Medway", "nhs")
    make_organisation("Age UK Kent", "voluntary_and_community")
    for _ in range(3):
        make_user(organisation_id=kent.id)
    make_user(organisation_id=nhs.id)
    make_user()  # belongs to no organisation

    rows = services.list_organisations()
    assert [(r.name, r.sector, r.place_name, r.people) for r in rows] == [
        ("Age UK Kent", Sector.VOLUNTARY_AND_COMMUNITY, None, 0),
        ("Kent County Council", Sector.LOCAL_GOVERNMENT, "Kent", 3),
        ("NHS Kent and Medway", Sector.NHS, None, 1),
    ]


def test_search_by_part_of_the_name_in_any_case(db):
    make_organisation("Kent County Council")
    make_organisation("NHS Kent and Medway", "nhs")
    make_organisation("Essex Police", "police")
    make_organisation("100% Kent Charity", "other")
    assert [r.name for r in services.list_organisations("KENT")] == [
        "100% Kent Charity",
        "Kent County Council",
        "NHS Kent and Medway",
    ]
    assert [r.name for r in services.list_organisations("%")] == ["100% Kent Charity"]
    assert services.list_organisations("Surrey") == []


def test_merge_moves_people_and_deletes_the_duplicate(db):
    keep = make_organisation("Kent County Council")
    duplicate = make_organisation("Kent CC")
    moving = [make_user(organisation_id=duplicate.id) for _ in range(2)]
    staying = make_user(organisation_id=keep.id)

    plan = services.plan_merge(duplicate.id, keep.id)
    assert plan.people == 2
    assert (plan.duplicate.name, plan.into.name) == ("Kent CC", "Kent County Council")

    moved = services.merge(duplicate.id, keep.id)
    assert ("user", "organisation_id", 2) in [(r.table, r.column, r.rows) for r in moved]
    assert services.get_organisation(duplicate.id) is None
    for user in [*moving, staying]:
        assert db.session.get(User, user.id).organisation_id == keep.id
    assert [r.people for r in services.list_organisations()] == [3]


def test_merge_refuses_merging_into_itself(db):
    kent = make_organisation("Kent County Council")
    user = make_user(organisation_id=kent.id)
    with pytest.raises(services.MergeError, match="cannot be merged into itself"):
        services.merge(kent.id, kent.id)
    with pytest.raises(services.MergeError):
        services.plan_merge(kent.id, kent.id)
    assert services.get_organisation(kent.id) is not None
    assert db.session.get(User, user.id).organisation_id == kent.id


def test_merge_with_a_missing_organisation_changes_nothing(db):
    kent = make_organisation("Kent County Council")
    with pytest.raises(services.OrganisationNotFound):
        services.merge(kent.id, 999)
    with pytest.raises(services.OrganisationNotFound):
        services.plan_merge(999, kent.id)
    assert services.get_organisation(kent.id) is not None


def test_every_foreign_key_to_organisation_is_found_in_the_metadata():
    columns = {f"{c.table.name}.{c.name}" for c in services.referencing_columns()}
    assert "user.organisation_id" in columns


@pytest.fixture
def sponsor_table(db):
    """A table added after this feature (as cohort memberships will be) that points at organisations."""
    table = Table(
        "test_sponsorship",
        db.metadata,
        Column("id", Integer, primary_key=True),
        Column(
            "organisation_id", ForeignKey("organisation.id", ondelete="CASCADE"), nullable=False
        ),
        Column("cohort", String(20), nullable=False),
        UniqueConstraint("organisation_id", "cohort"),
    )
    table.create(db.engine)
    try:
        yield table
    finally:
        db.session.remove()
        table.drop(db.engine)
        db.metadata.remove(table)


def test_merge_moves_rows_of_tables_it_was_not_written_for(db, sponsor_table):
    keep = make_organisation("Kent County Council")
    duplicate = make_organisation("Kent CC")
    db.session.execute(
        sponsor_table.insert(), [{"organisation_id": duplicate.id, "cohort": "2026"}]
    )
    db.session.commit()

    plan = services.plan_merge(duplicate.id, keep.id)
    assert [r.description for r in plan.others] == ["1 test sponsorship record"]
    services.merge(duplicate.id, keep.id)
    assert db.session.execute(select(sponsor_table.c.organisation_id)).scalars().all() == [keep.id]


def test_merge_that_would_break_a_unique_rule_changes_nothing(db, sponsor_table):
    keep = make_organisation("Kent County Council")
    duplicate = make_organisation("Kent CC")
    user = make_user(organisation_id=duplicate.id)
    db.session.execute(
        sponsor_table.insert(),
        [
            {"organisation_id": keep.id, "cohort": "2026"},
            {"organisation_id": duplicate.id, "cohort": "2026"},
        ],
    )
    db.session.commit()

    with pytest.raises(services.MergeError, match="Nothing was changed"):
        services.merge(duplicate.id, keep.id)
    assert services.get_organisation(duplicate.id) is not None
    assert db.session.get(User, user.id).organisation_id == duplicate.id
    assert sorted(db.session.execute(select(sponsor_table.c.organisation_id)).scalars()) == sorted(
        [keep.id, duplicate.id]
    )


def test_deleting_an_organisation_leaves_its_people(db):
    kent = make_organisation("Kent County Council")
    user = make_user(organisation_id=kent.id)
    db.session.delete(kent)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(User, user.id).organisation_id is None
