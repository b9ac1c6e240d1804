"""The learner's home: their next session, their learning set and what is due next; nobody else's."""

from __future__ import annotations

from datetime import timedelta

from leaders.cohorts.models import CohortModule, CohortSession, LearningSet, LearningSetMember
from leaders.extensions import db
from leaders.timeutil import uk_today, utcnow
from tests.helpers import page, text_of


def _text(element) -> str:
    return " ".join(" ".join(element.itertext()).split())


def _session(cohort, title, days, **extra) -> CohortSession:
    start = utcnow() + timedelta(days=days)
    session = CohortSession(
        cohort_id=cohort.id,
        title=title,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        **extra,
    )
    db.session.add(session)
    return session


def _world(cast):
    ann, ben, cat = cast.learners
    cast.learners[0].job_title = "Head of Housing"
    mine, theirs = (
        LearningSet(cohort_id=cast.cohort.id, name="Set Ann", facilitator_id=cast.facilitator.id),
        LearningSet(cohort_id=cast.cohort.id, name="Set Ben"),
    )
    db.session.add_all([mine, theirs])
    db.session.flush()
    for s, person in ((mine, ann), (mine, cat), (theirs, ben)):
        db.session.add(LearningSetMember(cohort_id=cast.cohort.id, set_id=s.id, user_id=person.id))
    _session(cast.cohort, "Held last week", -7, location="Room 1")
    _session(cast.cohort, "Cancelled tomorrow", 1, location="Room 2", cancelled_at=utcnow())
    _session(cast.cohort, "Ben's set in two days", 2, set_id=theirs.id, location="Room 3")
    _session(cast.other_cohort, "Kent in two days", 2, location="Maidstone")
    _session(
        cast.cohort,
        "Workshop 2",
        3,
        online_url="https://meet.example.org/w2",
        joining_instructions="Camera on, please.",
    )
    _session(cast.cohort, "Set Ann meets", 9, set_id=mine.id, location="Room 5")
    db.session.add(
        CohortModule(
            cohort_id=cast.cohort.id,
            module_key="sample-course/first-steps",
            due_on=uk_today() + timedelta(days=10),
        )
    )
    db.session.commit()


def test_a_set_without_a_named_facilitator_says_so(cast, as_user):
    """Ben's set has no facilitator yet: the cohort's facilitators are not passed off as his."""
    _world(cast)
    ben_set = _text(page(as_user(cast.learners[1]).get("/home")).one("div", id="my-set"))
    assert "Your learning set: Set Ben" in ben_set
    assert "Not yet named" in ben_set
    assert "Fay Facilitator" not in ben_set


def test_the_next_session_set_and_due_date_are_the_learners_own(cast, as_user):
    _world(cast)
    response = as_user(cast.learners[0]).get("/home")
    body = text_of(response)
    html = page(response)
    card = _text(html.one("div", id="next-session"))
    assert "Next session: Workshop 2" in card
    assert "https://meet.example.org/w2" in card
    assert "Camera on, please." in card
    assert "(UK time)" in card
    # Not the cancelled one, not another set's, not another cohort's, not one already held.
    for other in ("Cancelled tomorrow", "Ben's set", "Kent in two days", "Held last week"):
        assert other not in body
    my_set = _text(html.one("div", id="my-set"))
    assert "Your learning set: Set Ann" in my_set
    assert "Ann Council (you)" in my_set
    assert "Head of Housing, Barnsley Council" in my_set
    assert "Cat Health" in my_set
    assert "Ben Council" not in my_set
    assert "Fay Facilitator" in my_set
    assert "Set Ann meets" in my_set
    due = _text(html.one("div", id="due-next"))
    assert "Due by" in due
    assert "lessons" in due
    session = db.session.query(CohortSession).filter_by(title="Workshop 2").one()
    assert f'href="/sessions/{session.id}.ics"' in response.get_data(as_text=True)


def test_someone_with_no_programme_sees_no_empty_cards(cast, as_user):
    body = text_of(as_user(cast.outsider).get("/home"))
    assert "Next session" not in body
    assert "Your learning set" not in body


def test_the_calendar_page_offers_a_link(cast, as_user):
    client = as_user(cast.learners[0])
    body = text_of(client.get("/account/calendar"))
    assert "Get your calendar link" in body
    assert "Calendar" in text_of(client.get("/home"))


def test_home_and_the_sets_page_show_the_same_people(cast, as_user):
    """One rule for who is in a set and who runs it (cohorts/set_people): a member whose account
    is closed, and a facilitator whose account is closed, leave both pages alike."""
    _world(cast)
    ann, _ben, cat = cast.learners
    client = as_user(ann)

    def both() -> tuple[str, str]:
        home = _text(page(client.get("/home")).one("div", id="my-set"))
        own = text_of(client.get(f"/cohorts/{cast.cohort.id}/my-set"))
        return home, own

    home, own = both()
    for shown in (home, own):
        assert "Cat Health" in shown
        assert "Fay Facilitator" in shown
    cat.active = False
    cast.facilitator.active = False
    db.session.commit()
    home, own = both()
    for shown in (home, own):
        assert "Cat Health" not in shown
        assert "Fay Facilitator" not in shown
        assert "Ann Council" in shown
    assert "Not yet named" in home
