"""Bulk actions on the People page: each goes through a confirmation that lists exactly who it
affects and who it leaves out (and why), then one transaction with an audit entry per person.
Forged selections, an empty selection and a double submit change nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from leaders.audit import Action, AuditEvent
from leaders.cohorts.models import CohortMember
from leaders.extensions import db
from leaders.outbox import Email
from tests.factories import enrol, make_cohort, make_user
from tests.helpers import form_token, page, sent_emails, text, text_of


@pytest.fixture
def app_overrides(tmp_path):
    return {"MAIL_OUTBOX_DIR": str(tmp_path / "outbox")}


def _start(client, cohort_id, action, people, **extra):
    token = form_token(client.get(f"/cohorts/{cohort_id}/people"))
    data = {"csrf_token": token, "action": action, "person": [p.id for p in people], **extra}
    return client.post(f"/cohorts/{cohort_id}/people/bulk", data=data)


def _fields(response, form_index=-1) -> dict[str, list[str]]:
    """The fields of a page's form (the last one: the header's sign-out form comes first)."""
    forms = page(response).find_all("form", method="post")
    fields: dict[str, list[str]] = {}
    for element in forms[form_index].iter("input"):
        if element.get("type") in ("hidden", "text") or element.get("checked") is not None:
            fields.setdefault(element.get("name"), []).append(element.get("value", ""))
    return fields


def _post_form(client, response, **changes):
    data = _fields(response) | {k: [v] for k, v in changes.items()}
    action = page(response).find_all("form", method="post")[-1].get("action")
    return client.post(action, data=data)


def _members(cohort) -> set[int]:
    db.session.expire_all()
    return set(
        db.session.scalars(select(CohortMember.user_id).where(CohortMember.cohort_id == cohort.id))
    )


def _audits(action: Action) -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action.value)))


def _listed(response, list_id) -> list[str]:
    found = page(response).find("ul", id=list_id)
    return [text(li) for li in found.findall("li")] if found is not None else []


def test_remove_lists_who_and_who_not_then_removes_them_once(cast, as_user):
    ann, ben, cat = cast.learners
    client = as_user(cast.manager)
    shown = _start(client, cast.cohort.id, "remove", [ann, ben, cast.manager])
    assert shown.status_code == 200
    assert [n.split(" (")[0] for n in _listed(shown, "affected")] == ["Ann Council", "Ben Council"]
    assert _listed(shown, "skipped") == ["Tom Manager: you cannot remove yourself."]
    assert _members(cast.cohort) >= {ann.id, ben.id}  # the confirmation changes nothing

    done = _post_form(client, shown)
    assert done.status_code == 302
    banner = text_of(client.get(done.headers["Location"]))
    assert "2 people removed from South Yorkshire 2027" in banner
    assert "1 person left out" in banner
    members = _members(cast.cohort)
    assert ann.id not in members
    assert ben.id not in members
    assert cat.id in members
    assert {e.subject_id for e in _audits(Action.REMOVED)} == {ann.id, ben.id}

    # The same confirmation again (a double click, the back button): nothing more happens.
    again = _post_form(client, shown)
    assert again.status_code == 302
    assert "already done" in text_of(client.get(again.headers["Location"]))
    assert len(_audits(Action.REMOVED)) == 2


def test_an_empty_selection_or_no_action_is_an_error_on_the_people_page(cast, as_user):
    client = as_user(cast.manager)
    nothing = _start(client, cast.cohort.id, "remove", [])
    summary = page(nothing).one("div", class_="govuk-error-summary")
    assert "Select at least one person" in text(summary)
    assert page(nothing).one("h1").text == "People"
    no_action = _start(client, cast.cohort.id, "", [cast.learners[0]])
    assert "Choose what to do" in text(page(no_action).one("div", class_="govuk-error-summary"))
    # What was ticked stays ticked.
    assert (
        page(no_action).one("input", id=f"person-{cast.learners[0].id}").get("checked") is not None
    )
    assert _members(cast.cohort) >= {p.id for p in cast.learners}


def test_forged_ids_are_refused_and_change_nothing(cast, as_user):
    ann = cast.learners[0]
    client = as_user(cast.manager)
    before = _members(cast.other_cohort)
    # Otto is in another cohort: not on this page, so not to be acted on from it.
    assert _start(client, cast.cohort.id, "remove", [ann, cast.outsider]).status_code == 404
    token = form_token(client.get(f"/cohorts/{cast.cohort.id}/people"))
    response = client.post(
        f"/cohorts/{cast.cohort.id}/people/bulk",
        data={"csrf_token": token, "action": "remove", "person": ["x1"], "confirm": "yes"},
    )
    assert response.status_code == 400
    assert ann.id in _members(cast.cohort)
    assert _members(cast.other_cohort) == before
    assert _audits(Action.REMOVED) == []


def test_a_confirmation_without_its_token_does_nothing(cast, as_user):
    ann = cast.learners[0]
    client = as_user(cast.manager)
    shown = _start(client, cast.cohort.id, "remove", [ann])
    assert _post_form(client, shown, token="").status_code == 400
    assert ann.id in _members(cast.cohort)


def test_resend_goes_only_to_people_still_invited(app, cast, as_user):
    ann = cast.learners[0]
    ivy = make_user(name="Ivy Invited", password=None)
    enrol(cast.cohort, ivy)
    client = as_user(cast.manager)
    shown = _start(client, cast.cohort.id, "resend", [ann, ivy])
    assert [n.split(" (")[0] for n in _listed(shown, "affected")] == ["Ivy Invited"]
    assert "Ann Council: they have already taken up their account" in _listed(shown, "skipped")[0]
    _post_form(client, shown)
    assert [m["to"] for m in sent_emails(app)] == [ivy.email]
    assert [e.subject_id for e in _audits(Action.INVITATION_RESENT)] == [ivy.id]


def test_reminder_is_the_daily_jobs_email_to_the_learners_selected(app, cast, as_user):
    ann, _ben, cat = cast.learners
    client = as_user(cast.manager)
    shown = _start(client, cast.cohort.id, "remind", [ann, cat, cast.facilitator])
    assert _listed(shown, "skipped") == ["Fay Facilitator: they are a facilitator, not a learner."]
    _post_form(client, shown)
    mails = sent_emails(app)
    assert sorted(m["to"] for m in mails) == sorted([ann.email, cat.email])
    assert all(m["subject"] == "Keep going with South Yorkshire 2027" for m in mails)
    assert "You have completed 0 of" in mails[0]["text"]
    kinds = db.session.scalars(select(Email.kind).where(Email.cohort_id == cast.cohort.id)).all()
    assert kinds == ["reminder", "reminder"]  # listed on the cohort's Emails page
    assert {e.subject_id for e in _audits(Action.REMINDED)} == {ann.id, cat.id}


def test_move_offers_only_cohorts_of_the_course_the_manager_runs(cast, as_user):
    ann, ben, _cat = cast.learners
    mine = make_cohort(name="South Yorkshire 2028")
    enrol(mine, cast.manager, "programme_manager")
    enrol(mine, ben)  # already there
    other_course = make_cohort("another-course", name="Other course 2028")
    enrol(other_course, cast.manager, "programme_manager")
    client = as_user(cast.manager)
    details = _start(client, cast.cohort.id, "move", [ann, ben])
    offered = [r.get("value") for r in page(details).find_all("input", type="radio")]
    # Not Kent (Olga runs it), not another course's cohort, not this one.
    assert offered == [str(mine.id)]
    forged = _post_form(client, details, target=str(cast.other_cohort.id))
    assert "Choose the cohort" in text(page(forged).one("div", class_="govuk-error-summary"))

    shown = _post_form(client, details, target=str(mine.id))
    assert [n.split(" (")[0] for n in _listed(shown, "affected")] == ["Ann Council"]
    assert _listed(shown, "skipped") == ["Ben Council: they are already in South Yorkshire 2028."]
    _post_form(client, shown)
    assert ann.id in _members(mine)
    assert ann.id not in _members(cast.cohort)
    assert ben.id in _members(cast.cohort)  # left out, so left where they were
    (moved,) = _audits(Action.MOVED)
    assert moved.subject_id == ann.id
    assert "South Yorkshire 2028" in moved.detail


def test_move_with_nowhere_to_go_says_so(cast, as_user):
    client = as_user(cast.manager)
    response = _start(client, cast.cohort.id, "move", [cast.learners[0]])
    assert "no other cohort of this course" in text(
        page(response).one("div", class_="govuk-error-summary")
    )


def test_due_date_offset_is_validated_then_set_for_each(cast, as_user):
    ann, ben, _ = cast.learners
    client = as_user(cast.manager)
    details = _start(client, cast.cohort.id, "due-offset", [ann, ben])
    for bad in ("", "ten", "-3", "400"):
        refused = _post_form(client, details, days=bad)
        assert "whole number from 0 to 365" in text(
            page(refused).one("div", class_="govuk-error-summary")
        )
    shown = _post_form(client, details, days="14")
    assert "14 days later" in page(shown).one("h1").text
    _post_form(client, shown)
    db.session.expire_all()
    offsets = db.session.scalars(
        select(CohortMember.due_offset_days).where(
            CohortMember.cohort_id == cast.cohort.id, CohortMember.user_id.in_([ann.id, ben.id])
        )
    ).all()
    assert offsets == [14, 14]
    assert len(_audits(Action.DUE_DATES_CHANGED)) == 2


@pytest.mark.parametrize("who", ["facilitator", "lead", "other_manager"])
def test_only_the_cohorts_managers_may(cast, as_user, who):
    ann = cast.learners[0]
    client = as_user(getattr(cast, who))
    token = form_token(client.get("/home"))
    response = client.post(
        f"/cohorts/{cast.cohort.id}/people/bulk",
        data={"csrf_token": token, "action": "remove", "person": [ann.id], "confirm": "yes"},
    )
    assert response.status_code == 403
    assert ann.id in _members(cast.cohort)
    count = db.session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "removed")
    )
    assert count == 0
