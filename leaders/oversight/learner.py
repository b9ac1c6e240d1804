"""One learner's record for the cohort's staff: progress, knowledge checks, attendance, reflections."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from flask import abort
from sqlalchemy import func, select

from leaders.catalogue.model import Catalogue
from leaders.cohorts.access import CohortAccess
from leaders.cohorts.models import Attendance, CohortRole, CohortSession
from leaders.cohorts.services import Person, people
from leaders.extensions import db
from leaders.learning.models import LessonProgress, QuizAttempt
from leaders.learning.reflections import SharedEntry, shared_by


@dataclass(frozen=True)
class LearnerRecord:
    person: Person
    #: Lesson key → (completed at, last viewed at).
    progress: Mapping[str, tuple[datetime | None, datetime | None]]
    scores: list[tuple[str, str, int, int, int]]
    attendance: list[tuple[CohortSession, str | None]]
    #: What the learner wrote in this cohort and shared with the viewer (the rule is in
    #: leaders/learning/reflections.py: only the cohort's facilitators read any of it here).
    reflections: list[SharedEntry]


def learner_record(
    access: CohortAccess, catalogue: Catalogue, user_id: int, *, viewer_id: int
) -> LearnerRecord:
    """A learner's progress, best knowledge-check scores, attendance and the reflections they
    wrote in this cohort and shared with the viewer."""
    person = next((p for p in people(access, CohortRole.LEARNER) if p.user_id == user_id), None)
    if person is None:
        abort(404)
    course = catalogue.courses[access.cohort.course_key]
    prefix = f"{course.key}/"
    progress = {}
    for key, completed_at, last_viewed in db.session.execute(
        select(
            LessonProgress.lesson_key, LessonProgress.completed_at, LessonProgress.last_viewed_at
        ).where(LessonProgress.user_id == user_id, LessonProgress.lesson_key.startswith(prefix))
    ):
        lesson = catalogue.lesson(key)
        if lesson:
            progress[lesson.key] = (completed_at, last_viewed)
    scores = []
    for quiz_key, best, total, attempts in db.session.execute(
        select(
            QuizAttempt.quiz_key,
            func.max(QuizAttempt.score),
            func.max(QuizAttempt.total),
            func.count(),
        )
        .where(QuizAttempt.user_id == user_id, QuizAttempt.quiz_key.startswith(prefix))
        .group_by(QuizAttempt.quiz_key)
    ):
        quiz = catalogue.quiz(quiz_key)
        lesson = catalogue.lesson(quiz_key.partition("#")[0])
        if quiz and lesson:
            scores.append((lesson.title, quiz.title or "Knowledge check", best, total, attempts))
    # Outer-joined: a session with no mark for the learner has no status.
    attendance: list[tuple[CohortSession, str | None]] = [
        (s, status)
        for s, status in db.session.execute(
            select(CohortSession, Attendance.status)
            .outerjoin(
                Attendance,
                (Attendance.session_id == CohortSession.id) & (Attendance.user_id == user_id),
            )
            .where(CohortSession.cohort_id == access.cohort.id)
            .order_by(CohortSession.starts_at)
        ).all()
    ]
    reflections = shared_by(viewer_id, user_id, access.cohort.id, catalogue)
    return LearnerRecord(person, progress, scores, attendance, reflections)
