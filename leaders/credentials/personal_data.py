"""What credentials hold about a person: the certificates issued to them, and decisions by hand.

Erasure revokes every certificate and blanks the name and the signed credential (which carries
the name): the verification page then says "revoked" and names no one.
"""

from __future__ import annotations

from sqlalchemy import delete, select

from leaders import personal_data
from leaders.credentials.models import AwardDecision, Credential
from leaders.extensions import db
from leaders.timeutil import utcnow


def _export(user_id: int) -> list[dict]:
    rows = db.session.scalars(select(Credential).where(Credential.user_id == user_id))
    return [
        {
            "id": row.id,
            "course": row.course_title,
            "cohort": row.cohort_name,
            "issued_at": personal_data.as_json(row.issued_at),
            "valid_until": personal_data.as_json(row.valid_until),
            "revoked_at": personal_data.as_json(row.revoked_at),
            "revoked_reason": row.revoked_reason,
            "verifiable_credential_jwt": row.token,
        }
        for row in rows
    ]


def _decisions(user_id: int) -> list[dict]:
    return personal_data.rows(
        select(
            AwardDecision.course_key,
            AwardDecision.decision,
            AwardDecision.reason,
            AwardDecision.decided_at,
        ).where(AwardDecision.user_id == user_id)
    )


def _erase(user_id: int) -> None:
    now = utcnow()
    for row in db.session.scalars(select(Credential).where(Credential.user_id == user_id)):
        if row.revoked_at is None:
            row.revoked_at, row.revoked_reason = now, "the holder's data was erased"
        row.recipient_name, row.token, row.user_id = "", "", None


def _erase_decisions(user_id: int) -> None:
    db.session.execute(delete(AwardDecision).where(AwardDecision.user_id == user_id))


personal_data.register(
    "certificates.json",
    tables=["credential"],
    export=_export,
    erase=_erase,
    shown_as="your certificates, each with its signed credential",
)
personal_data.register(
    "certificate-decisions.json",
    tables=["award_decision"],
    export=_decisions,
    shown_as="certificates a programme manager awarded or withheld by hand, with the reason",
    erase=_erase_decisions,
)
