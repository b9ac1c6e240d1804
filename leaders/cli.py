"""Flask commands: create-admin, seed-demo and places load. (`flask content …` is a plugin command: see catalogue.)"""

from __future__ import annotations

import click
from email_validator import EmailNotValidError, validate_email
from flask import Flask, current_app

from leaders.audit import audit_cli
from leaders.auth import services as accounts
from leaders.auth.models import Role
from leaders.auth.passwords import password_problem
from leaders.credentials.cli import credentials_cli
from leaders.demo import seed
from leaders.oversight import reminders  # noqa: F401  (registers the daily reminders with the queue)
from leaders.places.cli import places_cli


def register_commands(app: Flask) -> None:
    app.cli.add_command(create_admin)
    app.cli.add_command(seed_demo)
    app.cli.add_command(places_cli)
    app.cli.add_command(audit_cli)
    app.cli.add_command(credentials_cli)


def _check_email(email: str) -> str:
    try:
        return validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise click.BadParameter(f"{error}. Enter an address like name@example.com") from None


@click.command("create-admin")
@click.option("--email", prompt="Email address", help="The admin's email address.")
@click.option("--name", prompt="Full name", help="The admin's name.")
@click.option(
    "--password",
    prompt="Password (12 characters or more)",
    hide_input=True,
    confirmation_prompt=True,
    help="At least 12 characters, not a common password. Omit to be asked.",
)
def create_admin(email: str, name: str, password: str) -> None:
    """Create an admin account (the first one, usually)."""
    email = _check_email(email)
    problem = password_problem(password, email=email, name=name)
    if problem:
        raise click.ClickException(problem)
    try:
        accounts.create_user(email, name, password=password, role=Role.ADMIN)
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Created admin {email}.")


DEMO_ACCOUNTS = [
    # key, email, name, job title, global role, password (development only, printed by seed-demo)
    (
        "admin",
        "admin@example.org",
        "Priya Shah",
        "Platform administrator",
        Role.ADMIN,
        "demo-admin-cedar-river",
    ),
    (
        "manager",
        "manager@example.org",
        "Tom Okafor",
        "Programme manager",
        Role.PROGRAMME_MANAGER,
        "demo-manager-oak-harbour",
    ),
    (
        "learner",
        "learner@example.org",
        "Sarah Collins",
        "Head of Housing",
        Role.LEARNER,
        "demo-learner-maple-bridge",
    ),
    (
        "learner2",
        "learner2@example.org",
        "James Whitfield",
        "Clinical Lead",
        Role.LEARNER,
        "demo-learner-willow-quay",
    ),
    (
        "facilitator",
        "facilitator@example.org",
        "Grace Mensah",
        "Facilitator",
        Role.LEARNER,
        "demo-facilitator-birch-lane",
    ),
    (
        "lead",
        "lead@example.org",
        "David Hughes",
        "Director of People",
        Role.LEARNER,
        "demo-lead-ash-meadow",
    ),
]


@click.command("seed-demo")
def seed_demo() -> None:
    """Load demo accounts and data for development. Refuses to run in production."""
    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException(
            "seed-demo loads well-known passwords; it never runs in production."
        )
    for line in seed(DEMO_ACCOUNTS):
        click.echo(line)
