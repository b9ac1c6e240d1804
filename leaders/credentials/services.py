"""Issuing, checking and revoking credentials; awarding or withholding by hand."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select

from leaders import audit
from leaders.auth.models import User
from leaders.catalogue.model import Course
from leaders.catalogue.store import get_catalogue
from leaders.credentials import signing, status
from leaders.credentials.earning import Outcome, evaluate
from leaders.credentials.models import AwardDecision, Credential
from leaders.extensions import db
from leaders.timeutil import utcnow

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]


class NotEarned(Exception):
    """The learner has not earned the certificate; ``reasons`` say why."""

    def __init__(self, reasons: tuple[str, ...]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def issuer_profile() -> dict[str, Any]:
    return {
        "id": signing.issuer_did(),
        "type": ["Profile"],
        "name": current_app.config["CREDENTIALS_ISSUER_NAME"],
        "url": signing.base_url(),
    }


def verification_url(credential_id: str) -> str:
    return f"{signing.base_url()}/credentials/{credential_id}"


def build(row: Credential, course: Course, email: str, starts: str, ends: str) -> dict[str, Any]:
    """The Open Badges 3.0 credential (VC 2.0 data model) for an issued row."""
    base = signing.base_url()
    salt = secrets.token_hex(8)
    digest = hashlib.sha256((email.lower() + salt).encode()).hexdigest()
    titles = {module.key: module.title for module in course.modules}
    criteria = course.certificate.describe(titles) if course.certificate else "Awarded by hand."
    subject: dict[str, Any] = {
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityType": "name",
                "hashed": False,
                "identityHash": row.recipient_name,
            },
            {
                "type": "IdentityObject",
                "identityType": "emailAddress",
                "hashed": True,
                "identityHash": f"sha256${digest}",
                "salt": salt,
            },
        ],
        "achievement": {
            "id": f"{base}/courses/{course.key}#certificate",
            "type": ["Achievement"],
            "achievementType": "Certificate",
            "name": course.title,
            "description": course.summary,
            "criteria": {"narrative": criteria},
            "creator": issuer_profile(),
        },
    }
    if starts:
        subject["activityStartDate"] = starts
    if ends:
        subject["activityEndDate"] = ends
    if row.cohort_name:
        subject["term"] = row.cohort_name
    credential: dict[str, Any] = {
        "@context": CONTEXTS,
        "id": verification_url(row.id),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{course.title}: certificate",
        "issuer": issuer_profile(),
        "validFrom": _iso(row.issued_at),
        "credentialSubject": subject,
        "credentialStatus": status.entry(base, row.status_index),
    }
    if row.valid_until is not None:
        credential["validUntil"] = _iso(row.valid_until)
    return credential


def current(user_id: int, course_key: str) -> Credential | None:
    """The learner's credential for the course that is not revoked, if any."""
    return db.session.scalar(
        select(Credential).where(
            Credential.user_id == user_id,
            Credential.course_key == course_key,
            Credential.revoked_at.is_(None),
        )
    )


def outcome(user_id: int, course_key: str) -> Outcome:
    course = get_catalogue().course(course_key)
    if course is None:
        return Outcome(False, (f'there is no course "{course_key}"',))
    return evaluate(user_id, course, get_catalogue())


def issue(user_id: int, course_key: str, actor: int | None = None) -> Credential:
    """Issue the certificate if it is earned (the same one again if already issued).

    Adds to the caller's unit of work; raises NotEarned with the reasons otherwise.
    """
    existing = current(user_id, course_key)
    if existing is not None:
        return existing
    course = get_catalogue().course(course_key)
    result = outcome(user_id, course_key)
    if course is None or not result.earned:
        raise NotEarned(result.unmet or ("not earned",))
    user = db.session.get(User, user_id)
    assert user is not None
    now = utcnow()
    days = current_app.config.get("CREDENTIALS_VALID_DAYS")
    cohort = result.cohort
    row = Credential(
        id=str(uuid.uuid4()),
        user_id=user_id,
        course_key=course_key,
        cohort_id=cohort.id if cohort else None,
        recipient_name=user.name,
        course_title=course.title,
        cohort_name=cohort.name if cohort else "",
        status_index=status.new_index(),
        issued_at=now.replace(microsecond=0),
        valid_until=now + timedelta(days=int(days)) if days else None,
        revoked_reason="",
    )
    starts = cohort.starts_on.isoformat() if cohort else ""
    ends = cohort.ends_on.isoformat() if cohort else ""
    row.token = signing.sign(build(row, course, user.email, starts, ends))
    db.session.add(row)
    detail = f"{course.title}: credential {row.id}"
    audit.record(
        audit.Action.CREDENTIAL_ISSUED,
        actor=actor,
        subject=user_id,
        cohort=row.cohort_id,
        detail=detail,
    )
    return row


def revoke(row: Credential, reason: str, actor: int | None) -> None:
    if row.revoked_at is not None:
        return
    row.revoked_at = utcnow()
    row.revoked_reason = reason
    row.revoked_by = actor
    audit.record(
        audit.Action.CREDENTIAL_REVOKED,
        actor=actor,
        subject=row.user_id,
        cohort=row.cohort_id,
        detail=f"{row.course_title}: {reason}"[:500],
    )


def decide(
    user_id: int, course_key: str, decision: str, reason: str, actor: int
) -> Credential | None:
    """A programme manager awards or withholds by hand; withholding revokes one issued."""
    assert decision in ("award", "withhold")
    row = db.session.scalar(
        select(AwardDecision).where(
            AwardDecision.user_id == user_id, AwardDecision.course_key == course_key
        )
    )
    if row is None:
        row = AwardDecision(user_id=user_id, course_key=course_key)
        db.session.add(row)
    row.decision, row.reason, row.decided_by, row.decided_at = decision, reason, actor, utcnow()
    db.session.flush()
    action = (
        audit.Action.CERTIFICATE_AWARDED
        if decision == "award"
        else audit.Action.CERTIFICATE_WITHHELD
    )
    audit.record(action, actor=actor, subject=user_id, detail=f"{course_key}: {reason}"[:500])
    if decision == "withhold":
        issued = current(user_id, course_key)
        if issued is not None:
            revoke(issued, f"withheld: {reason}", actor)
        return None
    return issue(user_id, course_key, actor)


@dataclass(frozen=True)
class Verdict:
    """What checking a credential found: ``state`` is valid, revoked, expired or invalid."""

    state: str
    reason: str
    credential: dict[str, Any] | None = None

    @property
    def valid(self) -> bool:
        return self.state == "valid"


def _extract_token(text: str) -> str:
    """A compact JWS, given as is or as an EnvelopedVerifiableCredential's data: URL."""
    import json

    text = text.strip()
    if text.startswith("{"):
        try:
            value = json.loads(text)
        except ValueError:
            raise signing.Invalid("malformed: not JSON") from None
        found = value.get("id", "") if isinstance(value, dict) else ""
        prefix = f"data:{signing.MEDIA_TYPE},"
        if not isinstance(found, str) or not found.startswith(prefix):
            raise signing.Invalid("malformed: not an enveloped VC-JWT (id must be a data: URL)")
        return found[len(prefix) :]
    return text


def verify(text: str) -> Verdict:
    """Check signature, shape, dates and revocation status, in that order."""
    try:
        checked = signing.check_signature(_extract_token(text))
    except signing.Invalid as error:
        return Verdict("invalid", str(error))
    credential = checked.credential
    types = credential.get("type") or []
    if "VerifiableCredential" not in types or "OpenBadgeCredential" not in types:
        return Verdict("invalid", "malformed: not an OpenBadgeCredential", credential)
    subject = credential.get("credentialSubject") or {}
    if "Achievement" not in ((subject.get("achievement") or {}).get("type") or []):
        return Verdict("invalid", "malformed: the subject has no Achievement", credential)
    entry = credential.get("credentialStatus") or {}
    try:
        index = int(entry["statusListIndex"])
    except (KeyError, TypeError, ValueError):
        return Verdict("invalid", "malformed: no status list index", credential)
    until = credential.get("validUntil")
    if until and until < _iso(utcnow()):
        return Verdict("expired", f"expired: valid until {until}", credential)
    if index in status.revoked_indexes():
        row = db.session.scalar(select(Credential).where(Credential.status_index == index))
        why = f" ({row.revoked_reason})" if row is not None and row.revoked_reason else ""
        return Verdict("revoked", f"revoked{why}", credential)
    return Verdict("valid", "valid: signed by the issuer, not revoked, not expired", credential)


def state_of(row: Credential) -> str:
    if row.revoked_at is not None:
        return "revoked"
    if row.valid_until is not None and row.valid_until < utcnow():
        return "expired"
    return "valid"


def enveloped(row: Credential) -> dict[str, Any]:
    """The VC 2.0 EnvelopedVerifiableCredential that carries the VC-JWT as JSON."""
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": f"data:{signing.MEDIA_TYPE},{row.token}",
        "type": "EnvelopedVerifiableCredential",
    }


def everyone() -> list[tuple[Credential, str]]:
    """Every credential with the learner's email (blank once erased), newest first."""
    rows = db.session.execute(
        select(Credential, User.email)
        .outerjoin(User, User.id == Credential.user_id)
        .order_by(Credential.issued_at.desc(), Credential.id)
    ).all()
    return [(row, email or "") for row, email in rows]


def of_learner(user_id: int) -> list[Credential]:
    return list(
        db.session.scalars(
            select(Credential)
            .where(Credential.user_id == user_id)
            .order_by(Credential.issued_at.desc())
        )
    )
