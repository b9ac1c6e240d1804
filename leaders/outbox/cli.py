"""`flask worker`: the queue's consumer. It delivers emails and runs the periodic tasks."""

from __future__ import annotations

import logging

import click
from flask import current_app
from flask.cli import with_appcontext
from huey.constants import WORKER_PROCESS, WORKER_THREAD

from leaders.extensions import db
from leaders.outbox.jobs import huey
from leaders.outbox.tasks import requeue_pending


@click.command("worker")
@click.option("-w", "--workers", type=int, default=None, help="Workers (default QUEUE_WORKERS).")
@click.option(
    "-k",
    "--worker-type",
    type=click.Choice([WORKER_THREAD, WORKER_PROCESS]),
    default=WORKER_THREAD,
    help="Threads (default) or processes.",
)
@click.option("--no-periodic", is_flag=True, help="Do not run the scheduled tasks here.")
@with_appcontext
def worker(workers: int | None, worker_type: str, no_periodic: bool) -> None:
    """Run the job queue's consumer: email delivery, reminders and digests. Stop with Ctrl+C."""
    if huey.immediate:
        raise click.ClickException("QUEUE_IMMEDIATE is on: jobs run where they are queued.")
    logging.getLogger("huey").setLevel(logging.INFO)
    # Emails whose job died with an earlier consumer get a job again (a duplicate job is harmless:
    # only one can claim the email).
    found = requeue_pending()
    click.echo(f"{found} emails waiting to be sent.")
    db.session.remove()
    db.engine.dispose()  # no connection is shared with the workers (processes fork)
    consumer = huey.create_consumer(
        workers=workers or current_app.config["QUEUE_WORKERS"],
        worker_type=worker_type,
        periodic=not no_periodic,
        initial_delay=0.1,
        max_delay=1.0,
        check_worker_health=True,
    )
    consumer.run()
