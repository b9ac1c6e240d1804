"""A learner's own data, and erasure on request."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass

from flask import abort
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from leaders import audit, personal_data, uow
from leaders.auth.models import User
from leaders.cohorts.models import Cohort, CohortMember
from leaders.extensions import db
from leaders.learning.models import JournalEntry
from leaders.network.models import Tie
from leaders.privacy.models import ErasureRequest
from leaders.timeutil import utcnow

# A learner's own data -------------------------------------------------------------------------------


def my_data(user_id: int) -> bytes:
    """Everything held about a learner: each feature's export (leaders.personal_data), as a zip."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in personal_data.exports(user_id).items():
            if name.endswith(".json"):
                content = json.dumps(content, indent=2, ensure_ascii=False)
            archive.writestr(name, str(content))
        archive.writestr(
            "README.txt",
            "Everything Place Leaders holds about you, as of "
            + utcnow().strftime("%d %B %Y")
            + ".\n"
            "Each .json file is one kind of record; journal.md is your reflective journal.\n",
        )
    audit.record_now(audit.Action.DOWNLOADED_OWN_DATA, actor=user_id, subject=user_id)
    return out.getvalue()


# Erasure ------------------------------------------------------------------------------------------------


def erasure_request(user_id: int) -> ErasureRequest | None:
    return db.session.execute(
        select(ErasureRequest).where(ErasureRequest.user_id == user_id)
    ).scalar_one_or_none()


@uow.transactional
def request_erasure(user_id: int) -> None:
    """Ask for erasure; asking again (a double submit, two tabs at once) changes nothing."""
    if erasure_request(user_id) is not None:
        return
    try:
        with db.session.begin_nested():  # the unique user_id decides a race: one request stands
            db.session.add(ErasureRequest(user_id=user_id))
    except IntegrityError:
        db.session.rollback()
        return
    audit.record(audit.Action.REQUESTED_ERASURE, actor=user_id, subject=user_id)


@dataclass(frozen=True)
class PendingErasure:
    request: ErasureRequest
    name: str
    email: str


def pending_erasures() -> list[PendingErasure]:
    rows = db.session.execute(
        select(ErasureRequest, User.name, User.email)
        .join(User, User.id == ErasureRequest.user_id)
        .where(ErasureRequest.completed_at.is_(None))
        .order_by(ErasureRequest.requested_at)
    ).all()
    return [PendingErasure(r, n, e) for r, n, e in rows]


@uow.transactional
def erase(request_id: int, admin_id: int) -> None:
    """Remove a learner's identity and journal, keeping anonymous counts (one transaction).

    What goes and what stays is each feature's to say (leaders.personal_data). Kept, without a
    name: progress, knowledge-check scores and attendance (they make up the cohort's figures).
    Removed: name, email, job title, organisation, password, journal entries, connections and
    network survey answers by or about them, learning set membership; every session ends.
    """
    request = db.session.get(ErasureRequest, request_id)
    if request is None or request.completed_at is not None:
        abort(404)
    user_id = request.user_id
    cohorts = ", ".join(_cohort_names(user_id)) or "no cohorts"
    personal_data.erase(user_id)
    request.completed_at = utcnow()
    request.completed_by = admin_id
    audit.record(
        audit.Action.ERASED,
        actor=admin_id,
        subject=user_id,
        detail=f"erasure request {request.id}; in {cohorts}",
    )


def _cohort_names(user_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(Cohort.name)
            .join(CohortMember, CohortMember.cohort_id == Cohort.id)
            .where(CohortMember.user_id == user_id)
            .order_by(Cohort.name)
        )
    )


@dataclass(frozen=True)
class ErasurePreview:
    request: ErasureRequest
    name: str
    email: str
    cohorts: list[str]
    journal_entries: int
    connections: int


def erasure_preview(request_id: int) -> ErasurePreview:
    """Who a pending erasure is for and what it will remove, for the confirmation page."""
    request = db.session.get(ErasureRequest, request_id)
    if request is None or request.completed_at is not None:
        abort(404)
    user = db.session.get_one(User, request.user_id)
    cohorts = _cohort_names(user.id)
    count = lambda query: db.session.execute(query).scalar_one()  # noqa: E731
    journal = count(
        select(func.count()).select_from(JournalEntry).where(JournalEntry.user_id == user.id)
    )
    ties = count(
        select(func.count())
        .select_from(Tie)
        .where(or_(Tie.user_a_id == user.id, Tie.user_b_id == user.id))
    )
    return ErasurePreview(request, user.name, user.email, cohorts, journal, ties)
