"""A learning-set proposal is a saved draft: it outlasts sign-out, colleagues share it, stale or
forged changes are refused, names and facilitators are checked, and every change is audited."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from leaders.audit import Action, AuditEvent
from leaders.auth.models import Role
from leaders.cohorts.models import LearningSet, LearningSetMember
from leaders.extensions import db
from leaders.network.models import SetDraft
from tests.conftest import sign_in
from tests.factories import Cast, enrol, make_organisation, make_user
from tests.helpers import form_token, text_of


def _cast() -> Cast:
    cast = Cast()
    orgs = [
        make_organisation(f"Body {i}", sector)
        for i, sector in enumerate(["nhs", "police", "education", "fire_and_rescue"])
    ]
    for i in range(9):
        enrol(cast.cohort, make_user(name=f"Learner {i}", organisation_id=orgs[i % 4].id))
    return cast  # 12 learners


def _client(app, user):
    client = app.test_client()
    assert sign_in(client, user).status_code == 302
    return client


def _sets(cast) -> str:
    return f"/cohorts/{cast.cohort.id}/sets"


def _version(page) -> str:
    return re.search(r'name="version" value="(\d+)"', page.get_data(as_text=True))[1]


def _post(client, cast, action, version=None, **data):
    page = client.get(_sets(cast))
    return client.post(
        f"{_sets(cast)}/{action}",
        data={
            "csrf_token": form_token(page),
            "version": _version(page) if version is None else version,
            **data,
        },
    )


def _draft(cast) -> SetDraft | None:
    db.session.expire_all()
    return db.session.execute(
        select(SetDraft).where(SetDraft.cohort_id == cast.cohort.id)
    ).scalar_one_or_none()


def _audited(action: Action) -> list[str]:
    return list(
        db.session.execute(
            select(AuditEvent.detail).where(AuditEvent.action == action.value)
        ).scalars()
    )


def _names_data(page, names, facilitators) -> dict[str, str]:
    data = {"csrf_token": form_token(page), "version": _version(page)}
    for i, (name, facilitator) in enumerate(zip(names, facilitators, strict=True)):
        data[f"sets-{i}-key"] = str(i)
        data[f"sets-{i}-name"] = name
        data[f"sets-{i}-facilitator"] = str(facilitator or "")
    return data


def test_a_draft_outlasts_sign_out_and_a_colleague_sees_it(app):
    cast = _cast()
    colleague = make_user(name="Cara Colleague", role=Role.PROGRAMME_MANAGER)
    enrol(cast.cohort, colleague, "programme_manager")
    manager = _client(app, cast.manager)
    assert _post(manager, cast, "propose").status_code == 302
    plan = _draft(cast).plan
    manager.post("/sign-out", data={"csrf_token": form_token(manager.get("/home"))})
    assert manager.get(_sets(cast)).status_code == 302  # signed out

    again = _client(app, cast.manager)
    page = text_of(again.get(_sets(cast)))
    assert "Proposed sets" in page
    assert "Proposed by Tom Manager on" in page
    assert _draft(cast).plan == plan  # the same draft, not a new one

    other = _client(app, colleague)
    ann = cast.learners[0]
    assert _post(other, cast, "move", person=ann.id, to_set=2).status_code == 302
    seen = text_of(again.get(_sets(cast)))
    assert "Proposed by Tom Manager on" in seen
    assert "Last changed by Cara Colleague on" in seen
    assert "Ann Council Placed by hand" in seen
    assert len(_audited(Action.SETS_PROPOSED)) == 1
    assert _audited(Action.SETS_DRAFT_CHANGED) == ["moved to Set 2"]


def test_a_change_from_an_overtaken_page_is_refused(app):
    cast = _cast()
    colleague = make_user(name="Cara Colleague", role=Role.PROGRAMME_MANAGER)
    enrol(cast.cohort, colleague, "programme_manager")
    manager, other = _client(app, cast.manager), _client(app, colleague)
    _post(manager, cast, "propose")
    old_page = manager.get(_sets(cast))  # Tom's page shows version 1
    ann, ben, _ = cast.learners
    assert _post(other, cast, "move", person=ann.id, to_set=2).status_code == 302
    plan = _draft(cast).plan

    for action, data in (
        ("move", {"person": ben.id, "to_set": 1}),
        ("propose", {}),
        ("confirm", {}),
        ("discard", {}),
    ):
        response = manager.post(
            f"{_sets(cast)}/{action}",
            data={"csrf_token": form_token(old_page), "version": _version(old_page), **data},
        )
        assert response.status_code == 409, action
        assert "Someone changed this proposal after you opened the page" in text_of(response)
        assert _draft(cast).plan == plan
    # A form with no version (drawn before there was a draft) cannot overwrite one either.
    assert _post(manager, cast, "propose", version="0").status_code == 409
    assert db.session.scalar(select(func.count()).select_from(LearningSet)) == 0


def test_a_forged_move_changes_nothing(app):
    cast = _cast()
    manager = _client(app, cast.manager)
    _post(manager, cast, "propose")
    plan = _draft(cast).plan
    # Someone outside the cohort, and a set that does not exist.
    response = _post(manager, cast, "move", person=cast.outsider.id, to_set=1)
    assert response.status_code == 200
    assert "There is a problem" in text_of(response)
    response = _post(manager, cast, "move", person=cast.learners[0].id, to_set=9)
    assert "There is a problem" in text_of(response)
    assert _draft(cast).plan == plan
    assert _audited(Action.SETS_DRAFT_CHANGED) == []


def test_names_and_facilitators_are_checked_then_confirmed(app):
    cast = _cast()
    second = make_user(name="Sam Second")
    enrol(cast.cohort, second, "facilitator")
    elsewhere = make_user(name="Elsa Elsewhere")
    enrol(cast.other_cohort, elsewhere, "facilitator")
    manager = _client(app, cast.manager)
    _post(manager, cast, "propose")
    page = manager.get(_sets(cast))
    assert "Facilitator of set 1" in text_of(page)
    url = f"{_sets(cast)}/names"
    plan = _draft(cast).plan

    for names, facilitators, message in (
        (["Rivers", "rivers"], [None, None], "Another set in this cohort is called rivers"),
        (["Rivers", " "], [None, None], "Set 2: Enter a name for the set"),
        (["Rivers", "x" * 101], [None, None], "Set 2: Set name must be 100 characters or fewer"),
        # A facilitator of another cohort, and a learner: not this cohort's facilitators.
        (["Rivers", "Hills"], [elsewhere.id, None], "Set 1: Choose a facilitator of this cohort"),
        (["Rivers", "Hills"], [None, cast.learners[0].id], "Choose a facilitator of this cohort"),
    ):
        response = manager.post(url, data=_names_data(page, names, facilitators))
        assert response.status_code == 200
        body = text_of(response)
        assert "There is a problem" in body
        assert message in body, body
        assert _draft(cast).plan == plan

    response = manager.post(
        url, data=_names_data(page, ["Rivers", "Hills"], [cast.facilitator.id, second.id])
    )
    assert response.status_code == 302
    assert _draft(cast).plan["names"] == ["Rivers", "Hills"]
    assert _audited(Action.SETS_DRAFT_CHANGED) == ["named the sets: Rivers, Hills"]
    body = text_of(manager.get(_sets(cast)))
    assert "Facilitator: Fay Facilitator" in body

    assert _post(manager, cast, "confirm").status_code == 302
    rows = db.session.execute(
        select(LearningSet.name, LearningSet.facilitator_id).order_by(LearningSet.id)
    ).all()
    assert rows == [("Rivers", cast.facilitator.id), ("Hills", second.id)]
    assert _draft(cast) is None  # confirmed: the draft is done


def test_a_draft_that_no_longer_fits_the_cohort_is_not_confirmed(app):
    cast = _cast()
    manager = _client(app, cast.manager)
    _post(manager, cast, "propose")
    enrol(cast.cohort, make_user(name="Late Joiner"))
    page = text_of(manager.get(_sets(cast)))
    assert "The saved proposal no longer fits the cohort" in page
    response = _post(manager, cast, "confirm")
    assert "no longer fits the cohort" in text_of(response)
    assert db.session.scalar(select(func.count()).select_from(LearningSetMember)) == 0
    # Proposing again starts from the cohort as it is now.
    assert _post(manager, cast, "propose").status_code == 302
    assert sum(len(m) for m in _draft(cast).plan["sets"]) == 13


def test_confirming_again_keeps_the_set_rows(app):
    """What points at a set (its meetings) still does after the sets are replaced."""
    cast = _cast()
    manager = _client(app, cast.manager)
    _post(manager, cast, "propose")
    _post(manager, cast, "confirm")
    ids = list(db.session.execute(select(LearningSet.id).order_by(LearningSet.id)).scalars())
    _post(manager, cast, "propose")
    response = _post(manager, cast, "confirm", confirm="yes")
    assert response.status_code == 302
    db.session.expire_all()
    assert (
        list(db.session.execute(select(LearningSet.id).order_by(LearningSet.id)).scalars()) == ids
    )
    assert db.session.scalar(select(func.count()).select_from(LearningSetMember)) == 12


def test_a_confirmed_set_is_renamed_and_given_a_facilitator(app):
    cast = _cast()
    manager = _client(app, cast.manager)
    _post(manager, cast, "propose")
    _post(manager, cast, "confirm")
    first, _second = db.session.execute(select(LearningSet).order_by(LearningSet.id)).scalars()
    url = f"/cohorts/{cast.cohort.id}/sets/{first.id}/edit"
    page = manager.get(url)
    assert page.status_code == 200
    token = form_token(page)
    taken = manager.post(url, data={"csrf_token": token, "name": "set 2", "facilitator": ""})
    assert "Another set in this cohort is called set 2" in text_of(taken)
    forged = manager.post(
        url, data={"csrf_token": token, "name": "Rivers", "facilitator": str(cast.outsider.id)}
    )
    assert "Choose a facilitator of this cohort" in text_of(forged)
    db.session.expire_all()
    assert (first.name, first.facilitator_id) == ("Set 1", None)
    done = manager.post(
        url, data={"csrf_token": token, "name": "Rivers", "facilitator": str(cast.facilitator.id)}
    )
    assert done.status_code == 302
    db.session.expire_all()
    assert (first.name, first.facilitator_id) == ("Rivers", cast.facilitator.id)
    assert _audited(Action.SET_CHANGED) == [
        "Rivers: renamed Set 1 to Rivers; facilitator: Fay Facilitator"
    ]
    # Another cohort's set is not reached through this cohort's address.
    assert manager.get(f"/cohorts/{cast.other_cohort.id}/sets/{first.id}/edit").status_code == 403


def test_confirming_fewer_sets_names_the_meetings_it_deletes(app):
    """A proposal with fewer sets than are confirmed drops the newest sets, and their meetings and
    registers go with them: the confirmation page names each meeting and its marks first, nothing
    is deleted until the manager says yes, and the audit entry counts what went."""
    from datetime import UTC, datetime

    from leaders.cohorts.models import Attendance, CohortSession

    cast = _cast()
    manager = _client(app, cast.manager)
    _post(manager, cast, "propose")
    _post(manager, cast, "confirm")
    kept_count = db.session.scalar(select(func.count()).select_from(LearningSet))
    extra = LearningSet(cohort_id=cast.cohort.id, name="Set Zeta")
    db.session.add(extra)
    db.session.flush()
    meeting = CohortSession(
        cohort_id=cast.cohort.id,
        set_id=extra.id,
        title="Zeta <check-in>",
        kind="learning_set",
        starts_at=datetime(2026, 3, 4, 14, 0, tzinfo=UTC),
        location="Room 2",
    )
    kept_meeting = CohortSession(
        cohort_id=cast.cohort.id,
        set_id=db.session.scalar(select(func.min(LearningSet.id))),
        title="First set's meeting",
        kind="learning_set",
        starts_at=datetime(2026, 3, 5, 14, 0, tzinfo=UTC),
        location="Room 3",
    )
    db.session.add_all([meeting, kept_meeting])
    db.session.flush()
    for person in cast.learners[:2]:
        db.session.add(Attendance(session_id=meeting.id, user_id=person.id, status="present"))
    db.session.commit()

    _post(manager, cast, "propose")
    page = _post(manager, cast, "confirm")
    said = text_of(page)
    assert page.status_code == 200
    assert "1 meeting of the sets that go will be deleted, with their attendance registers" in said
    assert "Set Zeta: Zeta <check-in> on 4 March 2026" in said
    assert "(2 attendance marks)" in said
    assert "First set's meeting" not in said  # its set is kept and refilled
    assert "&lt;check-in&gt;" in page.get_data(as_text=True)  # escaped, not markup
    assert db.session.scalar(select(func.count()).select_from(CohortSession)) == 2  # not yet

    assert _post(manager, cast, "confirm", confirm="yes").status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(LearningSet)) == kept_count
    titles = list(db.session.execute(select(CohortSession.title)).scalars())
    assert titles == ["First set's meeting"]
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 0
    detail = db.session.execute(
        select(AuditEvent.detail)
        .where(AuditEvent.action == Action.SETS_CONFIRMED.value)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).scalar_one()
    assert "1 meetings of the sets removed deleted, with 2 attendance marks" in detail


def test_confirming_as_many_sets_deletes_no_meeting(app):
    from datetime import UTC, datetime

    from leaders.cohorts.models import CohortSession

    cast = _cast()
    manager = _client(app, cast.manager)
    _post(manager, cast, "propose")
    _post(manager, cast, "confirm")
    first = db.session.scalar(select(func.min(LearningSet.id)))
    db.session.add(
        CohortSession(
            cohort_id=cast.cohort.id,
            set_id=first,
            title="Kept meeting",
            kind="learning_set",
            starts_at=datetime(2026, 3, 5, 14, 0, tzinfo=UTC),
            location="Room 3",
        )
    )
    db.session.commit()
    _post(manager, cast, "propose")
    said = text_of(_post(manager, cast, "confirm"))
    assert "will be deleted" not in said
    assert _post(manager, cast, "confirm", confirm="yes").status_code == 302
    db.session.expire_all()
    assert list(db.session.execute(select(CohortSession.title)).scalars()) == ["Kept meeting"]
