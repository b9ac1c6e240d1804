"""Nudge learners at risk and send managers a weekly digest: daily in the job queue, or by cron.

The queue's consumer runs `daily_reminders` every day at 06:00 UTC; `flask send-reminders` does the
same for operators who prefer cron. Idempotent: a reminder is recorded (unique per person, cohort,
kind and ISO week) in the same transaction as its email in the outbox, so running the job twice in
a week, or twice at once (two consumers), never queues the same reminder twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from flask import render_template
from huey import crontab
from sqlalchemy import select

from leaders import outbox, uow
from leaders.auth.models import User
from leaders.catalogue.model import Catalogue
from leaders.catalogue.store import get_catalogue
from leaders.cohorts.access import CohortAccess
from leaders.cohorts.models import Cohort, CohortMember, CohortRole, ReminderLog
from leaders.cohorts.services import people
from leaders.extensions import db
from leaders.network.models import SurveyResponse, SurveyWave
from leaders.oversight import dashboard
from leaders.timeutil import uk_today, utcnow
from leaders.upsert import insert

log = logging.getLogger(__name__)


@dataclass
class Sent:
    at_risk: int = 0
    digests: int = 0
    surveys: int = 0
    skipped: int = 0


def iso_week(now: datetime) -> str:
    year, week, _ = now.isocalendar()
    return f"{year}-W{week:02d}"


def _claim(user_id: int, cohort_id: int, kind: str, week: str, detail: str) -> bool:
    """Record the reminder unless it was already sent this week; True if this run should send it.

    Not a unit of its own: the record commits with the reminder's email (`_send` is the unit).
    """
    stmt = (
        insert(ReminderLog)
        .values(user_id=user_id, cohort_id=cohort_id, kind=kind, week=week, detail=detail[:1000])
        .on_conflict_do_nothing(index_elements=["user_id", "cohort_id", "kind", "week"])
        .returning(ReminderLog.id)
    )
    # A row comes back only if this run inserted it (rowcount is not reliable here on PostgreSQL).
    return db.session.execute(stmt).first() is not None


def send_reminders(catalogue: Catalogue, now: datetime | None = None) -> Sent:
    now = now or utcnow()
    today = uk_today(now)
    week = iso_week(now)
    sent = Sent()
    cohorts = (
        db.session.execute(select(Cohort).where(Cohort.starts_on <= today, Cohort.ends_on >= today))
        .scalars()
        .all()
    )
    for cohort in cohorts:
        if cohort.course_key not in catalogue.courses:
            continue
        board = dashboard.build(CohortAccess(cohort, None, True), catalogue, now)
        for row in board.at_risk:
            if not _claim(row.person.user_id, cohort.id, "at-risk", week, "; ".join(row.risks)):
                sent.skipped += 1
                continue
            _send(
                (row.person, cohort, "at-risk"),
                f"Keep going with {cohort.name}",
                "oversight/email/at_risk",
                person=row.person,
                row=row,
                cohort=cohort,
                board=board,
            )
            sent.at_risk += 1
        for wave, person in _unanswered_surveys(cohort):
            kind = f"survey-{wave.name}"
            if not _claim(person.user_id, cohort.id, kind, week, "network survey not answered"):
                sent.skipped += 1
                continue
            _send(
                (person, cohort, kind),
                f"{cohort.name}: the {wave.name} network survey",
                "oversight/email/survey",
                person=person,
                cohort=cohort,
                wave=wave,
            )
            sent.surveys += 1
        managers = (
            db.session.execute(
                select(User)
                .join(CohortMember, CohortMember.user_id == User.id)
                .where(
                    CohortMember.cohort_id == cohort.id,
                    CohortMember.role == CohortRole.PROGRAMME_MANAGER.value,
                    User.active.is_(True),
                )
            )
            .scalars()
            .all()
        )
        for manager in managers:
            if not _claim(manager.id, cohort.id, "digest", week, f"{len(board.at_risk)} at risk"):
                sent.skipped += 1
                continue
            _send(
                (manager, cohort, "digest"),
                f"{cohort.name}: your weekly digest",
                "oversight/email/digest",
                manager=manager,
                cohort=cohort,
                board=board,
            )
            sent.digests += 1
    return sent


@uow.transactional
def _send(to: tuple, subject: str, template: str, **context) -> None:
    """Queue one reminder and commit it with its record: the outbox delivers (and retries) it."""
    person, cohort, kind = to
    outbox.queue(
        to=person.email,
        to_name=person.name,
        subject=subject,
        text=render_template(f"{template}.txt", **context),
        html=render_template(f"{template}.html", **context),
        kind=kind,
        cohort=cohort,
        user=getattr(person, "user_id", None) or person.id,
    )


@outbox.huey.periodic_task(crontab(hour="6", minute="0"), name="reminders.daily")
@outbox.in_app
def daily_reminders() -> None:
    """The queue's daily run (digests go on the week's first run: once a week per manager)."""
    sent = send_reminders(get_catalogue())
    log.info("Daily reminders: %s", sent)


def _unanswered_surveys(cohort: Cohort):
    """(wave, learner) for every open network survey wave a learner has not answered yet."""
    waves = (
        db.session.execute(
            select(SurveyWave).where(
                SurveyWave.cohort_id == cohort.id, SurveyWave.closed_at.is_(None)
            )
        )
        .scalars()
        .all()
    )
    if not waves:
        return []
    learners = people(CohortAccess(cohort, None, True), CohortRole.LEARNER, taking_part=True)
    answered = set(
        db.session.execute(
            select(SurveyResponse.wave_id, SurveyResponse.respondent_id).where(
                SurveyResponse.wave_id.in_([w.id for w in waves])
            )
        ).all()
    )
    return [(w, p) for w in waves for p in learners if (w.id, p.user_id) not in answered]
