"""The cohort's sessions (workshops and learning-set meetings) and registers for those held.

Workshops are in a room, 09:30 to 16:00 UK time; the whole-cohort learning-set rounds are online.
Times are UK wall-clock times, so a programme that runs from autumn to spring has sessions on both
sides of the clock changes. The first round after today is cancelled (to show how that looks), and
the demo learner's own set (Set 1) has meetings of its own.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from leaders.cohorts.models import Attendance, CohortSession, LearningSet, LearningSetMember
from leaders.extensions import db
from leaders.timeutil import UK

JOINING = (
    "Sign in at reception on the ground floor; the Committee Room is on the second floor, with a "
    "lift.\n\nLunch is provided: tell us about any dietary needs."
)


def _at(day, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=UK).astimezone(UTC)


def add_sessions(rng, cohort, learners, starts, now) -> None:
    """A workshop every four weeks and a learning set meeting in between; registers for past ones."""
    day = starts
    number = 1
    cancelled_one = False
    place = f"{cohort.name.split()[0]} Town Hall, Committee Room 2"
    while day <= cohort.ends_on:
        for title, kind, offset in (
            (f"Workshop {number}", "workshop", 0),
            (f"Learning sets, round {number}", "learning_set", 14),
        ):
            session_day = day + timedelta(days=offset)
            online = kind == "learning_set"
            when = _at(session_day, time(10, 0) if online else time(9, 30))
            session = CohortSession(
                cohort_id=cohort.id,
                title=title,
                kind=kind,
                starts_at=when,
                ends_at=_at(session_day, time(12, 0) if online else time(16, 0)),
                location="" if online else place,
                online_url=f"https://meet.example.org/{cohort.id}-round-{number}" if online else "",
                joining_instructions=(
                    "Join from a quiet place with your camera on. Your facilitator opens the room "
                    "ten minutes early."
                    if online
                    else JOINING
                ),
            )
            if online and when > now and not cancelled_one:
                session.cancelled_at = now
                session.sequence = 1
                cancelled_one = True
            db.session.add(session)
            db.session.flush()
            if when < now:
                for position, user in enumerate(learners):
                    if user.last_sign_in_at is None and position % 13 == 5:
                        status = "absent"
                    else:
                        status = rng.choices(["present", "apologies", "absent"], [85, 10, 5])[0]
                    db.session.add(
                        Attendance(session_id=session.id, user_id=user.id, status=status)
                    )
        day += timedelta(days=28)
        number += 1


def add_set_meetings(cohort, now) -> None:
    """Meetings of the cohort's first learning set: one held (with its register), three to come."""
    learning_set = db.session.execute(
        select(LearningSet).where(LearningSet.cohort_id == cohort.id).order_by(LearningSet.id)
    ).scalar()
    if learning_set is None:
        return
    members = list(
        db.session.execute(
            select(LearningSetMember.user_id).where(LearningSetMember.set_id == learning_set.id)
        ).scalars()
    )
    today = now.astimezone(UK).date()
    for weeks in (-3, 1, 5, 9):
        day = today + timedelta(weeks=weeks)
        session = CohortSession(
            cohort_id=cohort.id,
            title=f"{learning_set.name} meeting",
            kind="learning_set",
            set_id=learning_set.id,
            starts_at=_at(day, time(14, 0)),
            ends_at=_at(day, time(15, 30)),
            online_url=f"https://meet.example.org/{cohort.id}-set-{learning_set.id}",
            joining_instructions="Bring one live problem from your work to share with the set.",
        )
        db.session.add(session)
        db.session.flush()
        if session.starts_at < now:
            for user_id in members:
                db.session.add(Attendance(session_id=session.id, user_id=user_id, status="present"))
