"""What the cohort dashboard reads besides its people: the schedule, and what it counts in the
database (lessons completed per learner and module, attendance marks per learner). Each statement
is built once (per course content, or once) with the cohort bound when it runs: building them and
their cache keys on every view took about as long as running them.

Lessons completed come back as one row per learner, the counts for all modules packed in a
whole number: module i's count in its own bits of the sum, at `Completions.layout[i]`. The
database adds `1 << shift` for each completed lesson, so the counts never carry into each other: a
learner has at most one progress row per lesson key (a unique constraint), so a module's count is
at most its keys (lessons and old aliases), and each module has bits for that many. Why not
GROUP BY learner and module: that sorted every completed lesson in a temporary B-tree and sent
back one row per learner and module; grouping by learner alone follows the index the join reads,
so nothing is sorted (bench/dashboard.py, 200 learners: the query went from 1.6 to 0.9 ms in
SQLite, and 939 rows to 179). Learners with the same packed value have the same progress, so the
dashboard uses it as it is and unpacks it once per distinct value.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from sqlalchemy import ColumnElement, Select, bindparam, case, func, literal_column, select

from leaders.catalogue.model import Course
from leaders.cohorts.access import CohortAccess, ModuleDates
from leaders.cohorts.models import (
    Attendance,
    AttendanceStatus,
    CohortMember,
    CohortModule,
    CohortRole,
    CohortSession,
)
from leaders.extensions import db
from leaders.learning.models import LessonProgress

#: Bits per summed column: a signed 64-bit integer (SQLite's, and PostgreSQL's bigint) holds 63,
#: and one is left spare.
_COLUMN_BITS = 62


@dataclass(frozen=True)
class Completions:
    """Each learner's completed lessons per module, packed (see the module's docstring)."""

    #: Learner → their packed counts, one whole number per summed column.
    packed: dict[int, tuple[int, ...]]
    #: For each module: (column, shift, mask) of its count in the packed value.
    layout: tuple[tuple[int, int, int], ...]
    #: The packed value of a learner with no lessons completed.
    nothing: tuple[int, ...]

    def unpack(self, packed: tuple[int, ...]) -> list[int]:
        """The lessons completed in each module, in course order."""
        return [(packed[column] >> shift) & mask for column, shift, mask in self.layout]


def completions(access: CohortAccess, course: Course) -> Completions:
    """Lessons completed per learner and module, counted in the database (one query).

    Progress rows hold lesson keys; a CASE over each module's keys (and old aliases) maps each to
    its module's place in the sum. Rows for lessons no longer in the course (or of another course)
    add nothing. An organisation lead's view is narrowed once, by `people`; the dashboard looks up
    only the learners it shows.
    """
    modules = tuple(
        tuple(key for lesson in module.lessons for key in (lesson.key, *lesson.aliases))
        for module in course.modules
    )
    layout = _layout(modules)
    query = _completions_query(modules, layout)
    rows = db.session.connection().execute(query, {"cohort_id": access.cohort.id}).all()
    columns = 1 + max((column for column, _shift, _mask in layout), default=0)
    return Completions(
        {row[0]: tuple(int(total or 0) for total in row[1:]) for row in rows},
        layout,
        (0,) * columns,
    )


def _layout(modules: tuple[tuple[str, ...], ...]) -> tuple[tuple[int, int, int], ...]:
    """Each module's (column, shift, mask): bits enough for its count of keys, modules side by
    side, a new column when one is full."""
    layout = []
    column = shift = 0
    for keys in modules:
        bits = len(keys).bit_length()
        if shift + bits > _COLUMN_BITS:
            column, shift = column + 1, 0
        layout.append((column, shift, (1 << bits) - 1))
        shift += bits
    return tuple(layout)


@lru_cache(maxsize=16)
def _completions_query(
    modules: tuple[tuple[str, ...], ...], layout: tuple[tuple[int, int, int], ...]
) -> Select:
    """The statement for `completions`, built once per course content (its lessons' keys by
    module): building the CASE took longer than running it."""
    sums = []
    for column in range(1 + max((c for c, _s, _m in layout), default=0)):
        # Each weight is a whole number we made, written into the statement as it is.
        weights: list[tuple[ColumnElement[bool], ColumnElement[int]]] = [
            (LessonProgress.lesson_key.in_(keys), literal_column(str(1 << shift)))
            for keys, (in_column, shift, _mask) in zip(modules, layout, strict=True)
            if keys and in_column == column
        ]
        zero: ColumnElement[int] = literal_column("0")
        sums.append(func.sum(case(*weights, else_=zero) if weights else zero))
    return (
        select(CohortMember.user_id, *sums)
        .join(LessonProgress, LessonProgress.user_id == CohortMember.user_id)
        .where(
            CohortMember.cohort_id == bindparam("cohort_id"),
            CohortMember.role == CohortRole.LEARNER.value,
            LessonProgress.completed_at.is_not(None),
        )
        .group_by(CohortMember.user_id)
    )


def module_dates(access: CohortAccess) -> dict[str, ModuleDates]:
    """The cohort's schedule: module key → when it opens and is due (no row: open, no due date).
    Read as plain columns, not CohortModule objects the dashboard would only read two dates of."""
    rows = db.session.connection().execute(_module_dates_query(), {"cohort_id": access.cohort.id})
    return {key: ModuleDates(opens_on, due_on) for key, opens_on, due_on in rows}


@lru_cache(maxsize=1)
def _module_dates_query() -> Select:
    return select(CohortModule.module_key, CohortModule.opens_on, CohortModule.due_on).where(
        CohortModule.cohort_id == bindparam("cohort_id")
    )


#: A learner's (present, absent, apologies) marks at the sessions held so far.
Marks = tuple[int, int, int]
NO_MARKS: Marks = (0, 0, 0)


def attendance(access: CohortAccess, now: datetime) -> tuple[int, dict[int, Marks]]:
    """The sessions held so far, and each learner's marks at them, counted in the database (one
    query, and a second only when no one has a mark yet)."""
    params = {"cohort_id": access.cohort.id, "now": now}
    marks, held_query = _attendance_queries()
    connection = db.session.connection()
    rows = connection.execute(marks, params).all()
    held = rows[0][4] if rows else connection.execute(held_query, params).scalar()
    return held or 0, {
        user_id: (present, absent, apologies) for user_id, present, absent, apologies, _ in rows
    }


@lru_cache(maxsize=1)
def _attendance_queries() -> tuple[Select, Select]:
    """The statements for `attendance`: each learner's marks, and the sessions held."""
    held_so_far = (CohortSession.cohort_id == bindparam("cohort_id")) & (
        CohortSession.starts_at <= bindparam("now")
    )
    held_query = select(func.count()).select_from(CohortSession).where(held_so_far)

    def marked(status: AttendanceStatus):
        return func.count(case((Attendance.status == status.value, 1)))

    marks = (
        select(
            Attendance.user_id,
            marked(AttendanceStatus.PRESENT),
            marked(AttendanceStatus.ABSENT),
            marked(AttendanceStatus.APOLOGIES),
            held_query.scalar_subquery(),
        )
        .join(CohortSession, CohortSession.id == Attendance.session_id)
        .where(held_so_far)
        .group_by(Attendance.user_id)
    )
    return marks, held_query
