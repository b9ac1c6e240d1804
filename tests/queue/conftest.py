"""The queue's own tests: a real SMTP server, a real consumer process, no immediate mode."""

from __future__ import annotations

import pytest

from tests.queue.consumer import Consumer, environment
from tests.queue.smtp import SmtpServer


@pytest.fixture
def smtp():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def queue_url(tmp_path):
    return f"sqlite:///{tmp_path / 'queue.sqlite'}"


@pytest.fixture
def app_overrides(smtp, queue_url):
    return smtp.settings() | {"QUEUE_IMMEDIATE": False, "QUEUE_URL": queue_url}


@pytest.fixture
def consumers(migrated_url, queue_url, smtp, tmp_path):
    """Start consumers with `consumers(workers=2, **settings)`; all are stopped at the end."""
    started: list[Consumer] = []

    def start(workers: int = 2, **settings) -> Consumer:
        env = environment(migrated_url, queue_url, tmp_path, smtp.settings(), **settings)
        consumer = Consumer(env, tmp_path / "consumer.log", workers).start()
        started.append(consumer)
        return consumer

    yield start
    for consumer in started:
        consumer.stop()
