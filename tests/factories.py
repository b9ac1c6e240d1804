"""Small factory functions for test data."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from functools import cache

from werkzeug.security import generate_password_hash

from leaders.auth.models import Role, User
from leaders.extensions import db

PASSWORD = "correct-horse-battery-staple"
_seq = itertools.count(1)


#: scrypt with a small work factor (werkzeug's default is 2**15, about 0.1 s a check). A stored hash
#: carries its parameters and the app checks it by them, so a test user signs in through the same
#: code, only faster: hundreds of tests sign someone in. Passwords that the app itself sets (a reset,
#: a change, the demo accounts) still get the app's own, full-cost hash.
TEST_HASH_METHOD = "scrypt:1024:8:1"


@cache
def _hash(password: str) -> str:
    """Hash each test password once: scrypt is slow on purpose, and tests make many users."""
    return generate_password_hash(password, method=TEST_HASH_METHOD)


def make_user(**overrides) -> User:
    n = next(_seq)
    password = overrides.pop("password", PASSWORD)
    role = overrides.pop("role", Role.LEARNER)
    user = User(
        email=overrides.pop("email", f"person{n}@example.org"),
        name=overrides.pop("name", f"Person {n}"),
        job_title=overrides.pop("job_title", "Head of Service"),
        role=Role(role).value,
        **overrides,
    )
    if password:
        user.password_hash = _hash(password)
    db.session.add(user)
    db.session.commit()
    return user


def make_cohort(course_key: str = "sample-course", **overrides):
    from datetime import date

    from leaders.cohorts.models import Cohort

    cohort = Cohort(
        course_key=course_key,
        name=overrides.pop("name", f"Cohort {next(_seq)}"),
        starts_on=overrides.pop("starts_on", date(2026, 1, 1)),
        ends_on=overrides.pop("ends_on", date(2027, 12, 31)),
        **overrides,
    )
    db.session.add(cohort)
    db.session.commit()
    return cohort


def enrol(cohort, user, role: str = "learner", **overrides):
    from leaders.cohorts.models import CohortMember

    member = CohortMember(cohort_id=cohort.id, user_id=user.id, role=role, **overrides)
    db.session.add(member)
    db.session.commit()
    return member


def make_organisation(name: str, sector: str = "local_government", place_code: str | None = None):
    from leaders.organisations.models import Organisation

    org = Organisation(name=name, sector=sector, place_code=place_code)
    db.session.add(org)
    db.session.commit()
    return org


class Cast:
    """A cohort with a programme manager, a facilitator, an organisation lead and learners from two
    organisations, plus a second cohort with its own manager and an outsider: everyone by what they do."""

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
