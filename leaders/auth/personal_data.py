"""What auth holds about a person: the account and its signed-in sessions."""

from __future__ import annotations

from sqlalchemy import update

from leaders import personal_data
from leaders.auth import sessions
from leaders.auth.models import User
from leaders.extensions import db


def _account(user_id: int) -> dict:
    user = db.session.get_one(User, user_id)
    as_json = personal_data.as_json
    return {
        "email": user.email,
        "name": user.name,
        "job_title": user.job_title,
        "role": user.role,
        "organisation_id": user.organisation_id,
        "created_at": as_json(user.created_at),
        "last_sign_in_at": as_json(user.last_sign_in_at),
        "last_active_at": as_json(user.last_active_at),
    }


def _erase_identity(user_id: int) -> None:
    """Name, email, job title, organisation and password go; the row stays for the counts."""
    db.session.execute(
        update(User)
        .where(User.id == user_id)
        .values(
            email=f"erased-{user_id}@erased.invalid",
            email_key=f"erased-{user_id}@erased.invalid",
            name="Erased learner",
            job_title="",
            password_hash=None,
            organisation_id=None,
            active=False,
            session_version=User.session_version + 1,
        )
    )


personal_data.register("account.json", tables=["user"], export=_account, erase=_erase_identity)
personal_data.register(
    "signed-in sessions",
    tables=["user_session"],
    erase=sessions.end_all,  # signed out everywhere, in the erasure's transaction
)
