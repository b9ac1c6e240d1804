"""Personal data: a learner's download, erasure that keeps anonymous counts, the audit log, the notice."""

import io
import json
import zipfile

import pytest
from sqlalchemy import func, select

from leaders import outbox
from leaders.audit import AuditEvent
from leaders.auth.models import User
from leaders.extensions import db
from leaders.learning.models import JournalEntry, LessonProgress
from leaders.network.models import Tie
from leaders.outbox import services as outbox_services
from leaders.outbox.models import Email
from leaders.privacy import services
from leaders.privacy.models import ErasureRequest
from leaders.timeutil import utcnow
from tests.cohorts.conftest import Cast
from tests.conftest import sign_in
from tests.factories import PASSWORD
from tests.helpers import form_token, text_of
from tests.helpers import page as page_of

PROMPT = "sample-course/going-further/mapping-your-place#who-is-missing"


def _history(cast):
    ann, _, cat = cast.learners
    db.session.add_all(
        [
            LessonProgress(
                user_id=ann.id,
                lesson_key="sample-course/first-steps/welcome",
                completed_at=utcnow(),
                version_completed="v",
            ),
            JournalEntry(
                user_id=ann.id,
                prompt_key=PROMPT,
                body="My **private** thoughts",
                body_html="<p>x</p>",
                visibility="private",
            ),
            Tie(
                cohort_id=cast.cohort.id,
                user_a_id=min(ann.id, cat.id),
                user_b_id=max(ann.id, cat.id),
                kind="mentoring",
            ),
        ]
    )
    db.session.commit()


def test_a_learner_downloads_everything_held_about_them(app, client):
    cast = Cast()
    _history(cast)
    ann = cast.learners[0]
    sign_in(client, ann)
    response = client.get("/account/my-data.zip")
    assert response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    assert {
        "account.json",
        "cohorts.json",
        "progress.json",
        "knowledge_checks.json",
        "journal.json",
        "attendance.json",
        "connections.json",
        "network_survey_answers.json",
        "journal.md",
    } <= set(archive.namelist())
    assert json.loads(archive.read("account.json"))["email"] == ann.email
    assert (
        json.loads(archive.read("progress.json"))[0]["lesson_key"]
        == "sample-course/first-steps/welcome"
    )
    assert "My **private** thoughts" in archive.read("journal.md").decode()
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "downloaded-own-data")
        )
        == 1
    )


def test_your_data_says_what_the_download_holds_and_what_erasure_does(app, client):
    """The page's list of the zip's contents is the download's own: one phrase per file in it, in
    the same order, certificates included; the erasure text says certificates are revoked."""
    from leaders import personal_data

    cast = Cast()
    ann = cast.learners[0]
    sign_in(client, ann)
    page = client.get("/account")
    said = text_of(page)
    archive = zipfile.ZipFile(io.BytesIO(client.get("/account/my-data.zip").get_data()))
    files = [n for n in archive.namelist() if n != "README.txt"]
    exported = [h for h in personal_data.holdings() if h.export is not None]
    assert [h.name for h in exported] == files
    phrases = [h.shown_as for h in exported]
    assert "your certificates, each with its signed credential" in phrases
    assert "A zip file with everything held about you:" in said
    listed = page_of(page).one("ul", id="download-contents")
    assert [" ".join("".join(li.itertext()).split()) for li in listed.iter("li")] == phrases
    assert "Any certificate you hold will be revoked" in said
    assert "signed out everywhere" in said


def test_an_export_must_say_what_it_holds():
    from leaders import personal_data

    with pytest.raises(ValueError, match="shown_as"):
        personal_data.register("secret.json", export=lambda user_id: {})
    assert "secret.json" not in [h.name for h in personal_data.holdings()]


def test_erasure_removes_identity_and_journal_and_keeps_counts(app, client):
    cast = Cast()
    _history(cast)
    ann = cast.learners[0]
    sign_in(client, ann)
    page = client.get("/account")
    assert client.post("/account/erasure", data={"csrf_token": form_token(page)}).status_code == 302
    assert "You asked for your data to be erased" in text_of(client.get("/account"))

    admin = app.test_client()
    sign_in(admin, cast.admin)
    listing = admin.get("/admin/erasure-requests")
    assert "Ann Council" in text_of(listing)
    request = db.session.execute(select(ErasureRequest)).scalar_one()
    assert (
        admin.post(
            f"/admin/erasure-requests/{request.id}/erase",
            data={"csrf_token": form_token(listing), "confirm": "yes"},
        ).status_code
        == 302
    )

    db.session.expire_all()
    user = db.session.get(User, ann.id)
    assert (user.name, user.email, user.active, user.password_hash) == (
        "Erased learner",
        f"erased-{ann.id}@erased.invalid",
        False,
        None,
    )
    assert db.session.scalar(select(func.count()).select_from(JournalEntry)) == 0
    assert db.session.scalar(select(func.count()).select_from(Tie)) == 0
    assert (
        db.session.scalar(select(func.count()).select_from(LessonProgress)) == 1
    )  # anonymous count kept
    assert client.get("/home").status_code == 302  # signed out everywhere
    fresh = app.test_client()
    assert sign_in(fresh, email=ann.email, password=PASSWORD).status_code == 200  # cannot sign in
    manager = app.test_client()
    sign_in(manager, cast.manager)
    board = text_of(manager.get(f"/cohorts/{cast.cohort.id}"))
    # Erased people leave the dashboard's lists and figures; the page says they are left out.
    assert "Erased learner" not in board
    assert "Ann Council" not in board
    assert "2 learners" in board
    assert "Not counted in any figure on this page: 1 learner whose records were erased" in board


def test_viewing_learners_and_exports_are_audited(app, client):
    cast = Cast()
    ann = cast.learners[0]
    sign_in(client, cast.manager)
    client.get(f"/cohorts/{cast.cohort.id}/learners/{ann.id}")
    client.get(f"/cohorts/{cast.cohort.id}/export/learners.csv")
    client.get(f"/cohorts/{cast.cohort.id}/network/edges.csv")
    actions = db.session.execute(
        select(AuditEvent.action, AuditEvent.actor_id, AuditEvent.subject_id)
    ).all()
    assert ("viewed-learner", cast.manager.id, ann.id) in actions
    assert [a for a, *_ in actions].count("exported") == 2
    admin = app.test_client()
    sign_in(admin, cast.admin)
    log = text_of(admin.get("/admin/audit"))
    assert (
        f"Tom Manager {cast.manager.email} Viewed a learner's record {cast.cohort.name} Ann Council"
        in log
    )
    assert "Downloaded a report" in log
    assert "learners.csv, 3 rows" in log


def test_privacy_notice_is_public_and_linked(client):
    page = client.get("/privacy")
    assert page.status_code == 200
    assert "Your journal is yours" in text_of(page)
    assert 'href="/privacy"' in client.get("/").get_data(as_text=True)


def _emails_to(ann, bob, cohort):
    """A sent invitation and a still-queued reminder to Ann; an invitation to Bob."""
    for person in (ann, bob):
        outbox.queue(
            to=person.email,
            to_name=person.name,
            subject="You are invited",
            text=f"Hello {person.name}, your link: https://example.org/secret",
            kind="invitation",
            cohort=cohort,
            user=person,
        )
    db.session.commit()  # delivered at once in tests (QUEUE_IMMEDIATE): sent, to the log
    db.session.add(
        Email(
            to_address=ann.email,
            to_name=ann.name,
            subject="Keep going",
            text=f"Hello {ann.name}",
            kind="at-risk",
            cohort_id=cohort.id,
            user_id=ann.id,
            idempotency_key="reminder-ann",
        )
    )
    db.session.commit()


def test_the_download_lists_the_learners_own_emails_without_their_words(app, client):
    cast = Cast()
    ann, bob, _ = cast.learners
    _emails_to(ann, bob, cast.cohort)
    sign_in(client, ann)
    archive = zipfile.ZipFile(io.BytesIO(client.get("/account/my-data.zip").get_data()))
    emails = json.loads(archive.read("emails.json"))
    assert [(e["subject"], e["kind"], e["status"]) for e in emails] == [
        ("You are invited", "invitation", "sent"),
        ("Keep going", "at-risk", "queued"),
    ]
    assert emails[0]["sent_at"] >= emails[0]["queued_at"]
    assert emails[1]["sent_at"] is None
    assert "secret" not in archive.read("emails.json").decode()  # never a body: links in it


def test_erasure_scrubs_the_learners_emails_and_stops_one_on_its_way(app, client):
    cast = Cast()
    ann, bob, _ = cast.learners
    _emails_to(ann, bob, cast.cohort)
    services.request_erasure(ann.id)
    request = db.session.execute(select(ErasureRequest)).scalar_one()
    services.erase(request.id, cast.admin.id)

    db.session.expire_all()
    rows = db.session.scalars(select(Email).order_by(Email.id)).all()
    anns = [e for e in rows if e.to_address == f"erased-{ann.id}@erased.invalid"]
    assert len(anns) == 2  # kept, for the cohort's counts, with nothing that names her
    assert {(e.user_id, e.to_name, e.text, e.html) for e in anns} == {
        (None, "Erased learner", "", None)
    }
    assert sorted(e.status for e in anns) == ["failed", "sent"]  # the queued one is stopped
    assert not any(outbox_services.can_send_again(e) for e in anns)
    (bobs,) = [e for e in rows if e.user_id == bob.id]  # someone else's email is untouched
    assert (bobs.to_address, bobs.to_name) == (bob.email, bob.name)
    assert bob.name in bobs.text
