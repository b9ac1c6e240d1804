"""The cohort's sessions (workshops and learning-set meetings) and registers for those held."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from leaders.cohorts.models import Attendance, CohortSession
from leaders.extensions import db
from leaders.timeutil import UK


def add_sessions(rng, cohort, learners, starts, now) -> None:
    """A workshop every four weeks and a learning set meeting in between; registers for past ones."""
    day = starts
    number = 1
    while day <= cohort.ends_on:
        for title, kind, offset in (
            (f"Workshop {number}", "workshop", 0),
            (f"Learning sets, round {number}", "learning_set", 14),
        ):
            when = datetime.combine(
                day + timedelta(days=offset), time(9, 30), tzinfo=UK
            ).astimezone(UTC)
            session = CohortSession(
                cohort_id=cohort.id,
                title=title,
                kind=kind,
                starts_at=when,
                location="Town hall" if kind == "workshop" else "Online",
            )
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
