"""The dashboard: figures, matrix, at-risk reasons, mix, learner detail; fixed query count."""

from datetime import date, timedelta

from leaders.cohorts.models import CohortModule
from leaders.extensions import db
from leaders.learning.models import JournalEntry, LessonProgress
from leaders.timeutil import utcnow
from tests.factories import enrol, make_cohort, make_user
from tests.helpers import form_token, text_of

WELCOME = "sample-course/first-steps/welcome"
TOGETHER = "sample-course/first-steps/working-together"


def _complete(user, *keys):
    for key in keys:
        db.session.add(
            LessonProgress(
                user_id=user.id, lesson_key=key, completed_at=utcnow(), version_completed="x"
            )
        )
    db.session.commit()


def test_headline_figures_matrix_and_risks(cast, as_user):
    ann, ben, _cat = cast.learners
    now = utcnow()
    ann.last_sign_in_at = ann.last_active_at = now
    ben.last_sign_in_at = now - timedelta(days=30)
    ben.last_active_at = now - timedelta(days=20)
    db.session.add(
        CohortModule(
            cohort_id=cast.cohort.id,
            module_key="sample-course/first-steps",
            opens_on=date(2026, 1, 1),
            due_on=date(2026, 2, 1),
        )
    )
    db.session.commit()
    _complete(ann, WELCOME, TOGETHER)
    _complete(ben, WELCOME)

    body = text_of(as_user(cast.manager).get(f"/cohorts/{cast.cohort.id}"))
    assert "3 learners" in body
    assert "25% of lessons completed" in body  # 3 of 12 lesson completions
    assert "1 active in the last 7 days" in body
    assert "2 at risk" in body
    assert "Ben Council Barnsley Council No activity for 20 days; 1 module past due date" in body
    assert "Cat Health South Yorkshire ICB Not signed in yet; 1 module past due date" in body
    assert "Ann Council Completed Not started 50%" in body
    assert "Ben Council 1 of 2, overdue Not started 25%" in body
    # Who is in the room: by sector and organisation, with the figures in tables.
    assert "Local government 2 67%" in body
    assert "NHS 1 33%" in body
    assert "Barnsley Council 2 67%" in body


def test_missed_sessions_put_a_learner_at_risk(cast, as_user):
    from leaders.cohorts.models import Attendance, CohortSession

    past = utcnow() - timedelta(days=3)
    sessions = [
        CohortSession(cohort_id=cast.cohort.id, title=f"W{i}", starts_at=past) for i in range(3)
    ]
    db.session.add_all(sessions)
    db.session.flush()
    ann = cast.learners[0]
    for s, status in zip(sessions, ["absent", "absent", "present"], strict=True):
        db.session.add(Attendance(session_id=s.id, user_id=ann.id, status=status))
    db.session.commit()
    body = text_of(as_user(cast.manager).get(f"/cohorts/{cast.cohort.id}"))
    assert "Missed 2 of 3 sessions" in body
    assert "Ann Council Barnsley Council Local government" in body
    assert "1 of 3" in body  # attendance column


def test_learner_detail_shows_shared_reflections_never_private(cast, as_user):
    """Only the cohort's facilitators read what was shared with them (not managers or leads)."""
    ann = cast.learners[0]
    prompt = "sample-course/going-further/mapping-your-place#"
    db.session.add_all(
        [
            JournalEntry(
                user_id=ann.id,
                prompt_key=prompt + "who-is-missing",
                cohort_id=cast.cohort.id,
                body="SHARED",
                body_html="<p>SHARED</p>",
                visibility="facilitators",
            ),
            JournalEntry(
                user_id=ann.id,
                prompt_key=prompt + "first-conversation",
                cohort_id=cast.cohort.id,
                body="SECRET",
                body_html="<p>SECRET</p>",
                visibility="private",
            ),
        ]
    )
    db.session.commit()
    path = f"/cohorts/{cast.cohort.id}/learners/{ann.id}"
    client = as_user(cast.facilitator)
    html = client.get(path).get_data(as_text=True)
    assert "SHARED" in html
    assert "SECRET" not in html
    client.post("/sign-out", data={"csrf_token": form_token(client.get("/home"))})
    client = as_user(cast.manager)
    assert "SHARED" not in client.get(path).get_data(as_text=True)
    client.post("/sign-out", data={"csrf_token": form_token(client.get("/home"))})
    lead_html = as_user(cast.lead).get(path).get_data(as_text=True)
    assert "SHARED" not in lead_html
    assert "SECRET" not in lead_html


def _dashboard_queries(count_queries, client, cohort_id):
    with count_queries() as queries:
        assert client.get(f"/cohorts/{cohort_id}").status_code == 200
    return len(queries)


def test_dashboard_queries_do_not_grow_with_the_cohort(app, as_user, count_queries):
    from leaders.auth.models import Role

    manager = make_user(role=Role.PROGRAMME_MANAGER)
    small, large = make_cohort(name="Small"), make_cohort(name="Large")
    enrol(small, manager, "programme_manager")
    enrol(large, manager, "programme_manager")
    for cohort, size in ((small, 10), (large, 200)):
        for _ in range(size):
            learner = make_user()
            enrol(cohort, learner)
            db.session.add(
                LessonProgress(
                    user_id=learner.id,
                    lesson_key=WELCOME,
                    completed_at=utcnow(),
                    version_completed="x",
                )
            )
        db.session.commit()
    client = as_user(manager)
    client.get(f"/cohorts/{small.id}")  # warm
    assert (
        _dashboard_queries(count_queries, client, small.id)
        == _dashboard_queries(count_queries, client, large.id)
        <= 12
    )
