"""Numbers that reconcile: every figure in the report, against counts worked out here by hand and in
plain SQL, and against the dashboard and the exports for the same cohort."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from leaders.catalogue.store import get_catalogue
from leaders.cohorts.access import CohortAccess
from leaders.extensions import db
from leaders.oversight import dashboard, exports
from leaders.reports.participation import Period
from leaders.reports.report import build
from tests.conftest import sign_in
from tests.helpers import text_of

# The hand count (see tests/reports/conftest.py): seven learners take part (the erased one and the
# other cohort's learner are in no figure).
LEARNERS = ["c1", "c2", "c3", "t1", "t2", "p1", "p2"]
LESSONS = 4
COMPLETED = {"c1": 4, "c2": 2, "c3": 1, "t1": 3, "t2": 0, "p1": 4, "p2": 2}  # p2's second is late


def _report(known, period=None):
    access = CohortAccess(known.cohort, None, True)
    return build([access], get_catalogue(), period or Period())


def _sql(query: str, **params) -> int:
    return db.session.execute(text(query), params).scalar_one()


def test_every_figure_against_an_independent_count(known):
    r = _report(known)
    f = r.figures
    assert (
        f.learners
        == len(LEARNERS)
        == _sql(
            'SELECT count(*) FROM cohort_member m JOIN "user" u ON u.id = m.user_id '
            "WHERE m.cohort_id = :c AND m.role = 'learner' AND u.active",
            c=known.cohort.id,
        )
    )
    # Who took part.
    assert [(c.label, c.count, c.percent) for c in f.by_sector] == [
        ("Local government", 3, 43),
        ("NHS", 2, 29),
        ("Police", 2, 29),
    ]
    assert {c.label: c.count for c in f.by_organisation} == {
        "Barnsley Council": 3,
        "Sheffield Trust": 2,
        "South Yorkshire Police": 2,
    }
    assert [(p.code, p.name, p.kind, p.learners) for p in f.places] == [
        ("E08000016", "Barnsley", "Metropolitan district", 3),
        ("E08000019", "Sheffield", "Metropolitan district", 2),
    ]
    # Completion and the funnel.
    completed = sum(COMPLETED.values())
    assert completed == 16
    assert (
        f.lessons_completed
        == completed
        == _sql(
            "SELECT count(*) FROM lesson_progress p JOIN cohort_member m ON m.user_id = p.user_id "
            "JOIN \"user\" u ON u.id = p.user_id WHERE m.cohort_id = :c AND m.role = 'learner' "
            "AND u.active AND p.completed_at IS NOT NULL",
            c=known.cohort.id,
        )
    )
    assert f.lessons_possible == len(LEARNERS) * LESSONS == 28
    assert f.completion_percent == round(100 * 16 / 28) == 57
    assert f.completed_course == 2  # c1 and p1
    assert [(c.label, c.count, c.percent) for c in f.funnel] == [
        ("First steps", 4, 57),  # c1, c2, t1, p1
        ("Going further", 2, 29),  # c1, p1 (p2 has next steps but not mapping)
    ]
    # Attendance: two sessions held (the third is in the future); the erased learner's mark is out.
    assert (f.sessions_held, f.present, f.apologies, f.absent) == (2, 5, 1, 2)
    assert f.attendance_percent == round(100 * 5 / (7 * 2)) == 36
    assert [(s.title, s.present, s.apologies, s.absent) for s in f.sessions] == [
        ("Workshop 1", 3, 1, 1),
        ("Workshop 2", 2, 0, 1),
    ]
    # Knowledge checks: each learner's best attempt.
    checks = {q.lesson: (q.attempted, q.passed, q.mean_best_percent) for q in f.quizzes}
    assert checks["Working together"] == (3, 2, 50)  # best 100, 0, 50
    assert checks["Mapping your place"] == (1, 0, 100)  # no pass mark: nobody "passes"


def test_the_network_change_against_a_hand_count(known):
    change = _report(known).single.network.change
    assert (change.before.ties, change.after.ties) == (2, 5)
    assert change.change.new_ties == 3  # c3-p1, t2-p2, c2-t2
    assert change.new_cross_organisation == 3
    assert change.change.new_cross_sector_ties == 3
    # End: one tie within a sector (c1-c2), four between: E-I = (4 - 1) / 5.
    assert change.after.ei_index == pytest.approx(0.6)
    assert change.before.ei_index == pytest.approx(0.0)
    assert change.after.cross_organisation_share == pytest.approx(4 / 5)
    # At baseline only c1 and t1 had a tie outside their organisation; at the end everyone does.
    assert change.isolates_connected == 5
    assert len(change.before.isolates) == 5
    assert change.after.isolates == ()
    # The two diagrams put everyone in the same place.
    before, after = change.diagrams
    assert [(n.id, n.x, n.y) for n in before.nodes] == [(n.id, n.x, n.y) for n in after.nodes]
    assert (len(before.lines), len(after.lines), after.new_lines) == (2, 5, 3)
    # Brokers are described by sector, never by name.
    assert all(not hasattr(b, "name") for b in change.brokers)


def test_the_period_bounds_completions_sessions_and_checks(known):
    r = _report(known, Period(date(2026, 4, 1), date(2026, 6, 1)))
    assert r.figures.lessons_completed == 15  # p2's late completion is after the period
    assert r.figures.sessions_held == 1  # only Workshop 2
    assert r.figures.present == 2
    assert all(q.attempted == 0 for q in r.figures.quizzes)  # every attempt was in March


def test_the_same_figures_as_the_dashboard_and_the_exports(known, app):
    access = CohortAccess(known.cohort, None, True)
    with app.test_request_context():
        board = dashboard.build(access, get_catalogue())
    f = _report(known).figures
    assert board.learner_count == f.learners
    assert board.completion_percent == f.completion_percent
    assert [(c.label, c.count) for c in board.funnel] == [(c.label, c.count) for c in f.funnel]
    assert [(c.label, c.count, c.percent) for c in board.by_sector] == [
        (c.label, c.count, c.percent) for c in f.by_sector
    ]
    assert [(c.label, c.count) for c in board.by_organisation] == [
        (c.label, c.count) for c in f.by_organisation
    ]
    assert board.sessions_held == f.sessions_held
    assert sum(row.attended for row in board.learners) == f.present
    assert sum(row.missed for row in board.learners) == f.absent
    table = exports.learners(board)
    column = {name: i for i, name in enumerate(table.headers)}
    assert len(table.rows) == f.learners
    assert sum(row[column["Lessons completed"]] for row in table.rows) == f.lessons_completed
    assert sum(row[column["Sessions attended"]] for row in table.rows) == f.present


def test_the_page_shows_the_figures(known, client):
    sign_in(client, known.manager)
    page = text_of(client.get(f"/cohorts/{known.cohort.id}/report"))
    assert "Learners 7" in page
    assert "Lessons completed 57%" in page
    assert "16 of 28 lessons completed (57%)" in page
    assert "Barnsley E08000016 Metropolitan district 3" in page
    assert "2 sessions held. Present 5, apologies 1, absent 2: 36%" in page
    assert "3 new ties, 3 of them between organisations and 3 between sectors" in page
    assert "E-I index by sector (−1 all within, +1 all between) +0.00 +0.60" in page
    for name in ("Learner C1", "Learner P2", "Learner X"):
        assert name not in page


def test_the_course_report_adds_its_cohorts_up(known):
    accesses = [CohortAccess(c, None, True) for c in (known.cohort, known.other)]
    f = build(accesses, get_catalogue()).figures
    assert f.learners == 8  # seven here, the outsider in the other cohort
    assert f.lessons_completed == 16 + 1
    assert f.lessons_possible == 8 * LESSONS
    assert f.attendance_places == 7 * 2  # the other cohort held no sessions
    assert f.attendance_percent == 36
    assert [(c.label, c.count) for c in f.funnel] == [("First steps", 4), ("Going further", 2)]
    assert {c.label: c.count for c in f.by_organisation}["Barnsley Council"] == 4
    assert [p.learners for p in f.places] == [4, 2]
