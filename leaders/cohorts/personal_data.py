"""What cohorts hold about a person: memberships, attendance, learning sets, reminders sent,
imports staged."""

from __future__ import annotations

from sqlalchemy import delete, select

from leaders import personal_data
from leaders.cohorts.models import (
    Attendance,
    CalendarFeed,
    Cohort,
    CohortMember,
    CohortSession,
    LearningSetMember,
)
from leaders.extensions import db

_COUNTS = "kept without a name: they make up the cohort's figures"

personal_data.register(
    "cohorts.json",
    tables=["cohort_member"],
    shown_as="your cohorts",
    export=lambda user_id: personal_data.rows(
        select(Cohort.name, Cohort.course_key, CohortMember.role, CohortMember.added_at)
        .join(CohortMember, CohortMember.cohort_id == Cohort.id)
        .where(CohortMember.user_id == user_id)
    ),
    kept=_COUNTS,
)
personal_data.register(
    "attendance.json",
    tables=["attendance"],
    shown_as="attendance",
    export=lambda user_id: personal_data.rows(
        select(CohortSession.title, CohortSession.starts_at, Attendance.status)
        .join(Attendance, Attendance.session_id == CohortSession.id)
        .where(Attendance.user_id == user_id)
    ),
    kept=_COUNTS,
)


def _erase_learning_sets(user_id: int) -> None:
    db.session.execute(delete(LearningSetMember).where(LearningSetMember.user_id == user_id))


personal_data.register("learning sets", tables=["learning_set_member"], erase=_erase_learning_sets)
personal_data.register(
    "reminders sent",
    tables=["reminder_log"],
    kept="which weeks a reminder went (by id), so that none is sent twice",
)
personal_data.register(
    "imports staged",
    tables=["pending_import"],
    kept="a staff member's staged import, deleted when it is confirmed",
)


def _erase_calendar_feed(user_id: int) -> None:
    db.session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == user_id))


personal_data.register("calendar link", tables=["calendar_feed"], erase=_erase_calendar_feed)
