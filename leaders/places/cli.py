"""`flask places load`: build or refresh the place registry from the bundled reference data."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from leaders.places import services

places_cli = AppGroup("places", help="The place registry (local authority areas).")


@places_cli.command("load")
def load() -> None:
    """Load the bundled ONS places and the changes since; safe to run again."""
    try:
        result = services.load_places()
    except services.PlaceDataError as error:
        raise click.ClickException(
            f"The place data has a problem; nothing was loaded. {error}"
        ) from None
    click.echo(f"Loaded {result}")
    for country in ("England", "Wales"):
        counts = {k: n for k, n in services.count_current_by_kind(country=country).items() if n}
        click.echo(f"Principal councils in {country} today: {sum(counts.values())}")
        for kind, number in counts.items():
            click.echo(f"  {kind.label:<22} {number:>4}")
