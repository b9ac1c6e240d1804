"""Sessions as iCalendar: one session's `.ics`, and each person's private feed of their sessions.

Times are written in Europe/London with its VTIMEZONE, so a calendar shows 10:00 on both sides of
the clock change. Each session keeps one UID; its SEQUENCE goes up at every change. A cancelled
session stays in the feed as STATUS:CANCELLED, and its own file is sent with METHOD:CANCEL, so
calendars drop it rather than keep a stale copy.

The feed's address carries a secret token; only its SHA-256 is stored. Making a new one (the
learner's "reset the link") replaces the old, which then finds nothing (404).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from email.utils import parseaddr

from flask import current_app
from icalendar import Calendar, Event, vCalAddress, vText
from sqlalchemy import delete, or_, select

from leaders import audit, uow
from leaders.cohorts.models import (
    CalendarFeed,
    Cohort,
    CohortMember,
    CohortRole,
    CohortSession,
    LearningSetMember,
)
from leaders.extensions import db
from leaders.timeutil import UK, as_utc, utcnow

#: A session saved before end times were asked for is taken to last this long.
DEFAULT_LENGTH = timedelta(hours=2)
PRODID = "-//Place Leaders//Sessions//EN"


def ends_at(session: CohortSession) -> datetime:
    return (
        as_utc(session.ends_at) if session.ends_at else as_utc(session.starts_at) + DEFAULT_LENGTH
    )


def uid(session: CohortSession) -> str:
    """The session's calendar identity: the same for every version of it."""
    return f"cohort-session-{session.id}@place-leaders"


def sessions_for(user_id: int):
    """A select of the sessions that are someone's: their cohorts' workshops and their own set's
    meetings as a learner; every session of a cohort they facilitate or manage."""
    learner_cohorts = select(CohortMember.cohort_id).where(
        CohortMember.user_id == user_id, CohortMember.role == CohortRole.LEARNER.value
    )
    staff_cohorts = select(CohortMember.cohort_id).where(
        CohortMember.user_id == user_id,
        CohortMember.role.in_([CohortRole.FACILITATOR.value, CohortRole.PROGRAMME_MANAGER.value]),
    )
    own_sets = select(LearningSetMember.set_id).where(LearningSetMember.user_id == user_id)
    return select(CohortSession).where(
        or_(
            CohortSession.cohort_id.in_(staff_cohorts),
            CohortSession.cohort_id.in_(learner_cohorts)
            & or_(CohortSession.set_id.is_(None), CohortSession.set_id.in_(own_sets)),
        )
    )


def session_for(user_id: int, session_id: int) -> CohortSession | None:
    return db.session.execute(
        sessions_for(user_id).where(CohortSession.id == session_id)
    ).scalar_one_or_none()


def _event(session: CohortSession, cohort_name: str, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", uid(session))
    event.add("dtstamp", stamp)
    event.add("dtstart", as_utc(session.starts_at).astimezone(UK))
    event.add("dtend", ends_at(session).astimezone(UK))
    event.add("summary", session.title)
    event.add("sequence", session.sequence or 0)
    event.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
    # A METHOD:CANCEL message names its organiser (RFC 5546): the address the platform mails from.
    name, address = parseaddr(current_app.config.get("MAIL_DEFAULT_SENDER", ""))
    if address:
        organizer = vCalAddress(f"mailto:{address}")
        organizer.params["cn"] = vText(name or "Place Leaders")
        event.add("organizer", organizer)
    place = session.location or session.online_url
    if place:
        event.add("location", place)
    if session.online_url:
        event.add("url", session.online_url)
    lines = [cohort_name]
    if session.online_url:
        lines.append(f"Join online: {session.online_url}")
    if session.joining_instructions:
        lines.append(session.joining_instructions)
    event.add("description", "\n\n".join(lines))
    return event


def calendar(sessions: Sequence[CohortSession], *, method: str | None = None) -> bytes:
    """An iCalendar file of these sessions, with the Europe/London VTIMEZONE they need."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    names = dict(
        db.session.execute(
            select(Cohort.id, Cohort.name).where(Cohort.id.in_({s.cohort_id for s in sessions}))
        ).all()
    )
    stamp = utcnow().replace(microsecond=0)
    for session in sessions:
        cal.add_component(_event(session, names.get(session.cohort_id, ""), stamp))
    if sessions:
        days = [as_utc(s.starts_at).date() for s in sessions]
        cal.add_missing_timezones(
            first_date=date(min(days).year - 1, 1, 1), last_date=date(max(days).year + 2, 1, 1)
        )
        _one_date_per_rdate(cal)
    return cal.to_ical()


def _one_date_per_rdate(cal: Calendar) -> None:
    """Write each clock change of the VTIMEZONE as its own RDATE line.

    icalendar lists them in one comma-separated RDATE, which RFC 5545 allows, but ical.js (as
    Thunderbird and web calendars use it) reads only the first date of such a list, and so put
    every session after the first year's clock change an hour out. One date a line reads the same
    in every parser.
    """
    for zone in cal.walk("VTIMEZONE"):
        for part in zone.subcomponents:
            rdate = part.get("RDATE")
            if rdate is None:
                continue
            moments = [
                d.dt for group in (rdate if isinstance(rdate, list) else [rdate]) for d in group.dts
            ]
            del part["RDATE"]
            for moment in moments:
                part.add("RDATE", moment)


def session_file(session: CohortSession) -> bytes:
    """One session's `.ics`: METHOD:CANCEL once it is cancelled, so a calendar removes it."""
    return calendar([session], method="CANCEL" if session.is_cancelled else "PUBLISH")


def feed(user_id: int) -> bytes:
    """Someone's feed: their sessions from a year ago on, cancelled ones marked so."""
    since = utcnow() - timedelta(days=365)
    rows = db.session.execute(
        sessions_for(user_id)
        .where(CohortSession.starts_at >= since)
        .order_by(CohortSession.starts_at)
    ).scalars()
    return calendar(list(rows), method="PUBLISH")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def has_feed(user_id: int) -> bool:
    return (
        db.session.scalar(select(CalendarFeed.id).where(CalendarFeed.user_id == user_id))
        is not None
    )


def feed_owner(token: str) -> int | None:
    """Whose feed a token opens, or None (a wrong, old or reset token)."""
    if not 20 <= len(token) <= 100:
        return None
    return db.session.scalar(
        select(CalendarFeed.user_id).where(CalendarFeed.token_hash == _hash(token))
    )


@uow.transactional
def new_feed_token(user_id: int) -> str:
    """A new secret for the person's feed; any earlier link stops working. Audited."""
    replaced = has_feed(user_id)
    db.session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == user_id))
    token = secrets.token_urlsafe(32)
    db.session.add(CalendarFeed(user_id=user_id, token_hash=_hash(token)))
    audit.record(
        audit.Action.CALENDAR_LINK_MADE,
        actor=user_id,
        subject=user_id,
        detail="replaced the old link, which no longer works" if replaced else "first link",
    )
    return token
