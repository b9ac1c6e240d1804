"""A real queue consumer: `flask worker` in its own process, on the test's database and queue file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def environment(database_url: str, queue_url: str, instance: Path, mail: dict, **extra) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "PYTHONPATH": str(ROOT),
            "LEADERS_CONFIG": "development",
            "INSTANCE_DIR": str(instance),
            "DATABASE_URL": database_url.replace("postgresql+psycopg://", "postgresql://"),
            "QUEUE_URL": queue_url,
            "QUEUE_IMMEDIATE": "0",
            "CONTENT_DIR": str(ROOT / "tests" / "fixtures" / "content"),
            "CONTENT_CACHE_DIR": str(instance / "content-cache"),
            "MAIL_OUTBOX_DIR": str(instance / "mail-outbox"),
            "LOG_LEVEL": "WARNING",
        }
    )
    env.update({k: str(int(v) if isinstance(v, bool) else v) for k, v in mail.items()})
    env.update({k: str(v) for k, v in extra.items()})
    return env


class Consumer:
    def __init__(self, env: dict, log: Path, workers: int = 2) -> None:
        self.env, self.log, self.workers = env, log, workers
        self.process: subprocess.Popen | None = None

    def start(self) -> Consumer:
        with self.log.open("ab") as out:  # the child keeps its own copy of the file
            self.process = subprocess.Popen(  # noqa: S603  (our own interpreter and command)
                [
                    sys.executable,
                    "-m",
                    "flask",
                    "--app",
                    "leaders",
                    "worker",
                    "-w",
                    str(self.workers),
                ],
                env=self.env,
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        return self

    def kill(self) -> None:
        """SIGKILL: no chance to finish anything."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


def wait_for(condition: Callable[[], object], timeout: float = 30, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"Timed out after {timeout} s waiting for {what or condition}")
