"""The job queue (Huey): its storage, chosen by configuration, and the app its jobs run in.

Storage: ``QUEUE_URL`` empty → a SQLite file under instance/ (nothing to install); ``redis://…``
→ Redis. ``QUEUE_IMMEDIATE`` runs each job at once, in the process that enqueues it (tests).
A consumer (`flask worker`) runs the jobs and the periodic tasks.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

from flask import Flask, current_app, has_app_context
from huey import Huey
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

#: The one queue. Its storage is set from the app's configuration by `init_app`.
huey = Huey("leaders", storage_class=MemoryStorage, results=False, utc=True)

_state: dict[str, Flask] = {}


def init_app(app: Flask) -> None:
    """Point the queue at the configured storage; remember the app for jobs run by a consumer."""
    _state["app"] = app
    url = app.config.get("QUEUE_URL") or ""
    if url.startswith(("redis://", "rediss://", "unix://")):
        huey.storage_class, huey.storage_kwargs = RedisStorage, {"url": url}
    else:
        path = (
            url.removeprefix("sqlite:///") if url else str(Path(app.instance_path) / "queue.sqlite")
        )
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        huey.storage_class, huey.storage_kwargs = SqliteStorage, {"filename": path}
    huey._immediate = bool(app.config.get("QUEUE_IMMEDIATE"))
    huey.storage = huey.create_storage()


def app() -> Flask:
    if has_app_context():
        return current_app._get_current_object()  # type: ignore[attr-defined]  # the real app behind the proxy
    return _state["app"]


def in_app(func: Callable[..., Any]) -> Callable[..., Any]:
    """Run a job in a fresh app context (its own database session, apart from any request's)."""

    @wraps(func)
    def run(*args: Any, **kwargs: Any) -> Any:
        with app().app_context():
            return func(*args, **kwargs)

    return run
