"""Signed-in sessions, kept in the database so that ending one ends it for every copy of its cookie.

The signed cookie holds only a random session id. Every request looks the session and its user up
in one query (`signed_in_user`); a session that has ended, or whose user is inactive, signs no one in.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, select, update

from leaders import uow
from leaders.auth.models import SignedInUser, User, UserSession
from leaders.extensions import db, rowcount
from leaders.timeutil import as_utc, utcnow

#: `last_seen_at` (and the user's `last_active_at`) are written at most this often: each is a write.
LAST_SEEN_RESOLUTION = timedelta(minutes=5)
USER_AGENT_LENGTH = 200
#: The longest id `start` makes is 43 characters; anything longer in a cookie is not ours.
ID_LENGTH = 64

#: Facts about the signed-in user that features above auth add to the one query that loads them
#: (name → a labelled boolean SQL expression correlated with `user.id`), so that the navigation can
#: ask "does this person staff a cohort?" without a query of its own.
_facts: dict[str, ColumnElement[bool]] = {}
_query_cache: list[Any] = []  # the built query, made once facts are known


def add_user_fact(name: str, expression: ColumnElement[bool]) -> None:
    """Read `expression` with the signed-in user on every request; it is `user.facts[name]`."""
    _facts[name] = expression.label(f"fact_{name}")
    _query_cache.clear()


def _signed_in_query() -> Select[Any]:
    if not _query_cache:
        _query_cache.append(
            select(*SignedInUser.COLUMNS, *_facts.values())
            .join(UserSession, UserSession.user_id == User.id)
            .where(
                UserSession.id == bindparam("sid"),
                UserSession.ended_at.is_(None),
                User.active.is_(True),
            )
        )
    return _query_cache[0]


@uow.transactional
def start(user_id: int, user_agent: str = "") -> SignedInUser:
    """Begin a session for this user (committed with its unit) and return the user as the request will see them."""
    session_id = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(
            id=session_id, user_id=user_id, user_agent=(user_agent or "")[:USER_AGENT_LENGTH]
        )
    )
    db.session.flush()  # signed_in_user reads on the connection, past the ORM's autoflush
    user = signed_in_user(session_id)
    assert user is not None, "a session just started must sign its user in"
    return user


def signed_in_user(session_id: str) -> SignedInUser | None:
    """The active user of this live session, or None (one primary-key query)."""
    if not session_id or len(session_id) > ID_LENGTH:
        return None
    row = db.session.connection().execute(_signed_in_query(), {"sid": session_id}).first()
    if row is None:
        return None
    user = SignedInUser(row)
    user.facts = {name: bool(getattr(row, f"fact_{name}")) for name in _facts}
    return user


@uow.transactional
def end(session_id: str) -> None:
    """End one session (sign-out). Its cookie, wherever it has been copied, signs no one in again."""
    db.session.execute(
        update(UserSession)
        .where(UserSession.id == session_id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


@uow.transactional
def end_all(user_id: int) -> None:
    """End every session of this user (a new password, erasure): "sign out everywhere"."""
    db.session.execute(
        update(UserSession)
        .where(UserSession.user_id == user_id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


def touch(user: SignedInUser) -> None:
    """Note that the user and this session are in use, at most once every few minutes."""
    now = utcnow()
    wrote = False
    last_active = as_utc(user.last_active_at)
    if last_active is None or now - last_active >= LAST_SEEN_RESOLUTION:
        db.session.execute(update(User).where(User.id == user.id).values(last_active_at=now))
        wrote = True
    last_seen = as_utc(user.session_last_seen_at)
    if last_seen is None or now - last_seen >= LAST_SEEN_RESOLUTION:
        db.session.execute(
            update(UserSession).where(UserSession.id == user.session_id).values(last_seen_at=now)
        )
        wrote = True
    if wrote:
        uow.commit()  # only when something was written: most requests write nothing


def live_sessions(user_id: int) -> list[UserSession]:
    """This user's sessions that have not ended, the most recently used first ("your devices")."""
    return list(
        db.session.scalars(
            select(UserSession)
            .where(UserSession.user_id == user_id, UserSession.ended_at.is_(None))
            .order_by(UserSession.last_seen_at.desc())
        )
    )


@uow.transactional
def end_others(user_id: int, keep: str) -> int:
    """End every session of this user but `keep` (this device); how many ended."""
    result = db.session.execute(
        update(UserSession)
        .where(
            UserSession.user_id == user_id,
            UserSession.ended_at.is_(None),
            UserSession.id != keep,
        )
        .values(ended_at=utcnow())
    )
    return rowcount(result)


@uow.transactional
def end_one(user_id: int, session_id: str) -> bool:
    """End one of this user's own sessions; False if it is not theirs or has ended."""
    result = db.session.execute(
        update(UserSession)
        .where(
            UserSession.user_id == user_id,
            UserSession.id == session_id,
            UserSession.ended_at.is_(None),
        )
        .values(ended_at=utcnow())
    )
    return rowcount(result) == 1


_BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def describe_device(user_agent: str) -> str:
    """A browser's user agent in words a person recognises ("Chrome on Windows")."""
    browser = next((name for mark, name in _BROWSERS if mark in user_agent), "")
    system = next((name for mark, name in _SYSTEMS if mark in user_agent), "")
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or "Unknown browser"
