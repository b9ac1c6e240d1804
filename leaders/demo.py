"""Demo data for development: accounts with printed passwords, then a programme in flight. Idempotent."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlalchemy import func, select

from leaders import uow
from leaders.auth import services as accounts
from leaders.auth.models import Role, User
from leaders.catalogue.store import get_catalogue
from leaders.demo_programme import seed_programme
from leaders.extensions import db
from leaders.organisations.models import Organisation

#: The organisation each demo account works for (by name; see demo_programme.people.ORGANISATIONS).
DEMO_ORGANISATIONS = {
    "learner": "Barnsley Metropolitan Borough Council",
    "learner2": "NHS Kent and Medway Integrated Care Board",
    "lead": "Barnsley Metropolitan Borough Council",
    "facilitator": "Sheffield Hallam University",
}


def seed(demo_accounts: Iterable[tuple[str, str, str, str, Role, str]]) -> Iterator[str]:
    """Create (or reset) the demo accounts and the demo programme; yield lines to print."""
    with uow.transaction():  # one commit for the accounts and the programme
        yield "Demo accounts (development only):"
        users: dict[str, User] = {}
        for key, email, name, job_title, role, password in demo_accounts:
            user = accounts.find_by_email(email)
            if user is None:
                user = accounts.create_user(
                    email, name, password=password, role=role, job_title=job_title
                )
            else:
                user.set_password(password)
                user.role = role.value
                user.active = True
            users[key] = user
            label = {"facilitator": "Facilitator", "lead": "Organisation lead"}.get(key, role.label)
            yield f"  {label:<18} {email:<26} password: {password}"
        db.session.flush()
        yield "Demo programme:"
        yield from seed_programme(get_catalogue(), users)
        _assign_organisations(users)


def _assign_organisations(users: dict[str, User]) -> None:
    for key, name in DEMO_ORGANISATIONS.items():
        org_id = db.session.execute(
            select(Organisation.id).where(func.lower(Organisation.name) == name.lower())
        ).scalar_one_or_none()
        if key in users and org_id:
            users[key].organisation_id = org_id
