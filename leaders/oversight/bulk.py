"""Bulk actions on people a manager ticked on the People page (issue 14 point 2).

`plan` says, for one action and one selection, exactly who it affects and who it skips and why;
the confirmation page shows that plan and `apply` does it: one transaction, one audit entry per
person. `claim` makes a confirmation count once (a double click, a replayed form): its token is
unique in `BulkRun`.

Here, above cohorts, because a reminder is oversight's email (its at-risk reasons come from the
dashboard); the People page only posts the selection to this module's view.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field

from flask import render_template
from sqlalchemy import func, select, update

from leaders import audit, outbox
from leaders.auth import rules
from leaders.auth.models import User
from leaders.catalogue.store import get_catalogue
from leaders.cohorts import services
from leaders.cohorts.access import CohortAccess
from leaders.cohorts.models import Cohort, CohortMember, CohortRole
from leaders.cohorts.people_table import BULK_ACTIONS, Status, status_of
from leaders.cohorts.services import Person
from leaders.extensions import db
from leaders.filters import plural
from leaders.oversight import dashboard
from leaders.oversight.models import BulkRun
from leaders.upsert import insert

#: The largest due-date offset, as on one learner's due-dates page.
MAX_DAYS = 365


class Forged(Exception):
    """The selection names someone the page never offered (not in this cohort, or not visible)."""


def selection(access: CohortAccess, raw: Iterable[str]) -> list[Person]:
    """The people the ids name, in the page's order; Forged if any is not in this cohort.

    An id that is not a number is a broken request too (ValueError, a 400 in the view).
    """
    wanted = {int(value) for value in raw}
    members = {p.user_id: p for p in services.people(access)}
    if not wanted <= members.keys():
        raise Forged(sorted(wanted - members.keys()))
    return sorted((members[i] for i in wanted), key=lambda p: p.name.casefold())


@dataclass(frozen=True)
class Skip:
    person: Person
    why: str


@dataclass
class Plan:
    action: str
    affected: list[Person] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    #: The cohort people move to (move), or the days added to each due date (due-offset).
    target: Cohort | None = None
    days: int | None = None

    @property
    def label(self) -> str:
        return BULK_ACTIONS[self.action]


def move_targets(access: CohortAccess, user) -> list[Cohort]:
    """Cohorts of the same course the viewer manages (an admin: any), other than this one."""
    query = select(Cohort).where(
        Cohort.course_key == access.cohort.course_key, Cohort.id != access.cohort.id
    )
    if not rules.can_administer(user):
        query = query.join(CohortMember, CohortMember.cohort_id == Cohort.id).where(
            CohortMember.user_id == user.id,
            CohortMember.role == CohortRole.PROGRAMME_MANAGER.value,
        )
    return list(db.session.scalars(query.order_by(Cohort.starts_on.desc(), Cohort.name)))


def plan(
    access: CohortAccess,
    action: str,
    chosen: list[Person],
    *,
    actor_id: int,
    target: Cohort | None = None,
    days: int | None = None,
) -> Plan:
    result = Plan(action, target=target, days=days)
    in_target: set[int] = set()
    if target is not None:
        in_target = set(
            db.session.scalars(
                select(CohortMember.user_id).where(CohortMember.cohort_id == target.id)
            )
        )
    for person in chosen:
        why = _why_not(action, person, actor_id, in_target, target)
        if why:
            result.skipped.append(Skip(person, why))
        else:
            result.affected.append(person)
    return result


def _why_not(
    action: str, person: Person, actor_id: int, in_target: set[int], target: Cohort | None
) -> str | None:
    status = status_of(person)
    learner = person.role == CohortRole.LEARNER
    if action == "remove":
        return "you cannot remove yourself" if person.user_id == actor_id else None
    if status == Status.CLOSED:
        return "their account is closed"
    if action == "resend":
        if status != Status.INVITED:
            return "they have already taken up their account, so there is no invitation to resend"
        return None
    if not learner:
        return f"they are a {person.role.label.lower()}, not a learner"
    if action == "remind" and status == Status.INVITED:
        return "they have not accepted their invitation yet: resend it instead"
    if action == "move" and target is not None and person.user_id in in_target:
        return f"they are already in {target.name}"
    return None


def new_token() -> str:
    return secrets.token_urlsafe(24)


def claim(token: str, access: CohortAccess, action: str, count: int, actor_id: int) -> bool:
    """Record this confirmation; False if its token was used already (nothing is to be done)."""
    if not token or len(token) > 64:
        return False
    stmt = (
        insert(BulkRun)
        .values(
            token=token, cohort_id=access.cohort.id, actor_id=actor_id, action=action, count=count
        )
        .on_conflict_do_nothing(index_elements=["token"])
        .returning(BulkRun.id)
    )
    return db.session.execute(stmt).first() is not None


def apply(access: CohortAccess, done: Plan, *, actor_id: int) -> str:
    """Do the plan (no commit: the view's unit holds it, with the claim); what the banner says."""
    cohort = access.cohort
    n = len(done.affected)
    people = plural(n, "person", "people")
    if done.action == "remind":
        _remind(access, done.affected, actor_id)
        said = f"A reminder is queued for {people}. The Emails page shows when each is sent."
    elif done.action == "resend":
        users = db.session.scalars(
            select(User).where(User.id.in_([p.user_id for p in done.affected]))
        ).all()
        for user in sorted(users, key=lambda u: u.id):
            services.send_invitation(user, cohort)
            audit.record(
                audit.Action.INVITATION_RESENT, actor=actor_id, cohort=cohort, subject=user
            )
        said = f"A new invitation is queued for {people}. The Emails page shows when each is sent."
    elif done.action == "move":
        assert done.target is not None
        for person in done.affected:
            db.session.execute(
                update(CohortMember)
                .where(CohortMember.cohort_id == cohort.id, CohortMember.user_id == person.user_id)
                .values(cohort_id=done.target.id)
            )
            audit.record(
                audit.Action.MOVED,
                actor=actor_id,
                cohort=cohort,
                subject=person.user_id,
                detail=f"to {done.target.name} (cohort {done.target.id})",
            )
        said = (
            f"{people.capitalize()} moved to {done.target.name}. "
            "Their progress, journal and attendance are kept."
        )
    elif done.action == "remove":
        for person in done.affected:
            services.remove_person(cohort, person.user_id, actor=actor_id)
        said = f"{people.capitalize()} removed from {cohort.name}. Their accounts and records are kept."
    elif done.action == "due-offset":
        assert done.days is not None
        for person in done.affected:
            services.set_due_offset(cohort, person.user_id, done.days)
            audit.record(
                audit.Action.DUE_DATES_CHANGED,
                actor=actor_id,
                cohort=cohort,
                subject=person.user_id,
                detail=plural(done.days, "extra day"),
            )
        said = f"Every due date moves by {plural(done.days, 'day')} for {people}."
    else:  # the view offers only the actions above
        raise ValueError(done.action)
    if done.skipped:
        said += f" {plural(len(done.skipped), 'person', 'people')} left out, as the page said."
    return said


def _remind(access: CohortAccess, chosen: list[Person], actor_id: int) -> None:
    """The at-risk email of the daily reminders, with each learner's own figures and reasons."""
    cohort = access.cohort
    board = dashboard.build(CohortAccess(cohort, None, True), get_catalogue())
    rows = {row.person.user_id: row for row in board.learners}
    for person in chosen:
        row = rows[person.user_id]
        context = {"person": person, "row": row, "cohort": cohort, "board": board}
        outbox.queue(
            to=person.email,
            to_name=person.name,
            subject=f"Keep going with {cohort.name}",
            text=render_template("oversight/email/at_risk.txt", **context),
            html=render_template("oversight/email/at_risk.html", **context),
            kind="reminder",
            cohort=cohort,
            user=person.user_id,
        )
        audit.record(
            audit.Action.REMINDED,
            actor=actor_id,
            cohort=cohort,
            subject=person.user_id,
            detail="; ".join(row.risks) or "sent by hand",
        )


def runs(cohort_id: int) -> int:
    """How many bulk actions and messages have been confirmed for the cohort (for tests, pages)."""
    return (
        db.session.scalar(
            select(func.count()).select_from(BulkRun).where(BulkRun.cohort_id == cohort_id)
        )
        or 0
    )


def already_done(token: str) -> bool:
    """Whether a confirmation with this token has been carried out (a repeat changes nothing)."""
    if not token:
        return False
    return db.session.scalar(select(BulkRun.id).where(BulkRun.token == token)) is not None
