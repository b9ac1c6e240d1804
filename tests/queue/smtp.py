"""A real SMTP server (aiosmtpd) on a free loopback port that tests and the bench can steer.

It can be stopped and started again (connection refused meanwhile), answer each message slowly,
and answer 421/451/550 instead of accepting. What it accepted is in `received`.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Handler:
    def __init__(self) -> None:
        self.received: list[dict] = []
        self.lock = threading.Lock()
        #: Seconds to wait before answering a recipient (the message is not accepted yet).
        self.rcpt_delay = 0.0
        #: Seconds to wait after DATA before accepting the message.
        self.data_delay = 0.0
        #: Replies to give to the next messages' DATA instead of accepting them, e.g. ["451 4.3.0 Try later"].
        self.replies: list[str] = []
        #: Set while a recipient is being held by rcpt_delay (a send in progress).
        self.holding = threading.Event()

    async def handle_RCPT(
        self, server, session, envelope, address, rcpt_options
    ):  # aiosmtpd's name
        if self.rcpt_delay:
            self.holding.set()
            await asyncio.sleep(self.rcpt_delay)
            self.holding.clear()
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd calls it by this name
        if self.data_delay:
            await asyncio.sleep(self.data_delay)
        with self.lock:
            if self.replies:
                return self.replies.pop(0)
            message = message_from_bytes(envelope.content, policy=policy.default)
            self.received.append(
                {
                    "to": list(envelope.rcpt_tos),
                    "subject": str(message["Subject"]),
                    "message_id": str(message["Message-ID"]),
                    "at": time.monotonic(),
                }
            )
        return "250 OK"

    def recipients(self) -> list[str]:
        with self.lock:
            return [to for m in self.received for to in m["to"]]


class SmtpServer:
    def __init__(self, port: int | None = None) -> None:
        self.handler = Handler()
        self.port = port or free_port()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def settings(self) -> dict:
        return {
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": self.port,
            "MAIL_USE_TLS": False,
            "MAIL_USE_SSL": False,
            "MAIL_USERNAME": "",
            "MAIL_TIMEOUT": 10,
            "MAIL_DEFAULT_SENDER": "Place Leaders <no-reply@place-leaders.example>",
        }
