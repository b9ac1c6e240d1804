"""Small factory functions for test data."""

from __future__ import annotations

import itertools
from functools import cache

from werkzeug.security import generate_password_hash

from leaders.auth.models import Role, User
from leaders.extensions import db

PASSWORD = "correct-horse-battery-staple"
_seq = itertools.count(1)


@cache
def _hash(password: str) -> str:
    """Hash each test password once: scrypt is slow on purpose, and tests make many users."""
    return generate_password_hash(password)


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
