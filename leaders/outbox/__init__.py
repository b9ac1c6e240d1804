"""Every email goes through the outbox: a row committed with its cause, delivered by a job queue.

Features call `outbox.queue(...)` instead of sending; `flask worker` runs the deliveries.
"""

from __future__ import annotations

from flask import Flask

from leaders.outbox import cli, jobs
from leaders.outbox.enqueue import queue
from leaders.outbox.jobs import huey, in_app
from leaders.outbox.models import Email, EmailAttempt, Status

__all__ = ["Email", "EmailAttempt", "Status", "huey", "in_app", "init_app", "queue"]


def init_app(app: Flask) -> None:
    jobs.init_app(app)
    app.cli.add_command(cli.worker)
