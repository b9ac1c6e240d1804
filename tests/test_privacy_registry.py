"""Every table that refers to a person is covered by a feature's personal-data holding."""

from leaders import personal_data
from leaders.extensions import db


def _tables_referring_to_people() -> set[str]:
    users = db.metadata.tables["user"]
    found = {"user"}
    for table in db.metadata.tables.values():
        if any(fk.column.table is users for column in table.columns for fk in column.foreign_keys):
            found.add(table.name)
    return found


def test_every_table_with_a_person_in_it_is_erased_or_declared_kept(app):
    tables = _tables_referring_to_people()
    assert {"journal_entry", "tie", "attendance", "user_session"} <= tables  # the check sees them
    missing = tables - personal_data.covered_tables()
    assert not missing, f"no personal-data holding says what erasure does to: {sorted(missing)}"


def test_every_holding_of_a_table_says_what_erasure_does(app):
    for holding in personal_data.holdings():
        if holding.tables:
            assert holding.erase is not None or holding.kept, holding.name


def test_the_download_and_erasure_come_from_the_features():
    names = [h.name for h in personal_data.holdings() if h.export is not None]
    assert names == [
        "account.json",
        "organisation-sign-in.json",
        "two-factor.json",
        "cohorts.json",
        "attendance.json",
        "progress.json",
        "knowledge_checks.json",
        "journal.json",
        "journal.md",
        "connections.json",
        "network_survey_answers.json",
        "emails.json",
        "certificates.json",
        "certificate-decisions.json",
    ]
    erased = {t for h in personal_data.holdings() if h.erase is not None for t in h.tables}
    assert erased == {
        "user",
        "user_session",
        "journal_entry",
        "tie",
        "survey_answer",
        "survey_response",
        "learning_set_member",
        "learning_set",  # its facilitator (the set stays, with none)
        "email",
        "email_attempt",
        "credential",
        "award_decision",
        "calendar_feed",
        "user_identity",
        "totp_credential",
        "recovery_code",
    }
