"""Demo programme data for development: organisations, three cohorts, progress, attendance.

Deterministic (a fixed random seed) and idempotent (a cohort that exists is left alone), so
`make run` can call it every time. Dates are relative to today, so the dashboard always shows a
programme in flight: some modules open, some due, a few learners at risk.

The parts: people.py (organisations and learners), progress.py (the schedule and each learner's
progress), journal.py (their reflections), sessions.py (sessions and registers) and network.py
(survey waves, ties and a learning set). This module puts them together, cohort by cohort.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, time, timedelta

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from leaders.auth.models import User
from leaders.catalogue.model import Catalogue
from leaders.cohorts.models import Cohort, CohortMember, CohortModule
from leaders.demo_programme.finished import add_finished_cohort
from leaders.demo_programme.network import add_demo_learning_set, add_network
from leaders.demo_programme.people import ORGANISATIONS, add_learners, add_organisations
from leaders.demo_programme.progress import (
    add_demo_learner_progress,
    add_progress,
    add_schedule,
)
from leaders.demo_programme.sessions import add_sessions, add_set_meetings
from leaders.extensions import db
from leaders.timeutil import UK, uk_today, utcnow

__all__ = ["COHORTS", "COURSE", "ORGANISATIONS", "seed_programme"]

COURSE = "leading-your-place"

# cohort name, days since it started, number of learners, the organisations it draws from (indexes)
COHORTS = [
    ("South Yorkshire 2026", 85, 30, range(0, 13)),
    ("Kent and Medway 2026", 45, 24, [13, 14, 15, 16, 17, 18, 23, 24]),
    ("Cumbria 2026", 16, 20, [19, 20, 21, 22, 23]),
]


def seed_programme(
    catalogue: Catalogue, demo_users: dict[str, User], now: datetime | None = None
) -> Iterator[str]:
    """Organisations and three cohorts with a programme in flight. Yields lines to print."""
    now = now or utcnow()
    today = uk_today(now)
    rng = random.Random(2026)
    course = catalogue.course(COURSE)
    if course is None:
        yield f"Demo programme skipped: the course {COURSE} is not in the content."
        return
    orgs = add_organisations()
    yield f"  {len(orgs)} organisations across {len({o.sector for o in orgs})} sectors"
    shared_hash = generate_password_hash(rng.getrandbits(128).to_bytes(16, "big").hex())
    for index, (name, started_days_ago, size, org_indexes) in enumerate(COHORTS):
        if db.session.execute(select(Cohort.id).where(Cohort.name == name)).first():
            yield f"  {name}: already there"
            continue
        starts = today - timedelta(days=started_days_ago)
        cohort = Cohort(
            course_key=COURSE, name=name, starts_on=starts, ends_on=starts + timedelta(days=300)
        )
        db.session.add(cohort)
        db.session.flush()
        add_schedule(cohort, course, starts)
        staff = [(demo_users["manager"], "programme_manager")]
        if index == 0:
            staff += [
                (demo_users["facilitator"], "facilitator"),
                (demo_users["lead"], "organisation_lead"),
            ]
        # Everyone was enrolled before the first day (as the finished cohort's people were):
        # enrolled today, they would all be late joiners, with due dates moved past today.
        enrolled = datetime.combine(starts - timedelta(days=14), time(9), tzinfo=UK)
        demo_learners = {demo_users["learner"].id, demo_users["learner2"].id}
        for user, role in staff:
            db.session.add(
                CohortMember(cohort_id=cohort.id, user_id=user.id, role=role, added_at=enrolled)
            )
        learners = add_learners(rng, index, size, [orgs[i] for i in org_indexes], shared_hash, now)
        if index == 0:
            learners.insert(0, demo_users["learner"])
        if index == 1:
            learners.insert(0, demo_users["learner2"])
        for user in learners:
            # The demo learners joined this week (they have just finished the introduction), so
            # their due dates are later than their cohort's: a late joiner's, as the dashboard says.
            joined = now - timedelta(days=5) if user.id in demo_learners else enrolled
            db.session.add(
                CohortMember(cohort_id=cohort.id, user_id=user.id, role="learner", added_at=joined)
            )
        db.session.flush()
        schedule = {
            m.module_key: m
            for m in db.session.execute(
                select(CohortModule).where(CohortModule.cohort_id == cohort.id)
            ).scalars()
        }
        demo_ids = {demo_users["learner"].id, demo_users["learner2"].id}
        for position, user in enumerate(learners):
            if user.id in demo_ids:
                add_demo_learner_progress(user, course, now)
            else:
                add_progress(rng, user, course, schedule, today, now, position, cohort.id)
        add_sessions(rng, cohort, learners, starts, now)
        if index == 0:
            add_network(rng, cohort, learners, now)
            add_demo_learning_set(cohort, learners[:6], demo_users["facilitator"])
            add_set_meetings(cohort, now)
        yield f"  {name}: {len(learners)} learners, started {starts:%d %B %Y}"
    # A finished cohort whose graduates hold certificates (issue 16).
    yield from add_finished_cohort(rng, course, demo_users["manager"], orgs[:13], shared_hash, now)
