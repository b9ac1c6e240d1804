"""Demo data for development: accounts with printed passwords. Idempotent."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from leaders.auth import services as accounts
from leaders.auth.models import Role
from leaders.extensions import db


def seed(demo_accounts: Iterable[tuple[str, str, str, Role, str]]) -> Iterator[str]:
    """Create (or reset) the demo accounts; yield a line to print for each."""
    yield "Demo accounts (development only):"
    for email, name, job_title, role, password in demo_accounts:
        user = accounts.find_by_email(email)
        if user is None:
            user = accounts.create_user(
                email, name, password=password, role=role, job_title=job_title, commit=False
            )
        else:
            user.set_password(password)
            user.role = role.value
            user.active = True
        yield f"  {role.label:<18} {email:<24} password: {password}"
    db.session.commit()
