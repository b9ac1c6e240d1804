"""A learner's own data, and erasure on request."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import abort
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql import Executable

from leaders import audit
from leaders.auth import sessions
from leaders.auth.models import User
from leaders.catalogue.model import Catalogue
from leaders.cohorts.models import (
    Attendance,
    Cohort,
    CohortMember,
    CohortSession,
    LearningSetMember,
)
from leaders.extensions import db
from leaders.learning import overview
from leaders.learning.models import JournalEntry, LessonProgress, QuizAttempt
from leaders.learning.reflections import readers
from leaders.network.models import SurveyAnswer, SurveyResponse, Tie
from leaders.privacy.models import ErasureRequest
from leaders.timeutil import utcnow

# A learner's own data -------------------------------------------------------------------------------


def _json(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _rows(query: Executable) -> list[dict[str, Any]]:
    return [{k: _json(v) for k, v in row._mapping.items()} for row in db.session.execute(query)]


def my_data(user_id: int, catalogue: Catalogue) -> bytes:
    """Everything held about a learner: a zip of JSON files, and the journal in Markdown."""
    user = db.session.get_one(User, user_id)
    account = {
        "email": user.email,
        "name": user.name,
        "job_title": user.job_title,
        "role": user.role,
        "organisation_id": user.organisation_id,
        "created_at": _json(user.created_at),
        "last_sign_in_at": _json(user.last_sign_in_at),
        "last_active_at": _json(user.last_active_at),
    }
    files = {
        "account.json": account,
        "cohorts.json": _rows(
            select(Cohort.name, Cohort.course_key, CohortMember.role, CohortMember.added_at)
            .join(CohortMember, CohortMember.cohort_id == Cohort.id)
            .where(CohortMember.user_id == user_id)
        ),
        "progress.json": _rows(
            select(
                LessonProgress.lesson_key,
                LessonProgress.first_viewed_at,
                LessonProgress.last_viewed_at,
                LessonProgress.completed_at,
                LessonProgress.version_completed,
            ).where(LessonProgress.user_id == user_id)
        ),
        "knowledge_checks.json": _rows(
            select(
                QuizAttempt.quiz_key,
                QuizAttempt.answers,
                QuizAttempt.score,
                QuizAttempt.total,
                QuizAttempt.passed,
                QuizAttempt.created_at,
            ).where(QuizAttempt.user_id == user_id)
        ),
        "journal.json": [
            # Every entry, private ones too: they are the author's own.
            {**row, "who_can_read": readers(row["visibility"], row["cohort_id"])}
            for row in _rows(
                select(
                    JournalEntry.prompt_key,
                    JournalEntry.body,
                    JournalEntry.visibility,
                    JournalEntry.cohort_id,
                    Cohort.name.label("cohort"),
                    JournalEntry.created_at,
                    JournalEntry.updated_at,
                )
                .outerjoin(Cohort, Cohort.id == JournalEntry.cohort_id)
                .where(JournalEntry.user_id == user_id)
            )
        ],
        "attendance.json": _rows(
            select(CohortSession.title, CohortSession.starts_at, Attendance.status)
            .join(Attendance, Attendance.session_id == CohortSession.id)
            .where(Attendance.user_id == user_id)
        ),
        "connections.json": _rows(
            select(Tie.user_a_id, Tie.user_b_id, Tie.kind, Tie.note, Tie.created_at).where(
                or_(Tie.user_a_id == user_id, Tie.user_b_id == user_id)
            )
        ),
        "network_survey_answers.json": _rows(
            select(
                SurveyAnswer.wave_id,
                SurveyAnswer.other_id,
                SurveyAnswer.knew_before,
                SurveyAnswer.worked_with,
            ).where(SurveyAnswer.respondent_id == user_id)
        ),
    }
    journal = overview.journal_markdown(user.name, overview.journal(user_id, catalogue), utcnow())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, json.dumps(content, indent=2, ensure_ascii=False))
        archive.writestr("journal.md", journal)
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
    db.session.commit()


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


def erase(request_id: int, admin_id: int) -> None:
    """Remove a learner's identity and journal, keeping anonymous counts (one transaction).

    Kept, without a name: progress, knowledge-check scores and attendance (they make up the cohort's
    figures). Removed: name, email, job title, organisation, password, journal entries, connections
    and network survey answers by or about them, learning set membership.
    """
    request = db.session.get(ErasureRequest, request_id)
    if request is None or request.completed_at is not None:
        abort(404)
    user_id = request.user_id
    cohorts = _cohort_names(user_id)
    db.session.execute(delete(JournalEntry).where(JournalEntry.user_id == user_id))
    db.session.execute(delete(Tie).where(or_(Tie.user_a_id == user_id, Tie.user_b_id == user_id)))
    db.session.execute(
        delete(SurveyAnswer).where(
            or_(SurveyAnswer.respondent_id == user_id, SurveyAnswer.other_id == user_id)
        )
    )
    db.session.execute(delete(SurveyResponse).where(SurveyResponse.respondent_id == user_id))
    db.session.execute(delete(LearningSetMember).where(LearningSetMember.user_id == user_id))
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
    sessions.end_all(user_id, commit=False)  # signed out everywhere, in the same transaction
    request.completed_at = utcnow()
    request.completed_by = admin_id
    audit.record(
        audit.Action.ERASED,
        actor=admin_id,
        subject=user_id,
        detail=f"erasure request {request.id}; in {', '.join(cohorts) or 'no cohorts'}",
    )
    db.session.commit()


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
