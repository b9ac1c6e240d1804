"""A finished cohort: most of its learners completed the course, and were issued the certificate.

Greater Manchester 2025 ran for most of last year. Its graduates completed every lesson, passed
the knowledge checks and attended most sessions, so the course's rule (content front matter
``certificate``) says they earned it and ``leaders.credentials`` issues each one a signed Open
Badges 3.0 credential. A few did not finish: the rule gives them nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta

from sqlalchemy import select

from leaders.auth.models import User
from leaders.catalogue.model import Course
from leaders.cohorts.models import Cohort, CohortMember
from leaders.credentials import services as credentials
from leaders.demo_programme.people import add_learners
from leaders.demo_programme.progress import _completed, add_schedule
from leaders.demo_programme.sessions import add_sessions
from leaders.extensions import db
from leaders.learning.models import QuizAttempt
from leaders.organisations.models import Organisation
from leaders.timeutil import UK, uk_today

NAME = "Greater Manchester 2025"
SIZE = 12
#: The first GRADUATES learners finished; the rest stopped part-way.
GRADUATES = 9


def add_finished_cohort(
    rng, course: Course, manager: User, orgs: list[Organisation], password_hash: str, now: datetime
) -> Iterator[str]:
    if db.session.execute(select(Cohort.id).where(Cohort.name == NAME)).first():
        yield f"  {NAME}: already there"
        return
    starts = uk_today(now) - timedelta(days=420)
    cohort = Cohort(
        course_key=course.key, name=NAME, starts_on=starts, ends_on=starts + timedelta(days=330)
    )
    db.session.add(cohort)
    db.session.flush()
    add_schedule(cohort, course, starts)
    db.session.add(CohortMember(cohort_id=cohort.id, user_id=manager.id, role="programme_manager"))
    learners = add_learners(rng, 9, SIZE, orgs, password_hash, now)
    for user in learners:
        db.session.add(
            CohortMember(
                cohort_id=cohort.id,
                user_id=user.id,
                role="learner",
                added_at=datetime.combine(starts, time(9), tzinfo=UK),
            )
        )
    db.session.flush()
    lessons = course.lessons
    for position, user in enumerate(learners):
        done = len(lessons) if position < GRADUATES else len(lessons) * (position - 4) // 10
        for number, lesson in enumerate(lessons[:done]):
            when = datetime.combine(starts + timedelta(days=8 * number + 3), time(12), tzinfo=UK)
            for quiz in lesson.quizzes:
                total = len(quiz.questions)
                db.session.add(
                    QuizAttempt(
                        user_id=user.id,
                        quiz_key=quiz.key,
                        quiz_version=quiz.version,
                        answers=[],
                        score=total,
                        total=total,
                        passed=None if quiz.pass_mark is None else True,
                        created_at=when - timedelta(minutes=5),
                    )
                )
            db.session.add(_completed(user.id, lesson, when))
        user.last_sign_in_at = user.last_active_at = datetime.combine(
            starts + timedelta(days=8 * done + 3), time(12), tzinfo=UK
        )
    add_sessions(rng, cohort, learners, starts, now)
    db.session.flush()
    issued = 0
    for user in learners:
        if credentials.outcome(user.id, course.key).earned:
            credentials.issue(user.id, course.key)
            issued += 1
    yield f"  {NAME}: finished, {len(learners)} learners, {issued} certificates issued"
