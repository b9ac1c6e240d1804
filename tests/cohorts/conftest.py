"""A cohort with a programme manager, a facilitator, an organisation lead and learners from two bodies."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from leaders.auth.models import Role
from leaders.extensions import db
from tests.conftest import sign_in
from tests.factories import enrol, make_cohort, make_user


def make_organisation(name: str, sector: str = "local_government", place_code: str | None = None):
    from leaders.organisations.models import Organisation

    org = Organisation(name=name, sector=sector, place_code=place_code)
    db.session.add(org)
    db.session.commit()
    return org


class Cast:
    """Everyone in the cohort, by what they do."""

    STARTED = datetime(2026, 1, 1, 9, tzinfo=UTC)

    def __init__(self) -> None:
        self.council = make_organisation("Barnsley Council", "local_government")
        self.trust = make_organisation("South Yorkshire ICB", "nhs")
        self.cohort = make_cohort(name="South Yorkshire 2027")
        self.other_cohort = make_cohort(name="Kent 2027")
        self.manager = make_user(name="Tom Manager", role=Role.PROGRAMME_MANAGER)
        self.other_manager = make_user(name="Olga Other", role=Role.PROGRAMME_MANAGER)
        self.facilitator = make_user(name="Fay Facilitator")
        self.lead = make_user(name="Lee Lead", organisation_id=self.council.id)
        self.admin = make_user(name="Ada Admin", role=Role.ADMIN)
        self.learners = [
            make_user(name="Ann Council", organisation_id=self.council.id),
            make_user(name="Ben Council", organisation_id=self.council.id),
            make_user(name="Cat Health", organisation_id=self.trust.id),
        ]
        self.outsider = make_user(name="Otto Outsider")
        enrol(self.cohort, self.manager, "programme_manager")
        enrol(self.other_cohort, self.other_manager, "programme_manager")
        enrol(self.cohort, self.facilitator, "facilitator")
        enrol(self.cohort, self.lead, "organisation_lead")
        # Enrolled when the cohort started (late joiners are tested in test_due_dates_and_risk).
        for learner in self.learners:
            enrol(self.cohort, learner, added_at=self.STARTED)
        enrol(self.other_cohort, self.outsider)


@pytest.fixture
def cast(app) -> Cast:
    return Cast()


@pytest.fixture
def as_user(client):
    """Sign the test client in as someone: `as_user(cast.manager)`."""

    def signed(user):
        assert sign_in(client, user).status_code == 302
        return client

    return signed
