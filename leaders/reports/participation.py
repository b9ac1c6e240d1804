"""The report's learning figures for one cohort: who took part, completion, attendance, checks.

Who counts: the cohort's learners whose accounts are open (as on the dashboard: erased people's
progress stays only inside anonymous totals elsewhere), narrowed to an organisation lead's own
staff by `cohorts.services.people`. The reporting period bounds what is counted: lessons completed
by its last day, sessions held within it (and not after now), knowledge-check attempts within it.
With no period chosen the figures are the dashboard's, to date.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import case, func, select

from leaders.auth.models import User
from leaders.catalogue.model import Course
from leaders.charts import Count, counts, percent
from leaders.cohorts.access import CohortAccess
from leaders.cohorts.models import Attendance, AttendanceStatus, CohortRole, CohortSession
from leaders.cohorts.services import Person, people
from leaders.extensions import db
from leaders.filters import UK
from leaders.learning.models import LessonProgress, QuizAttempt
from leaders.organisations.models import Organisation
from leaders.organisations.sectors import sector_label
from leaders.places.models import Place, PlaceKind
from leaders.timeutil import utcnow


@dataclass(frozen=True)
class Period:
    """The reporting period, both days included; None at either end: from the start, to date."""

    start: date | None = None
    end: date | None = None

    def _at(self, day: date) -> datetime:
        return datetime.combine(day, time.min, tzinfo=UK)

    @property
    def after(self) -> datetime | None:
        return self._at(self.start) if self.start else None

    @property
    def before(self) -> datetime | None:
        """The first moment after the period (the day after its last day, at midnight UK time)."""
        return self._at(self.end + timedelta(days=1)) if self.end else None

    @property
    def label(self) -> str:
        if self.start and self.end:
            return f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"
        if self.start:
            return f"From {self.start:%-d %B %Y} to date"
        if self.end:
            return f"From the start to {self.end:%-d %B %Y}"
        return "The whole programme to date"


@dataclass(frozen=True)
class PlaceRow:
    """One local authority on the place map, as a table row."""

    code: str
    name: str
    kind: str
    learners: int


@dataclass(frozen=True)
class QuizRow:
    title: str
    lesson: str
    attempted: int
    passed: int
    #: The mean of each learner's best score, as a percentage; None when nobody attempted it.
    mean_best_percent: int | None
    has_pass_mark: bool
    #: The sum of each learner's best score as a fraction (so cohorts add up exactly).
    best_total: float = 0.0


@dataclass(frozen=True)
class SessionRow:
    title: str
    starts_at: datetime
    present: int
    apologies: int
    absent: int


@dataclass(frozen=True)
class Participation:
    learners: int
    by_sector: list[Count]
    by_organisation: list[Count]
    by_place: list[Count]
    places: list[PlaceRow]
    #: Lessons completed of those possible (learners x lessons), and as a percentage.
    lessons_completed: int
    lessons_possible: int
    completion_percent: int
    completed_course: int
    #: Learners who completed every lesson of each module, in course order.
    funnel: list[Count]
    sessions_held: int
    present: int
    apologies: int
    absent: int
    #: Places at sessions: each cohort's learners x its sessions held (summed across cohorts).
    attendance_places: int
    #: Present marks of those places.
    attendance_percent: int
    sessions: list[SessionRow]
    quizzes: list[QuizRow]


def learners_of(access: CohortAccess) -> list[Person]:
    return [p for p in people(access, CohortRole.LEARNER) if p.active]


def _places(ids: set[int]) -> list[PlaceRow]:
    if not ids:
        return []
    rows = db.session.execute(
        select(Place.code, Place.name, Place.kind, func.count(User.id))
        .join(Organisation, Organisation.place_code == Place.code)
        .join(User, User.organisation_id == Organisation.id)
        .where(User.id.in_(ids))
        .group_by(Place.code, Place.name, Place.kind)
    ).all()
    return sorted(
        (PlaceRow(code, name, PlaceKind(kind).label, n) for code, name, kind, n in rows),
        key=lambda r: (-r.learners, r.name),
    )


def _completed(course: Course, ids: set[int], period: Period) -> dict[int, set[str]]:
    """Each learner's completed lessons of the course (canonical keys), by the period's end."""
    canonical = {
        key: lesson.key
        for module in course.modules
        for lesson in module.lessons
        for key in (lesson.key, *lesson.aliases)
    }
    query = select(LessonProgress.user_id, LessonProgress.lesson_key).where(
        LessonProgress.user_id.in_(ids),
        LessonProgress.completed_at.is_not(None),
        LessonProgress.lesson_key.startswith(f"{course.key}/"),
    )
    if period.before:
        query = query.where(LessonProgress.completed_at < period.before)
    done: dict[int, set[str]] = {i: set() for i in ids}
    for user_id, key in db.session.execute(query):
        if key in canonical:
            done[user_id].add(canonical[key])
    return done


def _sessions(access: CohortAccess, ids: set[int], period: Period) -> list[SessionRow]:
    now = utcnow()
    query = select(CohortSession).where(
        CohortSession.cohort_id == access.cohort.id, CohortSession.starts_at <= now
    )
    if period.after:
        query = query.where(CohortSession.starts_at >= period.after)
    if period.before:
        query = query.where(CohortSession.starts_at < period.before)
    sessions = list(db.session.execute(query.order_by(CohortSession.starts_at)).scalars())
    marks: dict[int, Counter] = {s.id: Counter() for s in sessions}
    if sessions and ids:
        for session_id, status, n in db.session.execute(
            select(Attendance.session_id, Attendance.status, func.count())
            .where(Attendance.session_id.in_(marks), Attendance.user_id.in_(ids))
            .group_by(Attendance.session_id, Attendance.status)
        ):
            marks[session_id][status] = n
    return [
        SessionRow(
            s.title,
            s.starts_at,
            marks[s.id][AttendanceStatus.PRESENT.value],
            marks[s.id][AttendanceStatus.APOLOGIES.value],
            marks[s.id][AttendanceStatus.ABSENT.value],
        )
        for s in sessions
    ]


def _quizzes(course: Course, ids: set[int], period: Period) -> list[QuizRow]:
    quizzes = [
        (lesson, quiz) for m in course.modules for lesson in m.lessons for quiz in lesson.quizzes
    ]
    if not quizzes:
        return []
    query = select(
        QuizAttempt.user_id,
        QuizAttempt.quiz_key,
        func.max(QuizAttempt.score * 1.0 / QuizAttempt.total),
        func.max(case((QuizAttempt.passed.is_(True), 1), else_=0)),
    ).where(
        QuizAttempt.user_id.in_(ids),
        QuizAttempt.quiz_key.in_([quiz.key for _, quiz in quizzes]),
        QuizAttempt.total > 0,
    )
    if period.after:
        query = query.where(QuizAttempt.created_at >= period.after)
    if period.before:
        query = query.where(QuizAttempt.created_at < period.before)
    best: dict[str, list[tuple[float, bool]]] = {}
    for _user, key, score, passed in db.session.execute(
        query.group_by(QuizAttempt.user_id, QuizAttempt.quiz_key)
    ):
        best.setdefault(key, []).append((float(score), bool(passed)))
    rows = []
    for lesson, quiz in quizzes:
        scores = best.get(quiz.key, [])
        rows.append(
            QuizRow(
                quiz.title or lesson.title,
                lesson.title,
                len(scores),
                sum(1 for _, ok in scores if ok),
                round(100 * sum(s for s, _ in scores) / len(scores)) if scores else None,
                quiz.pass_mark is not None,
                sum(s for s, _ in scores),
            )
        )
    return rows


def participation(access: CohortAccess, course: Course, period: Period) -> Participation:
    """Every learning figure of the report for one cohort (about seven queries)."""
    learners = learners_of(access)
    ids = {p.user_id for p in learners}
    n = len(learners)
    done = _completed(course, ids, period)
    lessons = {lesson.key for m in course.modules for lesson in m.lessons}
    completed = sum(len(keys) for keys in done.values())
    funnel = []
    for module in course.modules:
        keys = {lesson.key for lesson in module.lessons}
        finished = sum(1 for i in ids if keys <= done[i])
        funnel.append(Count(module.title, finished, percent(finished, n)))
    sessions = _sessions(access, ids, period)
    present = sum(s.present for s in sessions)
    return Participation(
        learners=n,
        by_sector=counts([sector_label(p.sector, "Not recorded") for p in learners], n),
        by_organisation=counts([p.organisation or "Not recorded" for p in learners], n),
        by_place=counts([p.place or "Not recorded" for p in learners], n),
        places=_places(ids),
        lessons_completed=completed,
        lessons_possible=n * len(lessons),
        completion_percent=percent(completed, n * len(lessons)),
        completed_course=sum(1 for i in ids if lessons <= done[i]),
        funnel=funnel,
        sessions_held=len(sessions),
        present=present,
        apologies=sum(s.apologies for s in sessions),
        absent=sum(s.absent for s in sessions),
        attendance_places=n * len(sessions),
        attendance_percent=percent(present, n * len(sessions)),
        sessions=sessions,
        quizzes=_quizzes(course, ids, period),
    )
