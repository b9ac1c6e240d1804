"""Email headers are never built from raw stored text: a name or cohort name stored with CR/LF (before
the form checks, or by another route) still sends one correct invitation, with no injected header.

A real SMTP server (aiosmtpd) on a free loopback port receives it.
"""

from __future__ import annotations

import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from leaders.extensions import db
from tests.cohorts.conftest import Cast
from tests.conftest import sign_in
from tests.factories import make_user
from tests.helpers import form_token


class Inbox:
    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd calls it by this name
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield controller, inbox
    finally:
        controller.stop()


@pytest.fixture
def app_overrides(smtp):
    controller, _ = smtp
    return {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": controller.port,
        "MAIL_USE_TLS": False,
        "MAIL_USE_SSL": False,
        "MAIL_USERNAME": "",
        "MAIL_TIMEOUT": 5,
        "MAIL_DEFAULT_SENDER": "Place Leaders <no-reply@place-leaders.example>",
    }


def test_a_stored_name_with_cr_lf_sends_one_correct_invitation(app, client, smtp):
    _, inbox = smtp
    cast = Cast()
    cast.cohort.name = "Ysgol ŵ\r\nBcc: cohort-victim@example.org"
    invitee = make_user(
        name="Eve Jones\r\nBcc: victim@example.org\r\nX-Injected: yes", password=None
    )
    db.session.commit()
    from tests.factories import enrol

    enrol(cast.cohort, invitee)
    sign_in(client, cast.manager)
    people = client.get(f"/cohorts/{cast.cohort.id}/people")
    response = client.post(
        f"/cohorts/{cast.cohort.id}/people/{invitee.id}/resend",
        data={"csrf_token": form_token(people)},
    )
    assert response.status_code == 302

    assert len(inbox.received) == 1
    mail_from, recipients, raw = inbox.received[0]
    assert recipients == [invitee.email]  # nobody added by a Bcc in the name
    assert mail_from == "no-reply@place-leaders.example"
    message = message_from_bytes(raw, policy=policy.default)
    assert message["Bcc"] is None
    assert message["X-Injected"] is None
    assert message["Subject"] == (
        "You are invited to Ysgol ŵ Bcc: cohort-victim@example.org on Place Leaders"
    )
    to = message["To"].addresses
    assert len(to) == 1
    assert to[0].addr_spec == invitee.email
    assert to[0].display_name == "Eve Jones Bcc: victim@example.org X-Injected: yes"
    assert "Eve Jones" in message.get_body(("plain",)).get_content()


def test_a_name_in_any_script_is_encoded_not_mangled(app, smtp):
    from leaders import mail

    _, inbox = smtp
    with app.test_request_context():
        mail.send(
            mail.Message(
                to="gwen@example.org", to_name="Gwên Ŷmlaen 😀", subject="Croeso ŵ", text="Helo"
            )
        )
    message = message_from_bytes(inbox.received[0][2], policy=policy.default)
    assert message["To"].addresses[0].display_name == "Gwên Ŷmlaen 😀"
    assert message["Subject"] == "Croeso ŵ"
