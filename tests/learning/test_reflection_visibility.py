"""Who reads a reflection: every level by every kind of reader, through the pages people use.

The readers' pages are "Shared with you" (/journal/shared) for everyone, the learner page of a
cohort (/cohorts/<id>/learners/<id>) for staff, and the author's own journal. Each level is scoped to
the cohort the entry was written in.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from leaders.auth.models import Role
from leaders.cohorts.models import CohortMember
from leaders.extensions import db
from leaders.learning.models import JournalEntry, Visibility
from leaders.learning.reflections import can_read
from leaders.learning.services import save_reflection
from leaders.network.models import LearningSet, LearningSetMember
from leaders.timeutil import utcnow
from tests.cohorts.conftest import make_organisation
from tests.conftest import sign_in
from tests.factories import enrol, make_cohort, make_user
from tests.helpers import form_token, text_of

LESSON = "sample-course/going-further/mapping-your-place"
PROMPT = f"{LESSON}#who-is-missing"
OTHER_PROMPT = f"{LESSON}#first-conversation"
SHARED = "/journal/shared"

LEVELS = [v.value for v in Visibility]
READERS = [
    "author",
    "same_set",
    "same_cohort",
    "other_cohort",
    "facilitator",
    "other_facilitator",
    "manager",
    "org_lead",
    "admin",
]
#: Who, besides the author, reads each level. Everything else is "cannot".
CAN_READ = {
    "private": set(),
    "facilitators": {"facilitator"},
    "learning_set": {"same_set"},
    "cohort": {"same_set", "same_cohort", "facilitator"},
}
STAFF = {"facilitator", "other_facilitator", "manager", "org_lead", "admin"}


def _add_set(cohort, name, *users):
    learning_set = LearningSet(cohort_id=cohort.id, name=name)
    db.session.add(learning_set)
    db.session.flush()
    for user in users:
        db.session.add(
            LearningSetMember(cohort_id=cohort.id, set_id=learning_set.id, user_id=user.id)
        )
    db.session.commit()


class World:
    """Cohort A (with two confirmed learning sets) and cohort B, on the same course."""

    def __init__(self) -> None:
        council = make_organisation("Barnsley Council")
        health = make_organisation("South Yorkshire ICB", "nhs")
        self.a = make_cohort(name="South Yorkshire 2027")
        self.b = make_cohort(name="Kent 2027")
        self.people = {
            "author": make_user(name="Ann Author", organisation_id=council.id),
            "same_set": make_user(name="Sam Setmate", organisation_id=health.id),
            "same_cohort": make_user(name="Cal Cohort", organisation_id=health.id),
            "other_cohort": make_user(name="Otto Other"),
            "facilitator": make_user(name="Fay Facilitator"),
            "other_facilitator": make_user(name="Fred Facilitator"),
            "manager": make_user(name="Tom Manager", role=Role.PROGRAMME_MANAGER),
            "org_lead": make_user(name="Lee Lead", organisation_id=council.id),
            "admin": make_user(name="Ada Admin", role=Role.ADMIN),
        }
        p = self.people
        for kind in ("author", "same_set", "same_cohort"):
            enrol(self.a, p[kind])
        enrol(self.a, p["facilitator"], "facilitator")
        enrol(self.a, p["manager"], "programme_manager")
        enrol(self.a, p["org_lead"], "organisation_lead")
        enrol(self.b, p["other_cohort"])
        enrol(self.b, p["other_facilitator"], "facilitator")
        _add_set(self.a, "Set 1", p["author"], p["same_set"])
        _add_set(self.a, "Set 2", p["same_cohort"])

    def __getitem__(self, kind: str):
        return self.people[kind]


@pytest.fixture
def world(app) -> World:
    return World()


def _signed_in(app, user):
    client = app.test_client()
    assert sign_in(client, user).status_code == 302
    return client


def _pages(client, world: World) -> dict[str, tuple[int, str]]:
    """What the reader's pages show: status and HTML of each."""
    author = world["author"]
    pages = {}
    for name, path in (
        ("journal", "/journal"),
        ("shared", SHARED),
        ("learner", f"/cohorts/{world.a.id}/learners/{author.id}"),
    ):
        response = client.get(path)
        pages[name] = (response.status_code, response.get_data(as_text=True))
    return pages


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("level", LEVELS)
def test_each_level_is_read_by_exactly_whom_its_label_says(app, world, level, reader):
    marker = f"Marker for {level} reflection"
    save_reflection(world["author"].id, PROMPT, marker, Visibility(level))
    entry = db.session.execute(select(JournalEntry)).scalar_one()
    assert entry.cohort_id == world.a.id

    user = world[reader]
    pages = _pages(_signed_in(app, user), world)
    expected = reader in CAN_READ[level]
    if reader == "author":
        assert marker in pages["journal"][1]
        assert marker not in pages["shared"][1]  # their own entries are in their journal
        assert can_read(user.id, entry.id)
        return
    assert marker not in pages["journal"][1]
    assert (marker in pages["shared"][1]) == expected, pages["shared"][1]
    status, html = pages["learner"]
    if reader in ("facilitator", "manager", "org_lead", "admin"):
        assert status == 200  # staff of cohort A open the learner's page…
        assert (marker in html) == expected  # …and see only what the rule lets them read
    else:
        assert status in (403, 404)
    assert can_read(user.id, entry.id) == expected


def test_the_reading_page_shows_who_wrote_what_where(app, world):
    save_reflection(
        world["author"].id, PROMPT, "The **fire service** is missing.", Visibility.COHORT
    )
    page = text_of(_signed_in(app, world["same_cohort"]).get(SHARED))
    assert "Shared with you" in page
    assert "Going further" in page  # the module
    assert "Ann Author" in page
    assert "Barnsley Council" in page
    assert "Mapping your place" in page  # the lesson, linked
    assert "Which public body is missing from your conversations, and why?" in page
    assert "The fire service is missing." in page  # rendered Markdown
    assert "Shared with the cohort" in page


def test_reflections_are_rendered_safely_on_the_reading_page(app, world):
    save_reflection(
        world["author"].id,
        PROMPT,
        '<script>alert(1)</script><img src=x onerror="alert(1)">',
        Visibility.COHORT,
    )
    html = _signed_in(app, world["same_cohort"]).get(SHARED).get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert "onerror" not in html


def test_grouped_by_module_in_course_order_newest_first(app, world):
    author, setmate = world["author"], world["same_set"]
    now = utcnow()
    rows = [
        # (author, prompt key, body, age in days)
        (author, PROMPT, "Going further, older", 3),
        (setmate, OTHER_PROMPT, "Going further, newer", 1),
        (
            author,
            "sample-course/first-steps/welcome#gone",
            "First steps, a prompt since removed",
            5,
        ),
    ]
    for user, key, body, days in rows:
        db.session.add(
            JournalEntry(
                user_id=user.id,
                cohort_id=world.a.id,
                prompt_key=key,
                body=body,
                body_html=f"<p>{body}</p>",
                visibility="cohort",
                created_at=now - timedelta(days=days),
                updated_at=now - timedelta(days=days),
            )
        )
    db.session.commit()
    page = text_of(_signed_in(app, world["same_cohort"]).get(SHARED))
    first = page.index("First steps, a prompt since removed")
    newer, older = page.index("Going further, newer"), page.index("Going further, older")
    assert first < newer < older
    assert "A prompt no longer in the course" in page
    assert "Going further (2 reflections)" in page
    assert "First steps (1 reflection)" in page


def test_empty_states_say_why(app, world):
    learner = _signed_in(app, world["same_cohort"])
    assert "Nobody has shared a reflection with you yet" in text_of(learner.get(SHARED))
    manager = _signed_in(app, world["manager"])
    body = text_of(manager.get(SHARED))
    assert "you are not a learner or facilitator in any cohort" in body


def test_the_journal_and_lesson_page_link_to_the_reading_page(app, world):
    client = _signed_in(app, world["author"])
    assert f'href="{SHARED}"' in client.get("/journal").get_data(as_text=True)
    lesson = client.get(f"/courses/{LESSON}").get_data(as_text=True)
    assert f'href="{SHARED}#module-sample-course-going-further"' in lesson
    shared = client.get(SHARED)
    assert shared.status_code == 200


# One cohort's reflections stay in it -----------------------------------------------------------


def test_re_enrolling_in_another_cohort_exposes_nothing_written_in_the_first(app, world):
    author = world["author"]
    for level, prompt in (("facilitators", PROMPT), ("cohort", OTHER_PROMPT)):
        save_reflection(author.id, prompt, f"Written in A for {level}", Visibility(level))
    # The manager of cohort B enrols the same learner there (as a spreadsheet import does), and
    # puts them in a learning set with one of B's learners.
    enrol(world.b, author)
    _add_set(world.b, "Set 1", author, world["other_cohort"])

    b_facilitator = _signed_in(app, world["other_facilitator"])
    learner_page = b_facilitator.get(f"/cohorts/{world.b.id}/learners/{author.id}")
    assert learner_page.status_code == 200  # the author is B's learner now…
    assert "Written in A" not in learner_page.get_data(as_text=True)  # …but wrote nothing in B
    assert "Written in A" not in b_facilitator.get(SHARED).get_data(as_text=True)
    b_learner = _signed_in(app, world["other_cohort"])
    assert "Written in A" not in b_learner.get(SHARED).get_data(as_text=True)

    # Editing an entry written in A keeps it in A.
    save_reflection(author.id, PROMPT, "Edited, still in A", Visibility.COHORT)
    # A new entry belongs to the cohort the author joined last: B.
    save_reflection(author.id, f"{LESSON}#new-one", "Written in B", Visibility.COHORT)
    cohorts = dict(db.session.execute(select(JournalEntry.body, JournalEntry.cohort_id)).all())
    assert cohorts["Edited, still in A"] == world.a.id
    assert cohorts["Written in B"] == world.b.id

    b_page = b_learner.get(SHARED).get_data(as_text=True)
    assert "Written in B" in b_page
    assert "Edited, still in A" not in b_page
    a_page = _signed_in(app, world["same_cohort"]).get(SHARED).get_data(as_text=True)
    assert "Edited, still in A" in a_page
    assert "Written in B" not in a_page
    a_facilitator = _signed_in(app, world["facilitator"]).get(SHARED).get_data(as_text=True)
    assert "Written in B" not in a_facilitator


def test_an_entry_with_no_cohort_is_read_by_its_author_alone(app, world):
    outsider = make_user(name="Previewing Manager", role=Role.PROGRAMME_MANAGER)
    save_reflection(outsider.id, PROMPT, "No cohort here", Visibility.COHORT)
    entry = db.session.execute(select(JournalEntry)).scalar_one()
    assert entry.cohort_id is None
    for kind in READERS:
        assert not can_read(world[kind].id, entry.id)
    assert can_read(outsider.id, entry.id)
    client = _signed_in(app, outsider)
    assert "so only you can read it" in text_of(client.get("/journal"))


def test_leaving_the_cohort_ends_reading_it(app, world):
    save_reflection(world["author"].id, PROMPT, "For the cohort", Visibility.COHORT)
    reader = world["same_cohort"]
    db.session.execute(
        CohortMember.__table__.delete().where(
            CohortMember.user_id == reader.id, CohortMember.cohort_id == world.a.id
        )
    )
    db.session.commit()
    assert "For the cohort" not in _signed_in(app, reader).get(SHARED).get_data(as_text=True)


# What the author is told ----------------------------------------------------------------------


def _write(client, body, visibility):
    page = client.get(f"/courses/{LESSON}")
    return client.post(
        f"/courses/{LESSON}/journal/who-is-missing",
        data={
            "app-who-is-missing-csrf_token": form_token(page),
            "app-who-is-missing-body": body,
            "app-who-is-missing-visibility": visibility,
        },
        follow_redirects=True,
    )


@pytest.mark.parametrize(
    ("level", "told"),
    [
        ("private", "Only you can read it."),
        ("facilitators", "You and your cohort's facilitators can read it."),
        ("learning_set", "You and the other learners in your learning set can read it."),
        ("cohort", "The learners and facilitators of your cohort can read it."),
    ],
)
def test_the_author_is_told_exactly_who_reads_it(app, world, level, told):
    page = text_of(_write(_signed_in(app, world["author"]), "Hello", level))
    assert f"Your reflection is saved. {told}" in page
    assert "not confirmed yet" not in page


def test_a_learner_without_a_set_is_told_nobody_reads_it_yet(app, world):
    page = text_of(_write(_signed_in(app, world["other_cohort"]), "Hello", "learning_set"))
    assert "Your learning set is not confirmed yet: until it is, only you can read it." in page


def test_the_form_says_who_each_choice_lets_in(app, world):
    page = text_of(_signed_in(app, world["author"]).get(f"/courses/{LESSON}"))
    assert "The other learners in your learning set. Not facilitators." in page
    assert "The learners and facilitators of your cohort." in page
    assert "Programme managers, organisation leads and admins never read your reflections" in page
    assert "Markdown" not in page  # the hint says what formatting works, in plain words


def test_the_authors_download_keeps_every_entry_and_says_who_reads_it(app, world):
    import io
    import json
    import zipfile

    save_reflection(world["author"].id, PROMPT, "Mine alone", Visibility.PRIVATE)
    save_reflection(world["author"].id, OTHER_PROMPT, "For my set", Visibility.LEARNING_SET)
    archive = zipfile.ZipFile(
        io.BytesIO(_signed_in(app, world["author"]).get("/account/my-data.zip").get_data())
    )
    rows = {row["body"]: row for row in json.loads(archive.read("journal.json"))}
    assert rows["Mine alone"]["who_can_read"] == "Only you can read it."
    assert rows["For my set"]["cohort"] == "South Yorkshire 2027"
    assert "Mine alone" in archive.read("journal.md").decode()
