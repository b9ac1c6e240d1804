"""One commit per unit of work, in one place (the pattern of GOV.UK Notify's ``@transactional``).

Services add and flush; they never commit. A unit of work — a view, a command, or a service called
on its own (from a test, a thread) — is wrapped in :func:`transactional` or :func:`transaction`:

- Units nest. Only the outermost one commits, once, when its block ends without an exception; an
  inner one joins it. So a view that calls three services makes one commit, and a service called on
  its own still commits its change.
- An exception leaving any unit rolls the whole transaction back and goes on up (the error page, or
  the view that catches it, sees nothing half-done). Flash messages added inside a unit that failed
  are taken back: a message only stays when what it announces was committed.
- :func:`after_commit` queues a callback (a signal) that runs only after the outermost commit has
  succeeded, never after a rollback. Callbacks run outside the transaction: one that writes opens
  its own unit.

A savepoint (``db.session.begin_nested()``) is still the tool for "try this insert, and if the
unique index refuses it carry on" inside a unit (see privacy.request_erasure).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

from flask import has_request_context, session
from sqlalchemy import event
from sqlalchemy.orm import Session

from leaders.extensions import db

P = ParamSpec("P")
R = TypeVar("R")

_DEPTH = "leaders.uow.depth"
_HOOKS = "leaders.uow.after_commit"


def _info() -> dict:
    return db.session().info


def in_unit() -> bool:
    """True inside a unit of work (a service called here joins it rather than committing)."""
    return _info().get(_DEPTH, 0) > 0


def after_commit(callback: Callable[[], object]) -> None:
    """Run ``callback`` once the current transaction has committed (dropped if it rolls back)."""
    _info().setdefault(_HOOKS, []).append(callback)


def commit() -> None:
    """Commit now and run the after-commit callbacks: the one place the app commits.

    Inside a unit this is a no-op (the outermost unit commits). Outside one — a step that must be
    durable before the request goes on, such as a new account before its invitation is emailed —
    it commits at once.
    """
    if in_unit():
        return
    _commit()


def commit_now() -> None:
    """Commit whatever is pending, even inside a unit: for a record that must outlive a failing unit.

    audit.record_now uses it for events with no change of their own (a refused look, a download),
    which must be kept even though the request goes on to an error page that rolls back.
    """
    _commit()


def _commit() -> None:
    db.session.commit()
    hooks = _info().pop(_HOOKS, [])
    for hook in hooks:
        hook()


def rollback() -> None:
    """Roll back the whole transaction, dropping its after-commit callbacks."""
    db.session.rollback()


@event.listens_for(Session, "after_rollback")
def _drop_hooks(session: Session) -> None:
    # A real rollback (not a savepoint's) undoes what the callbacks would have announced.
    session.info.pop(_HOOKS, None)


@contextmanager
def transaction() -> Iterator[None]:
    """A unit of work: commit at the end of the outermost block, roll back on an exception."""
    info = _info()
    depth = info.get(_DEPTH, 0)
    flashes = list(session.get("_flashes", [])) if has_request_context() else None
    info[_DEPTH] = depth + 1
    try:
        yield
    except BaseException:
        info[_DEPTH] = depth
        rollback()
        if flashes is not None and session.get("_flashes", []) != flashes:
            session["_flashes"] = flashes
        raise
    info[_DEPTH] = depth
    if depth == 0:
        try:
            _commit()
        except BaseException:
            rollback()
            if flashes is not None and session.get("_flashes", []) != flashes:
                session["_flashes"] = flashes
            raise


def transactional(function: Callable[P, R]) -> Callable[P, R]:
    """Run the decorated view, command or service as a unit of work (see :func:`transaction`)."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with transaction():
            return function(*args, **kwargs)

    return wrapper
