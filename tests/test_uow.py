"""The unit of work: one commit at the outermost unit, everything rolled back on an exception."""

import pytest
from flask import flash, get_flashed_messages
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from leaders import uow
from leaders.auth.models import User
from leaders.extensions import db


def _count_committed() -> int:
    with db.engine.connect() as conn:  # another connection sees only what is committed
        return conn.execute(select(func.count()).select_from(User)).scalar_one()


def _add(email):
    db.session.add(User(email=email, email_key=email, name="N", job_title="", role="learner"))
    db.session.flush()


@uow.transactional
def _service(email):
    _add(email)


def test_a_service_on_its_own_commits(app):
    _service("a@example.org")
    assert _count_committed() == 1


def test_services_in_a_unit_commit_once_at_its_end(app):
    commits = []
    with uow.transaction():
        uow.after_commit(lambda: commits.append(_count_committed()))
        _service("a@example.org")
        _service("b@example.org")
        assert _count_committed() == 0
        assert commits == []
    assert _count_committed() == 2
    assert commits == [2]  # the callback ran after the one commit, and saw both


def _failing_unit(called):
    with uow.transaction():
        _service("a@example.org")
        uow.after_commit(lambda: called.append(True))
        raise ValueError("boom")


def test_an_exception_rolls_back_the_whole_unit_and_drops_its_callbacks(app):
    called = []
    with pytest.raises(ValueError, match="boom"):
        _failing_unit(called)
    assert _count_committed() == 0
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
    _service("b@example.org")
    assert called == []  # not run by a later commit either


@uow.transactional
def _add_and_announce(email):
    db.session.add(User(email=email, email_key=email, name="N", job_title="", role="learner"))
    flash("You are added", "success")  # before the commit, which the unique key then refuses


def test_a_failed_commit_takes_back_the_flash_that_announced_it(app):
    _service("taken@example.org")
    with app.test_request_context("/"):
        flash("kept", "info")
        with pytest.raises(IntegrityError):
            _add_and_announce("taken@example.org")
        assert get_flashed_messages() == ["kept"]


def test_commit_inside_a_unit_waits_for_the_unit(app):
    with uow.transaction():
        _add("a@example.org")
        uow.commit()
        assert _count_committed() == 0
    assert _count_committed() == 1
