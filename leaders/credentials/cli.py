"""``flask credentials issue | verify | list | award-earned``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TextIO

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from leaders import uow
from leaders.auth.models import User
from leaders.credentials import listeners, services
from leaders.extensions import db

credentials_cli = AppGroup("credentials", help="Certificates: issue, verify and list them.")


@credentials_cli.command("issue")
@click.option("--email", required=True, help="The learner's email address.")
@click.option(
    "--course", "course_key", required=True, help="The course key, like leading-your-place."
)
@click.option(
    "--out", type=click.Path(dir_okay=False, writable=True), help="Write it to this file."
)
def issue_command(email: str, course_key: str, out: str | None) -> None:
    """Issue the signed credential (as an EnvelopedVerifiableCredential) to a learner who earned it."""
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"No one has the email address {email}.")
    try:
        with uow.transaction():
            row = services.issue(user.id, course_key)
    except services.NotEarned as error:
        raise click.ClickException(
            f"{user.email} has not earned the {course_key} certificate: " + "; ".join(error.reasons)
        ) from None
    text = json.dumps(services.enveloped(row), indent=2) + "\n"
    if out:
        Path(out).write_text(text, encoding="utf-8")
        click.echo(f"Wrote credential {row.id} to {out}.", err=True)
    else:
        click.echo(text, nl=False)
    click.echo(f"Verification page: {services.verification_url(row.id)}", err=True)


@credentials_cli.command("verify")
@click.argument("file", type=click.File("r", encoding="utf-8"))
def verify_command(file: TextIO) -> None:
    """Check a credential: exit 0 if valid, 1 with the reason if not (signature, revoked, expired)."""
    verdict = services.verify(file.read())
    if verdict.valid:
        subject = (verdict.credential or {}).get("credentialSubject", {})
        click.echo(
            f"valid: {subject.get('achievement', {}).get('name', '')}, "
            f"{(verdict.credential or {}).get('id', '')}"
        )
        return
    click.echo(verdict.reason, err=True)
    sys.exit(1)


@credentials_cli.command("list")
def list_command() -> None:
    """One line per issued credential: id, email, course key, status."""
    for row, email in services.everyone():
        click.echo(f"{row.id}\t{email or '(erased)'}\t{row.course_key}\t{services.state_of(row)}")


@credentials_cli.command("award-earned")
@click.option("--course", "course_key", required=True, help="The course key.")
def award_earned_command(course_key: str) -> None:
    """Recompute the rule for every learner on the course; issue to those who have earned it."""
    issued = listeners.award_earned(course_key)
    click.echo(f"Issued {len(issued)} certificates for {course_key}.")
