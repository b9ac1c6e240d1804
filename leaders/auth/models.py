"""The user account."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column, validates
from werkzeug.security import check_password_hash, generate_password_hash

from leaders.db_types import UTCDateTime
from leaders.extensions import Model
from leaders.timeutil import utcnow


def email_key(email: str) -> str:
    """The form an email address is looked up by: Unicode NFC, then case-folded in Python.

    SQLite's lower() folds ASCII letters only, so "ÉVA@x.org" and "éva@x.org" would be two people.
    """
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", email.strip()).casefold())


class Role(StrEnum):
    """A person's global role. Cohort roles (facilitator, organisation lead) live on memberships."""

    LEARNER = "learner"
    PROGRAMME_MANAGER = "programme_manager"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return {"learner": "Learner", "programme_manager": "Programme manager", "admin": "Admin"}[
            self.value
        ]


class User(UserMixin, Model):
    __tablename__ = "user"
    __table_args__ = (
        CheckConstraint("role IN ('learner', 'programme_manager', 'admin')", name="role_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: As the person typed it; unique regardless of case (see the index).
    email: Mapped[str] = mapped_column(String(254))
    #: `email_key(email)`, kept in step by `_keep_email_key`; unique, and what every lookup uses.
    email_key: Mapped[str] = mapped_column(String(254), server_default="")
    name: Mapped[str] = mapped_column(String(200))
    job_title: Mapped[str] = mapped_column(String(200), default="")
    #: None until the person sets a password (for example from an invitation). Someone who signs in
    #: only through their organisation's identity provider never has one.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    #: When the person took up their account (set a password, or first signed in through their
    #: organisation). None: still "invited". Its own state, not "has no password".
    joined_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    role: Mapped[str] = mapped_column(String(32), default=Role.LEARNER.value)
    #: Inactive accounts cannot sign in.
    active: Mapped[bool] = mapped_column(default=True)
    #: Bumped when the password is set or the account erased; emailed links made before stop working.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_active_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Wrong passwords since the last successful sign-in or lockout.
    failed_sign_ins: Mapped[int] = mapped_column(default=0, server_default="0")
    #: Sign-in refused until then, after too many wrong passwords.
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Who the person works for; cleared if the organisation is deleted (merges move people first).
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"

    @validates("email")
    def _keep_email_key(self, _key: str, email: str) -> str:
        self.email_key = email_key(email)
        return email

    @validates("password_hash")
    def _join_on_password(self, _key: str, password_hash: str | None) -> str | None:
        if password_hash is not None:
            self.mark_joined()
        return password_hash

    def mark_joined(self) -> None:
        """The person has taken up their account: they are no longer "invited"."""
        if self.joined_at is None:
            self.joined_at = utcnow()

    @property
    def is_invited(self) -> bool:
        """Invited and not yet joined (an open account only: a closed one is neither)."""
        return self.active and self.joined_at is None

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        # The cookie carries a session id (see UserSession); signing in with a bare User is a mistake.
        raise TypeError("Sign in through leaders.auth.sessions.start(), not with a User")

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_programme_manager(self) -> bool:
        return self.role == Role.PROGRAMME_MANAGER

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        if not self.password_hash:
            return False
        return check_password_hash(self.password_hash, password)


class UserSession(Model):
    """One signed-in session: its random id is what the signed cookie carries.

    Checked on every request (with the user, in one query), so ending it here ends it everywhere the
    cookie has been copied to: sign-out, a new password and erasure set ``ended_at``.
    """

    __tablename__ = "user_session"

    #: ``secrets.token_urlsafe(32)``: unguessable, so a cookie cannot be made up even with the key.
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    user_agent: Mapped[str] = mapped_column(String(200), default="")
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class UserLike(Protocol):
    """What the access rules read of a person: a `User` row or the request's `SignedInUser`."""

    @property
    def id(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def email(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def organisation_id(self) -> int | None: ...
    @property
    def is_admin(self) -> bool: ...
    @property
    def is_programme_manager(self) -> bool: ...


class SignedInUser:
    """The user a request runs as: read-only, loaded from plain columns on every request.

    Flask-Login loads the signed-in user on every request; an ORM entity costs several times more
    than a row. Nothing writes through this object: services change users by id.
    """

    active: bool
    email: str
    id: int
    job_title: str
    last_active_at: datetime | None
    name: str
    organisation_id: int | None
    role: str
    session_id: str
    session_last_seen_at: datetime
    session_version: int
    #: Facts features add to the loading query (see auth.sessions.add_user_fact).
    facts: dict[str, bool]

    __slots__ = (
        "active",
        "email",
        "facts",
        "id",
        "job_title",
        "last_active_at",
        "name",
        "organisation_id",
        "role",
        "session_id",
        "session_last_seen_at",
        "session_version",
    )
    COLUMNS = (
        User.id,
        User.email,
        User.name,
        User.job_title,
        User.role,
        User.active,
        User.session_version,
        User.last_active_at,
        User.organisation_id,
        UserSession.id.label("session_id"),
        UserSession.last_seen_at.label("session_last_seen_at"),
    )
    is_authenticated = True
    is_anonymous = False

    def __init__(self, row: object) -> None:
        for name in self.__slots__:
            if name != "facts":
                setattr(self, name, getattr(row, name))
        self.facts = {}

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        """Flask-Login keeps this in the cookie: the session's id, never the user's."""
        return self.session_id

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_programme_manager(self) -> bool:
        return self.role == Role.PROGRAMME_MANAGER


# Email addresses are unique whatever their case: Alice@Example.org and alice@example.org are one person.
Index("uq_user_email_lower", func.lower(User.email), unique=True)
# ...and whatever their Unicode case (the Python-folded key).
Index("uq_user_email_key", User.email_key, unique=True)
