"""The course rule, read from the front matter and applied to a learner's data."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from leaders.catalogue.certificate import CertificateRule
from leaders.catalogue.loader import check
from leaders.catalogue.store import get_catalogue
from leaders.cohorts.models import Attendance, CohortSession
from leaders.credentials import services
from leaders.credentials.models import Credential
from leaders.extensions import db
from leaders.timeutil import utcnow
from tests.credentials.conftest import COURSE, complete_course, pass_quizzes

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "content"


def test_the_rule_is_read_from_the_course_front_matter(app):
    rule = get_catalogue().course(COURSE).certificate
    assert rule == CertificateRule(("sample-course/first-steps", "sample-course/going-further"))


def _course_with(tmp_path: Path, certificate: str) -> list[str]:
    import shutil

    root = tmp_path / f"content-{len(list(tmp_path.iterdir()))}"
    shutil.copytree(FIXTURE, root)
    course = root / "sample-course" / "course.md"
    text = course.read_text().replace("certificate:\n  modules: all\n", certificate)
    course.write_text(text)
    return [problem.message for problem in check(root)]


def test_content_check_explains_a_bad_rule(tmp_path):
    assert _course_with(tmp_path, "certificate:\n  modules: all\n  attendance: 75\n") == []
    found = _course_with(tmp_path, "certificate:\n  modules:\n    - first-step\n")
    assert any('certificate module "first-step" is not a module of this course' in m for m in found)
    found = _course_with(tmp_path, "certificate:\n  modules: all\n  pass_mark: 150\n")
    assert any("pass_mark must be a whole number from 1 to 100" in m for m in found)
    found = _course_with(tmp_path, "certificate:\n  modules: all\n  grade: A\n")
    assert any('unknown certificate setting "grade"' in m for m in found)
    found = _course_with(tmp_path, "certificate: yes\n")
    assert any("certificate must be settings" in m for m in found)


def test_completing_the_course_issues_the_certificate(graduate):
    rows = db.session.scalars(select(Credential)).all()
    assert [(r.user_id, r.course_key, r.cohort_name) for r in rows] == [
        (graduate.id, COURSE, "Sample 2026")
    ]


def _rule(monkeypatch, **changes):
    course = get_catalogue().course(COURSE)
    rule = CertificateRule(course.certificate.modules, **changes)
    monkeypatch.setattr(type(course), "certificate", property(lambda self: rule), raising=False)


def test_an_unfinished_learner_has_not_earned_it(learner):
    pass_quizzes(learner.id)
    complete_course(learner.id, skip_last=True)
    result = services.outcome(learner.id, COURSE)
    assert not result.earned
    assert result.unmet == ("1 of 4 required lessons are not complete",)


def test_a_higher_pass_mark_holds_it_back_until_recomputed(learner, monkeypatch):
    _rule(monkeypatch, pass_mark=80)
    pass_quizzes(learner.id, percent=50)  # the quiz's own pass mark is 50
    complete_course(learner.id)  # course_completed is sent, but the rule is not met
    assert db.session.scalar(select(Credential)) is None
    assert services.outcome(learner.id, COURSE).unmet == (
        "1 knowledge check is not yet passed at their pass mark",
    )
    pass_quizzes(learner.id, percent=100)
    from leaders.credentials.listeners import award_earned

    assert len(award_earned(COURSE)) == 1
    assert award_earned(COURSE) == []  # once


def test_minimum_attendance(app, learner, cohort, monkeypatch):
    _rule(monkeypatch, attendance=50)
    pass_quizzes(learner.id)
    complete_course(learner.id)
    result = services.outcome(learner.id, COURSE)
    assert "attended 0 of 0 sessions (0%); at least 50% is needed" in result.unmet
    sessions = [
        CohortSession(cohort_id=cohort.id, title=f"W{n}", starts_at=utcnow() - timedelta(days=n))
        for n in (1, 2)
    ]
    db.session.add_all(sessions)
    db.session.flush()
    db.session.add(Attendance(session_id=sessions[0].id, user_id=learner.id, status="present"))
    db.session.add(Attendance(session_id=sessions[1].id, user_id=learner.id, status="absent"))
    db.session.commit()
    assert services.outcome(learner.id, COURSE).earned
