"""Small factory functions for test data."""

from __future__ import annotations

import itertools

from leaders.auth.models import Role, User
from leaders.extensions import db

PASSWORD = "correct-horse-battery-staple"
_seq = itertools.count(1)


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
        user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user
