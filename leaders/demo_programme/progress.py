"""The cohort's schedule, and each learner's progress through it: lessons, quizzes, reflections."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from leaders.cohorts.models import Cohort, CohortModule
from leaders.demo_programme.journal import reflect
from leaders.extensions import db
from leaders.learning.models import LessonProgress, QuizAttempt
from leaders.timeutil import UK


def add_schedule(cohort: Cohort, course, starts: date) -> None:
    """The introduction and module 1 open at the start; one module a month after that, due a month on."""
    for i, module in enumerate(course.modules):
        opens = starts + timedelta(days=30 * max(0, i - 1))
        db.session.add(
            CohortModule(
                cohort_id=cohort.id,
                module_key=module.key,
                opens_on=opens,
                due_on=opens + timedelta(days=35),
            )
        )


def add_progress(rng, user, course, schedule, today, now, position, cohort_id) -> None:
    """Most learners keep up; some lag; a few never start or drift away (the at-risk cases)."""
    kind = "never" if position % 13 == 5 else "drifted" if position % 11 == 3 else None
    # Most finish each module by its due date; a few fall behind on one; current modules are part done.
    behind_on = rng.choice([None] * 6 + ["one"])
    pace_now = rng.choice([1.0, 0.8, 0.6, 0.5, 0.3])
    if kind == "never":
        return  # invited, never signed in
    last_active = now - timedelta(days=rng.randint(0, 5))
    if kind == "drifted":
        last_active = now - timedelta(days=rng.randint(18, 30))
    user.last_sign_in_at = last_active - timedelta(hours=rng.randint(0, 48))
    user.last_active_at = last_active
    lagging_module = None
    for module in course.modules:
        row = schedule.get(module.key)
        if row and row.opens_on and row.opens_on > today:
            break
        due_passed = bool(row and row.due_on and row.due_on < today)
        if due_passed and behind_on and lagging_module is None and rng.random() < 0.5:
            lagging_module = module.key
        if kind == "drifted":
            pace = 0.5
        elif due_passed and module.key != lagging_module:
            pace = 1.0
        else:
            pace = pace_now if not due_passed else 0.5
        for lesson in module.lessons:
            if rng.random() > pace:
                continue
            when = min(
                now,
                datetime.combine(row.opens_on if row else today, time(12), tzinfo=UK)
                + timedelta(days=rng.randint(1, 20), hours=rng.randint(0, 8)),
            )
            if kind == "drifted":
                when = min(when, last_active)
            db.session.add(_completed(user.id, lesson, when))
            for quiz in lesson.quizzes:
                total = len(quiz.questions)
                first_score = max(0, total - rng.randint(1, 3))
                db.session.add(
                    QuizAttempt(
                        user_id=user.id,
                        quiz_key=quiz.key,
                        quiz_version=quiz.version,
                        answers=[
                            [q.options.index(next(o for o in q.options if o.correct))]
                            for q in quiz.questions
                        ],
                        score=first_score,
                        total=total,
                        passed=None
                        if quiz.pass_mark is None
                        else 100 * first_score >= quiz.pass_mark * total,
                        created_at=when - timedelta(minutes=6),
                    )
                )
                if quiz.pass_mark and 100 * first_score < quiz.pass_mark * total:
                    db.session.add(
                        QuizAttempt(
                            user_id=user.id,
                            quiz_key=quiz.key,
                            quiz_version=quiz.version,
                            answers=[],
                            score=total,
                            total=total,
                            passed=True,
                            created_at=when - timedelta(minutes=2),
                        )
                    )
            reflect(rng, user, lesson, when, cohort_id)


def add_demo_learner_progress(user, course, now) -> None:
    """The demo learner has finished the introduction, so "continue" points at module 1."""
    for lesson in course.modules[0].lessons:
        when = now - timedelta(days=3)
        db.session.add(_completed(user.id, lesson, when))


def _completed(user_id: int, lesson, when: datetime) -> LessonProgress:
    """A lesson first opened and completed at `when`, in its current version."""
    return LessonProgress(
        user_id=user_id,
        lesson_key=lesson.key,
        first_viewed_at=when,
        last_viewed_at=when,
        completed_at=when,
        version_completed=lesson.version,
    )
