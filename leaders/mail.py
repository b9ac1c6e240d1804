"""Outgoing email: SMTP when MAIL_SERVER is set, otherwise the log (and a development outbox).

Headers are never built by pasting text together: the subject and the recipient's name pass
`leaders.text.one_line` (a name stored with a line break cannot add a header), and the recipient
is an `email.headerregistry.Address`, which quotes and encodes a display name in any script.
"""

from __future__ import annotations

import json
import logging
import smtplib
import ssl
from dataclasses import asdict, dataclass, replace
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from flask import current_app

from leaders.text import one_line, printable
from leaders.timeutil import utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    to: str
    subject: str
    text: str
    html: str | None = None
    #: The recipient's name, for the To header ("Ann Jones <ann@example.org>").
    to_name: str = ""
    #: The Message-ID header; empty: a new one (the outbox passes one derived from its row).
    message_id: str = ""


def send(message: Message) -> None:
    """Send one message. Every message has a plain-text part; HTML is optional."""
    config = current_app.config
    message = replace(
        message,
        to=one_line(message.to),
        to_name=one_line(message.to_name),
        subject=one_line(message.subject),
        text=printable(message.text),
        html=printable(message.html) if message.html else None,
    )
    email = EmailMessage()
    email["From"] = one_line(config["MAIL_DEFAULT_SENDER"])
    email["To"] = Address(display_name=message.to_name, addr_spec=message.to)
    email["Subject"] = message.subject
    email["Message-ID"] = one_line(message.message_id) or make_msgid(domain="place-leaders")
    email.set_content(message.text)
    if message.html:
        email.add_alternative(message.html, subtype="html")

    if config["MAIL_SERVER"]:
        _send_smtp(email)
    else:
        log.info("Email to %s: %s\n%s", message.to, message.subject, message.text)
    if config.get("MAIL_OUTBOX_DIR"):
        _write_outbox(Path(config["MAIL_OUTBOX_DIR"]), message)


def _send_smtp(email: EmailMessage) -> None:
    config = current_app.config
    timeout = config["MAIL_TIMEOUT"]
    if config["MAIL_USE_SSL"]:
        server: smtplib.SMTP = smtplib.SMTP_SSL(
            config["MAIL_SERVER"],
            config["MAIL_PORT"],
            timeout=timeout,
            context=ssl.create_default_context(),
        )
    else:
        server = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=timeout)
    with server:
        if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
            server.starttls(context=ssl.create_default_context())
        if config["MAIL_USERNAME"]:
            server.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        server.send_message(email)


def _write_outbox(folder: Path, message: Message) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    sent_at = utcnow()
    record = asdict(message) | {"sent_at": sent_at.isoformat()}
    name = f"{sent_at:%Y%m%dT%H%M%S%f}-{abs(hash(message.to)) % 10**6:06d}.json"
    (folder / name).write_text(json.dumps(record, indent=2), encoding="utf-8")


def outbox(limit: int = 50) -> list[dict]:
    """The newest messages in the development outbox."""
    folder = current_app.config.get("MAIL_OUTBOX_DIR")
    if not folder or not Path(folder).is_dir():
        return []
    files = sorted(Path(folder).glob("*.json"), reverse=True)[:limit]
    return [json.loads(f.read_text(encoding="utf-8")) for f in files]
