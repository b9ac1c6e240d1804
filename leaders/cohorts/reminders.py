"""`flask send-reminders`: nudge learners at risk and send managers a weekly digest. Run it daily.

Idempotent: a reminder is recorded (unique per person, cohort, kind and ISO week) before it is sent,
so running the job twice in a week, or twice at once, never sends the same reminder twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from flask import render_template
from sqlalchemy import select

from leaders import mail, uow
from leaders.auth.models import User
from leaders.catalogue.model import Catalogue
from leaders.cohorts import dashboard
from leaders.cohorts.access import CohortAccess
from leaders.cohorts.models import Cohort, CohortMember, CohortRole, ReminderLog
from leaders.extensions import db
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


@uow.transactional
def _claim(user_id: int, cohort_id: int, kind: str, week: str, detail: str) -> bool:
    """Record the reminder unless it was already sent this week; True if this run should send it."""
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
                row.person.email,
                f"Keep going with {cohort.name}",
                "cohorts/email/at_risk",
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
                person.email,
                f"{cohort.name}: the {wave.name} network survey",
                "cohorts/email/survey",
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
                manager.email,
                f"{cohort.name}: your weekly digest",
                "cohorts/email/digest",
                manager=manager,
                cohort=cohort,
                board=board,
            )
            sent.digests += 1
    return sent


def _send(to: str, subject: str, template: str, **context) -> None:
    try:
        mail.send(
            mail.Message(
                to=to,
                subject=subject,
                text=render_template(f"{template}.txt", **context),
                html=render_template(f"{template}.html", **context),
            )
        )
    except OSError:
        # Recorded but not delivered: logged for the operator; next week's run tries again.
        log.exception("Could not send a reminder to %s", to)


def _unanswered_surveys(cohort: Cohort):
    """(wave, learner) for every open network survey wave a learner has not answered yet."""
    from leaders.cohorts.services import people
    from leaders.network.models import SurveyResponse, SurveyWave

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
