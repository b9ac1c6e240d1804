"""What auth holds about a person: the account and its signed-in sessions."""

from __future__ import annotations

from sqlalchemy import delete, select, update

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


personal_data.register(
    "account.json",
    tables=["user"],
    export=_account,
    erase=_erase_identity,
    shown_as="your account",
)
personal_data.register(
    "signed-in sessions",
    tables=["user_session"],
    erase=sessions.end_all,  # signed out everywhere, in the erasure's transaction
)


def _identities(user_id: int) -> list[dict]:
    from leaders.auth.identity_models import IdentityProvider, UserIdentity

    rows = db.session.execute(
        select(UserIdentity, IdentityProvider.name)
        .join(IdentityProvider, IdentityProvider.id == UserIdentity.provider_id)
        .where(UserIdentity.user_id == user_id)
    ).all()
    as_json = personal_data.as_json
    return [
        {
            "provider": name,
            "subject": link.subject,
            "email_at_link": link.email_at_link,
            "linked_at": as_json(link.created_at),
            "last_used_at": as_json(link.last_used_at),
        }
        for link, name in rows
    ]


def _erase_identities(user_id: int) -> None:
    from leaders.auth.identity_models import UserIdentity

    db.session.execute(delete(UserIdentity).where(UserIdentity.user_id == user_id))


def _two_factor(user_id: int) -> dict:
    from leaders.auth import mfa

    cred = mfa.credential(user_id)
    return {
        "authenticator_app": bool(cred and cred.confirmed_at),
        "set_up_at": personal_data.as_json(cred.confirmed_at) if cred else None,
        "recovery_codes_left": mfa.unused_recovery_codes(user_id),
    }


def _erase_two_factor(user_id: int) -> None:
    from leaders.auth.identity_models import RecoveryCode, TotpCredential

    db.session.execute(delete(TotpCredential).where(TotpCredential.user_id == user_id))
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))


personal_data.register(
    "organisation-sign-in.json",
    tables=["user_identity"],
    export=_identities,
    shown_as="the organisation accounts you sign in with",
    erase=_erase_identities,
)
personal_data.register(
    "two-factor.json",
    tables=["totp_credential", "recovery_code"],
    export=_two_factor,  # whether it is on; never the secret or the codes
    shown_as="whether two-factor authentication is on",
    erase=_erase_two_factor,
)
