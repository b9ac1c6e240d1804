"""Whether a learner has earned a course's certificate: computed from the data, never by hand.

The rule is the course's (front matter ``certificate``; leaders/catalogue/certificate.py). The
learner's lessons, best knowledge-check scores and attendance at their cohort's past sessions are
read and compared with it; the answer lists every unmet part in words. A programme manager's
recorded decision (award or withhold, with a reason) overrides the rule, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from leaders.catalogue.model import Catalogue, Course
from leaders.cohorts.models import (
    Attendance,
    AttendanceStatus,
    Cohort,
    CohortMember,
    CohortRole,
    CohortSession,
)
from leaders.credentials.models import AwardDecision
from leaders.extensions import db
from leaders.learning.models import QuizAttempt
from leaders.learning.progress import course_progress
from leaders.timeutil import utcnow


@dataclass(frozen=True)
class Outcome:
    """The answer for one learner and course."""

    earned: bool
    #: What is not met yet, one sentence each (empty when earned).
    unmet: tuple[str, ...] = ()
    #: When the last required lesson was completed (the award date), if all are.
    completed_at: datetime | None = None
    cohort: Cohort | None = None
    #: "award" or "withhold" when a programme manager decided by hand; its reason.
    decision: str | None = None
    reason: str = ""
    facts: dict[str, object] = field(default_factory=dict)


def learner_cohort(user_id: int, course_key: str) -> Cohort | None:
    """The learner's latest cohort on the course."""
    return db.session.scalars(
        select(Cohort)
        .join(CohortMember, CohortMember.cohort_id == Cohort.id)
        .where(
            CohortMember.user_id == user_id,
            CohortMember.role == CohortRole.LEARNER.value,
            Cohort.course_key == course_key,
        )
        .order_by(CohortMember.added_at.desc(), CohortMember.id.desc())
        .limit(1)
    ).first()


def attendance_percent(user_id: int, cohort_id: int) -> tuple[int, int]:
    """(sessions attended, sessions held so far) in the cohort."""
    held = db.session.scalar(
        select(func.count())
        .select_from(CohortSession)
        .where(CohortSession.cohort_id == cohort_id, CohortSession.starts_at <= utcnow())
    )
    present = db.session.scalar(
        select(func.count())
        .select_from(Attendance)
        .join(CohortSession, CohortSession.id == Attendance.session_id)
        .where(
            CohortSession.cohort_id == cohort_id,
            CohortSession.starts_at <= utcnow(),
            Attendance.user_id == user_id,
            Attendance.status == AttendanceStatus.PRESENT.value,
        )
    )
    return int(present or 0), int(held or 0)


def _best_percents(user_id: int, keys: list[str]) -> dict[str, int]:
    """The best percentage on each quiz key (aliases included) that has attempts."""
    best: dict[str, int] = {}
    if not keys:
        return best
    rows = db.session.execute(
        select(QuizAttempt.quiz_key, QuizAttempt.score, QuizAttempt.total).where(
            QuizAttempt.user_id == user_id, QuizAttempt.quiz_key.in_(keys)
        )
    )
    for key, score, total in rows:
        percent = round(100 * score / total) if total else 0
        best[key] = max(best.get(key, 0), percent)
    return best


def evaluate(user_id: int, course: Course, catalogue: Catalogue) -> Outcome:
    """Whether the learner has earned the course's certificate, and if not, why not."""
    rule = course.certificate
    cohort = learner_cohort(user_id, course.key)
    decision = db.session.scalar(
        select(AwardDecision).where(
            AwardDecision.user_id == user_id, AwardDecision.course_key == course.key
        )
    )
    if rule is None:
        unmet: list[str] = ["this course has no certificate"]
        completed_at = None
    else:
        unmet, completed_at = _check_rule(user_id, course, catalogue, cohort)
    if decision is not None and decision.decision == "withhold":
        return Outcome(
            False,
            ("a programme manager withheld it: " + decision.reason,),
            completed_at,
            cohort,
            "withhold",
            decision.reason,
        )
    if decision is not None and decision.decision == "award":
        return Outcome(
            True, (), completed_at or decision.decided_at, cohort, "award", decision.reason
        )
    return Outcome(not unmet, tuple(unmet), completed_at if not unmet else None, cohort)


def _check_rule(
    user_id: int, course: Course, catalogue: Catalogue, cohort: Cohort | None
) -> tuple[list[str], datetime | None]:
    rule = course.certificate
    assert rule is not None
    unmet: list[str] = []
    progress = course_progress(user_id, catalogue, course)
    lessons = [
        lesson
        for module in course.modules
        if module.key in rule.modules
        for lesson in module.lessons
    ]
    missing = [lesson for lesson in lessons if progress.state(lesson).completed_at is None]
    if missing:
        unmet.append(f"{len(missing)} of {len(lessons)} required lessons are not complete")
    keys = [
        f"{key}#{quiz.id}"
        for lesson in lessons
        for quiz in lesson.quizzes
        for key in (lesson.key, *lesson.aliases)
    ]
    best = _best_percents(user_id, keys)
    failed = 0
    for lesson in lessons:
        for quiz in lesson.quizzes:
            if quiz.pass_mark is None:
                continue
            need = max(quiz.pass_mark, rule.pass_mark or 0)
            got = max(best.get(f"{key}#{quiz.id}", -1) for key in (lesson.key, *lesson.aliases))
            if got < need:
                failed += 1
    if failed:
        noun = "knowledge check is" if failed == 1 else "knowledge checks are"
        unmet.append(f"{failed} {noun} not yet passed at their pass mark")
    if rule.attendance is not None:
        if cohort is None:
            unmet.append("attendance is required, and the learner is in no cohort on the course")
        else:
            present, held = attendance_percent(user_id, cohort.id)
            percent = round(100 * present / held) if held else 0
            if percent < rule.attendance:
                unmet.append(
                    f"attended {present} of {held} sessions ({percent}%); "
                    f"at least {rule.attendance}% is needed"
                )
    dates = [progress.state(lesson).completed_at for lesson in lessons]
    completed_at = max((d for d in dates if d is not None), default=None) if not missing else None
    return unmet, completed_at
