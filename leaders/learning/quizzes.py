"""Knowledge checks: a learner's attempts, marking, and the pass marks that hold a lesson open."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Integer, bindparam, select

from leaders.catalogue.model import Lesson, Quiz
from leaders.extensions import db
from leaders.learning.models import QuizAttempt
from leaders.sqlkeys import in_keys, key_values
from leaders.uow import transactional


def _all_keys(lesson: Lesson) -> tuple[str, ...]:
    return (lesson.key, *lesson.aliases)


def fragment_keys(lesson: Lesson, fragment: str) -> list[str]:
    return [f"{key}#{fragment}" for key in _all_keys(lesson)]


@dataclass(frozen=True)
class QuizRecord:
    """A learner's attempts at one quiz."""

    quiz: Quiz
    attempts: tuple[Attempt, ...] = ()

    @property
    def latest(self) -> Attempt | None:
        return self.attempts[-1] if self.attempts else None

    @property
    def best(self) -> Attempt | None:
        return max(self.attempts, key=lambda a: (a.score, a.created_at)) if self.attempts else None

    @property
    def passed(self) -> bool:
        return any(a.passed for a in self.attempts)


@dataclass(frozen=True)
class Attempt:
    """A quiz attempt as pages show it (read as plain columns: lesson pages load many)."""

    id: int
    quiz_key: str
    quiz_version: str
    answers: list
    score: int
    total: int
    passed: bool | None
    created_at: datetime

    @property
    def percent(self) -> int:
        return round(100 * self.score / self.total) if self.total else 0


# Completing a lesson reads the attempts with this (the lesson page reads them with its journal
# entries, in learning.services): built once per number of keys (leaders.sqlkeys).
@lru_cache(maxsize=16)
def _attempts_query(keys: int) -> Any:
    return (
        select(
            QuizAttempt.id,
            QuizAttempt.quiz_key,
            QuizAttempt.quiz_version,
            QuizAttempt.answers,
            QuizAttempt.score,
            QuizAttempt.total,
            QuizAttempt.passed,
            QuizAttempt.created_at,
        )
        .where(
            QuizAttempt.user_id == bindparam("user_id", type_=Integer),
            in_keys(QuizAttempt.quiz_key, "key", keys),
        )
        .order_by(QuizAttempt.created_at, QuizAttempt.id)
    )


def quiz_records(user_id: int, lesson: Lesson) -> dict[str, QuizRecord]:
    if not lesson.quizzes:
        return {}
    keys = [k for quiz in lesson.quizzes for k in fragment_keys(lesson, quiz.id)]
    params = {"user_id": user_id, **key_values("key", keys)}
    rows = db.session.connection().execute(_attempts_query(len(keys)), params)
    return records_of(lesson, [Attempt(*row) for row in rows])


def records_of(lesson: Lesson, attempts: Iterable[Attempt]) -> dict[str, QuizRecord]:
    """The lesson's checks' records, by quiz id, from the learner's attempts (oldest first)."""
    by_id: dict[str, list[Attempt]] = {quiz.id: [] for quiz in lesson.quizzes}
    for attempt in attempts:
        by_id[attempt.quiz_key.partition("#")[2]].append(attempt)
    return {quiz.id: QuizRecord(quiz, tuple(by_id[quiz.id])) for quiz in lesson.quizzes}


def blocking_quizzes(lesson: Lesson, records: Mapping[str, QuizRecord]) -> tuple[Quiz, ...]:
    """Quizzes with a pass mark that the learner has not yet passed."""
    return tuple(
        quiz
        for quiz in lesson.quizzes
        if quiz.pass_mark is not None and not (quiz.id in records and records[quiz.id].passed)
    )


class NotYetPassed(Exception):
    """The lesson has a knowledge check with a pass mark that the learner has not reached."""

    def __init__(self, quizzes: tuple[Quiz, ...]) -> None:
        self.quizzes = quizzes
        super().__init__(", ".join(q.title for q in quizzes))


class AnswerError(ValueError):
    """The submitted answers cannot be marked: the message says what to do, by question."""

    def __init__(self, missing: list[int]) -> None:
        self.missing = missing
        super().__init__(", ".join(map(str, missing)))


def mark(quiz: Quiz, answers: Mapping[int, frozenset[int]]) -> tuple[int, list[list[int]]]:
    """Score answers (question index → chosen option indexes) against the catalogue."""
    missing = [q.index for q in quiz.questions if not answers.get(q.index)]
    if missing:
        raise AnswerError(missing)
    score = sum(1 for q in quiz.questions if answers[q.index] == q.correct_indexes)
    return score, [sorted(answers[q.index]) for q in quiz.questions]


@transactional
def submit_quiz(
    user_id: int, lesson: Lesson, quiz: Quiz, answers: Mapping[int, frozenset[int]]
) -> QuizAttempt:
    """Mark and keep an attempt; AnswerError if a question is unanswered."""
    score, stored = mark(quiz, answers)
    total = len(quiz.questions)
    passed = None if quiz.pass_mark is None else 100 * score >= quiz.pass_mark * total
    attempt = QuizAttempt(
        user_id=user_id,
        quiz_key=quiz.key,
        quiz_version=quiz.version,
        answers=stored,
        score=score,
        total=total,
        passed=passed,
    )
    db.session.add(attempt)
    return attempt
