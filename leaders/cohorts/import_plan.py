"""A checked spreadsheet waiting for the manager to confirm, and what confirming will do.

`plan` works out each row's step (new account, add an existing account, change a role, or
nothing); the confirmation page shows those counts and `apply` carries out those same steps, so
the page never promises what the import does not do.
"""

from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass
from datetime import timedelta
from enum import StrEnum

from sqlalchemy import delete, select

from leaders import audit, uow
from leaders.auth.models import User, email_key
from leaders.cohorts import services
from leaders.cohorts.enrolment import ImportRejected, Problem, Row
from leaders.cohorts.models import Cohort, CohortMember, CohortRole, PendingImport
from leaders.extensions import db
from leaders.organisations.models import Organisation
from leaders.timeutil import utcnow

#: A pending import older than this is gone; the manager uploads the file again.
PENDING_LIFETIME = timedelta(hours=24)


class Action(StrEnum):
    """What confirming does for one row."""

    #: A new account, added to the cohort and sent an invitation.
    CREATE = "create"
    #: An existing account, added to the cohort (its details stay as they are).
    ADD = "add"
    #: Already in the cohort with another role: the role changes.
    CHANGE_ROLE = "change-role"
    #: Already in the cohort with this role: nothing happens.
    NONE = "none"


@dataclass(frozen=True)
class Step:
    row: Row
    action: Action
    #: Sent an invitation: a new account, or an existing one not yet taken up (still "invited").
    invite: bool


@dataclass(frozen=True)
class Plan:
    """What confirming an import will do: the page shows it and `apply` carries it out."""

    pending: PendingImport
    steps: list[Step]
    #: Organisation names not yet known, as written in the file (first spelling wins).
    new_organisations: list[str]

    @property
    def rows(self) -> list[Row]:
        return [step.row for step in self.steps]

    def count(self, action: Action) -> int:
        return sum(1 for step in self.steps if step.action == action)

    @property
    def new_people(self) -> int:
        return self.count(Action.CREATE)

    @property
    def existing_people(self) -> int:
        return self.count(Action.ADD)

    @property
    def added(self) -> int:
        return self.new_people + self.existing_people

    @property
    def role_changes(self) -> int:
        return self.count(Action.CHANGE_ROLE)

    @property
    def unchanged(self) -> int:
        return self.count(Action.NONE)

    @property
    def invitations(self) -> int:
        return sum(1 for step in self.steps if step.invite)

    @property
    def existing_invited(self) -> int:
        return sum(1 for step in self.steps if step.invite and step.action == Action.ADD)

    @property
    def fingerprint(self) -> str:
        """The counts the page showed: confirming refuses if they changed in the meantime."""
        return "-".join(
            str(n)
            for n in (
                self.new_people,
                self.existing_people,
                self.role_changes,
                self.unchanged,
                self.invitations,
                len(self.new_organisations),
            )
        )


@uow.transactional
def stage(cohort: Cohort, user_id: int, filename: str, rows: list[Row]) -> PendingImport:
    """Keep validated rows until the manager confirms (and clear out old pending imports)."""
    db.session.execute(
        delete(PendingImport).where(PendingImport.created_at < utcnow() - PENDING_LIFETIME)
    )
    pending = PendingImport(
        cohort_id=cohort.id,
        created_by=user_id,
        filename=filename[:255],
        rows=[asdict(r) for r in rows],
    )
    db.session.add(pending)
    return pending


def pending_import(cohort: Cohort, pending_id: int, user_id: int) -> PendingImport | None:
    pending = db.session.get(PendingImport, pending_id)
    if (
        pending is None
        or pending.cohort_id != cohort.id
        or pending.created_by != user_id
        or pending.created_at < utcnow() - PENDING_LIFETIME
    ):
        return None
    return pending


def _organisation_key(name: str) -> str:
    return unicodedata.normalize("NFC", " ".join(name.split())).casefold()


def plan(pending: PendingImport) -> Plan:
    """Each row's step, from who already has an account and who is already in the cohort."""
    rows = [Row(**r) for r in pending.rows]
    accounts = {
        key: (user_id, joined)
        for user_id, key, joined in db.session.execute(
            select(User.id, User.email_key, User.joined_at.is_not(None)).where(
                User.email_key.in_({email_key(r.email) for r in rows})
            )
        )
    }
    members = dict(
        db.session.execute(
            select(CohortMember.user_id, CohortMember.role).where(
                CohortMember.cohort_id == pending.cohort_id
            )
        ).all()
    )
    steps = []
    for row in rows:
        account = accounts.get(email_key(row.email))
        if account is None:
            steps.append(Step(row, Action.CREATE, invite=True))
            continue
        user_id, joined = account
        if user_id not in members:
            steps.append(Step(row, Action.ADD, invite=not joined))
        elif members[user_id] != row.role:
            steps.append(Step(row, Action.CHANGE_ROLE, invite=False))
        else:
            steps.append(Step(row, Action.NONE, invite=False))
    known = {_organisation_key(n) for n in db.session.execute(select(Organisation.name)).scalars()}
    new_orgs: dict[str, str] = {}
    for r in rows:
        if _organisation_key(r.organisation) not in known:
            new_orgs.setdefault(_organisation_key(r.organisation), r.organisation)
    return Plan(pending, steps, list(new_orgs.values()))


class AlreadyImported(Exception):
    """The pending import was confirmed already (by another click of the same button)."""


@dataclass(frozen=True)
class Outcome:
    added: int
    updated: int
    organisations_created: int
    invited: list


@uow.transactional
def apply(cohort: Cohort, current: Plan, sectors: dict[str, str], *, actor: audit.Ref) -> Outcome:
    """Carry out the plan: create the new organisations (with the sectors chosen) and add everyone.

    One transaction. ``sectors`` maps each new organisation's name (lower case) to its sector.
    The invitations are queued in the same transaction (the outbox sends them once it commits).
    Rows whose step is "nothing" are not touched.
    """
    missing = [name for name in current.new_organisations if name.lower() not in sectors]
    if missing:
        raise ImportRejected(
            [Problem(None, "organisation", f'Choose a sector for "{name}"') for name in missing]
        )
    try:
        # Claim the pending import first: of two confirmations at once (a double click), one
        # deletes the row and goes on; the other deletes nothing and stops here.
        claimed = db.session.execute(
            delete(PendingImport)
            .where(PendingImport.id == current.pending.id)
            .returning(PendingImport.id)
        ).first()
        if claimed is None:
            raise AlreadyImported()
        for name in current.new_organisations:
            db.session.add(Organisation(name=name, sector=sectors[name.lower()]))
        db.session.flush()
        org_ids = {
            _organisation_key(n): i
            for i, n in db.session.execute(select(Organisation.id, Organisation.name)).all()
        }
        to_invite = []
        for step in current.steps:
            if step.action == Action.NONE:
                continue
            row = step.row
            user, _ = services.add_person(
                cohort,
                email=row.email,
                name=row.name,
                job_title=row.job_title,
                role=CohortRole(row.role),
                organisation_id=org_ids[_organisation_key(row.organisation)],
                actor=actor,
                imported_from=current.pending.filename,
            )
            if step.invite:
                to_invite.append(user)
        services.send_invitations(to_invite, cohort)
    except Exception:
        db.session.rollback()
        raise
    return Outcome(current.added, current.role_changes, len(current.new_organisations), to_invite)
