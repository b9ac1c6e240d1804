"""Enrolling a cohort from a spreadsheet (CSV): validate every row first, then write all or nothing.

Columns (any order, header names case-insensitive): name, email, organisation, job title, cohort role.
Re-importing the same file changes nothing: people are matched by email, memberships by person.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import delete, func, select

from leaders.cohorts import services
from leaders.cohorts.models import Cohort, CohortRole, PendingImport
from leaders.extensions import db
from leaders.timeutil import utcnow

COLUMNS = ("name", "email", "organisation", "job title", "cohort role")
MAX_ROWS = 1000
#: A pending import older than this is gone; the manager uploads the file again.
PENDING_LIFETIME = timedelta(hours=24)
ROLE_WORDS = "learner, facilitator, programme manager or organisation lead"


@dataclass(frozen=True)
class Problem:
    #: The spreadsheet row (1 is the header), or None for the file as a whole.
    row: int | None
    column: str
    message: str


@dataclass(frozen=True)
class Row:
    row: int
    name: str
    email: str
    organisation: str
    job_title: str
    role: str


class ImportRejected(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problems")


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRejected(
        [
            Problem(
                None,
                "",
                "The file is not text. Save it from Excel as 'CSV UTF-8 (comma delimited)'",
            )
        ]
    )


def parse(data: bytes) -> list[Row]:
    """Every row, checked. ImportRejected lists every problem, each with its row and column."""
    if not data.strip():
        raise ImportRejected(
            [Problem(None, "", "The file is empty. Choose the CSV file with your list of people")]
        )
    text = _decode(data)
    if "\x00" in text:
        raise ImportRejected(
            [Problem(None, "", "The file is not a CSV file. Save it from Excel as 'CSV UTF-8'")]
        )
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise ImportRejected(
            [Problem(1, "", "The first row must name the columns: " + ", ".join(COLUMNS))]
        ) from None
    names = [cell.strip().lower().replace("_", " ") for cell in header]
    problems: list[Problem] = []
    for column in COLUMNS:
        if column not in names:
            problems.append(Problem(1, column, f'Add a column headed "{column}"'))
    for cell in names:
        if cell and cell not in COLUMNS:
            problems.append(
                Problem(
                    1,
                    cell,
                    f'Remove the column "{cell}", or rename it to one of: ' + ", ".join(COLUMNS),
                )
            )
    if problems:
        raise ImportRejected(problems)
    position = {column: names.index(column) for column in COLUMNS}

    rows: list[Row] = []
    seen: dict[str, int] = {}
    try:
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= MAX_ROWS:
                problems.append(
                    Problem(
                        number,
                        "",
                        f"A file can have at most {MAX_ROWS} people. Split it into smaller files",
                    )
                )
                break
            value = {c: (cells[i].strip() if i < len(cells) else "") for c, i in position.items()}
            row_problems = _check_row(number, value, seen)
            problems += row_problems
            if not row_problems:
                rows.append(
                    Row(
                        number,
                        value["name"],
                        _normalise_email(value["email"]),
                        " ".join(value["organisation"].split()),
                        value["job title"],
                        (CohortRole.parse(value["cohort role"]) or CohortRole.LEARNER).value,
                    )
                )
    except csv.Error as error:
        problems.append(
            Problem(
                reader.line_num,
                "",
                f"The file could not be read here ({error}). Check for a stray quotation mark",
            )
        )
    if problems:
        raise ImportRejected(problems)
    if not rows:
        raise ImportRejected(
            [
                Problem(
                    None,
                    "",
                    "The file has no people in it. Add a row for each person under the headings",
                )
            ]
        )
    return rows


def _normalise_email(email: str) -> str:
    return validate_email(email, check_deliverability=False).normalized


def _check_row(number: int, value: dict[str, str], seen: dict[str, int]) -> list[Problem]:
    problems = []
    if not value["name"]:
        problems.append(Problem(number, "name", "Enter the person's full name"))
    elif len(value["name"]) > 200:
        problems.append(Problem(number, "name", "Name must be 200 characters or fewer"))
    if not value["email"]:
        problems.append(Problem(number, "email", "Enter an email address"))
    else:
        try:
            email = _normalise_email(value["email"])
        except EmailNotValidError:
            problems.append(
                Problem(
                    number,
                    "email",
                    f'"{value["email"]}" is not an email address. Use the format name@example.com',
                )
            )
        else:
            first = seen.get(email.lower())
            if first:
                problems.append(
                    Problem(
                        number,
                        "email",
                        f"This email address is already on row {first}. List each person once",
                    )
                )
            else:
                seen[email.lower()] = number
    if not value["organisation"]:
        problems.append(
            Problem(number, "organisation", "Enter the organisation the person works for")
        )
    elif len(value["organisation"]) > 200:
        problems.append(
            Problem(number, "organisation", "Organisation must be 200 characters or fewer")
        )
    if len(value["job title"]) > 200:
        problems.append(Problem(number, "job title", "Job title must be 200 characters or fewer"))
    if value["cohort role"] and CohortRole.parse(value["cohort role"]) is None:
        problems.append(
            Problem(
                number,
                "cohort role",
                f'"{value["cohort role"]}" is not a cohort role. Use {ROLE_WORDS}',
            )
        )
    return problems


# Pending imports ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """What confirming an import will do."""

    pending: PendingImport
    rows: list[Row]
    new_people: int
    existing_people: int
    #: Organisation names not yet known, as written in the file (first spelling wins).
    new_organisations: list[str]


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
    db.session.commit()
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


def plan(pending: PendingImport) -> Plan:
    from leaders.auth.models import User
    from leaders.organisations.models import Organisation

    rows = [Row(**r) for r in pending.rows]
    emails = {r.email.lower() for r in rows}
    existing = set(
        db.session.execute(
            select(func.lower(User.email)).where(func.lower(User.email).in_(emails))
        ).scalars()
    )
    known = set(db.session.execute(select(func.lower(Organisation.name))).scalars())
    new_orgs: dict[str, str] = {}
    for r in rows:
        if r.organisation.lower() not in known:
            new_orgs.setdefault(r.organisation.lower(), r.organisation)
    return Plan(
        pending, rows, len(emails - existing), len(emails & existing), list(new_orgs.values())
    )


class AlreadyImported(Exception):
    """The pending import was confirmed already (by another click of the same button)."""


@dataclass(frozen=True)
class Outcome:
    added: int
    updated: int
    organisations_created: int
    invited: list


def apply(cohort: Cohort, pending: PendingImport, sectors: dict[str, str]) -> Outcome:
    """Create the new organisations (with the sectors chosen) and add everyone: one transaction.

    ``sectors`` maps each new organisation's name (lower case) to its sector. Invitations are sent by
    the caller after this returns, so a mail failure never leaves half an import.
    """
    from leaders.cohorts.models import CohortMember
    from leaders.organisations.models import Organisation

    current = plan(pending)
    missing = [name for name in current.new_organisations if name.lower() not in sectors]
    if missing:
        raise ImportRejected(
            [Problem(None, "organisation", f'Choose a sector for "{name}"') for name in missing]
        )
    try:
        # Claim the pending import first: of two confirmations at once (a double click), one
        # deletes the row and goes on; the other deletes nothing and stops here.
        claimed = db.session.execute(
            delete(PendingImport).where(PendingImport.id == pending.id).returning(PendingImport.id)
        ).first()
        if claimed is None:
            raise AlreadyImported()
        for name in current.new_organisations:
            db.session.add(Organisation(name=name, sector=sectors[name.lower()]))
        db.session.flush()
        org_ids = {
            n.lower(): i
            for i, n in db.session.execute(select(Organisation.id, Organisation.name)).all()
        }
        before = dict(
            db.session.execute(
                select(CohortMember.user_id, CohortMember.role).where(
                    CohortMember.cohort_id == cohort.id
                )
            ).all()
        )
        to_invite = []
        added = updated = 0
        for row in current.rows:
            user, needs_invite = services.add_person(
                cohort,
                email=row.email,
                name=row.name,
                job_title=row.job_title,
                role=CohortRole(row.role),
                organisation_id=org_ids[row.organisation.lower()],
            )
            if user.id not in before:
                added += 1
                if needs_invite:
                    to_invite.append(user)
            elif before[user.id] != row.role:
                updated += 1
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return Outcome(added, updated, len(current.new_organisations), to_invite)
