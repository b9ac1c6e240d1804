"""Signing, verifying, revoking and the commands."""

from __future__ import annotations

import json

from sqlalchemy import select

from leaders import uow
from leaders.audit import Action, AuditEvent
from leaders.credentials import services, signing, status
from leaders.credentials.models import Credential
from leaders.extensions import db
from leaders.timeutil import utcnow
from tests.credentials.conftest import COURSE


def _row() -> Credential:
    row = db.session.scalar(select(Credential))
    assert row is not None
    return row


def test_the_credential_is_an_open_badge_signed_as_a_vc_jwt(graduate):
    row = _row()
    checked = signing.check_signature(row.token)
    assert checked.header["alg"] == "Ed25519"
    assert checked.header["typ"] == "vc+jwt"
    vc = checked.credential
    assert vc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert vc["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert vc["issuer"]["id"] == "did:web:localhost"
    achievement = vc["credentialSubject"]["achievement"]
    assert achievement["type"] == ["Achievement"]
    assert achievement["name"] == "Sample course"
    assert "Complete every lesson of the course" in achievement["criteria"]["narrative"]
    assert vc["credentialStatus"]["statusListIndex"] == str(row.status_index)
    assert services.verify(row.token).state == "valid"


def test_a_changed_character_fails_and_garbage_is_malformed(graduate):
    token = _row().token
    head, payload, signature = token.split(".")
    changed = payload[:10] + ("A" if payload[10] != "A" else "B") + payload[11:]
    verdict = services.verify(f"{head}.{changed}.{signature}")
    assert verdict.state == "invalid"
    assert verdict.reason.startswith(("bad signature", "malformed"))
    assert services.verify("not a token").reason.startswith("malformed")
    assert services.verify('{"id": "https://example.org"}').reason.startswith("malformed")


def test_revoking_sets_the_bit_and_is_audited(graduate, admin):
    row = _row()
    with uow.transaction():
        services.revoke(row, "awarded in error", admin.id)
    assert services.verify(row.token).state == "revoked"
    bits = status.decode(status.encode(status.revoked_indexes()))
    assert len(bits) == status.LIST_BITS // 8
    assert status.bit(bits, row.status_index)
    assert db.session.scalar(
        select(AuditEvent.action).where(AuditEvent.action == Action.CREDENTIAL_REVOKED.value)
    )


def test_an_expired_one_says_expired(graduate):
    row = _row()
    from datetime import timedelta

    row.valid_until = utcnow() - timedelta(days=1)
    vc = signing.check_signature(row.token).credential
    vc["validUntil"] = "2020-01-01T00:00:00Z"
    assert services.verify(signing.sign(vc)).state == "expired"


def test_issue_verify_list_commands(runner, graduate, tmp_path, learner):
    out = tmp_path / "ann.json"
    result = runner.invoke(
        args=[
            "credentials",
            "issue",
            "--email",
            "ANN@example.org",
            "--course",
            COURSE,
            "--out",
            str(out),
        ]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["type"] == "EnvelopedVerifiableCredential"
    result = runner.invoke(args=["credentials", "verify", str(out)])
    assert result.exit_code == 0
    assert result.output.startswith("valid: Sample course")
    listed = runner.invoke(args=["credentials", "list"]).output.strip().split("\t")
    assert listed == [_row().id, "ann@example.org", COURSE, "valid"]
    bad = tmp_path / "bad.json"
    bad.write_text(out.read_text().replace("eyJ", "eyK", 2))
    result = runner.invoke(args=["credentials", "verify", str(bad)])
    assert result.exit_code == 1
    assert "bad signature" in result.output or "malformed" in result.output


def test_issue_refuses_one_not_earned(runner, learner):
    result = runner.invoke(
        args=["credentials", "issue", "--email", "ann@example.org", "--course", COURSE]
    )
    assert result.exit_code == 1
    assert (
        "has not earned the sample-course certificate: 4 of 4 required lessons are not complete"
        in result.output
    )
    result = runner.invoke(
        args=["credentials", "issue", "--email", "nobody@example.org", "--course", COURSE]
    )
    assert result.exit_code == 1
    assert "No one has the email address" in result.output


def test_production_needs_a_signing_key():
    import pytest

    from config import ConfigError
    from leaders import create_app

    with pytest.raises(ConfigError, match="CREDENTIALS_SIGNING_KEY is not set"):
        create_app(
            "production",
            {
                "SECRET_KEY": "x" * 64,
                "SQLALCHEMY_DATABASE_URI": "sqlite://",
                "CONTENT_LOAD_ON_START": False,
            },
        )


def test_a_configured_pem_key_is_used(tmp_path):
    from joserfc.jwk import OKPKey

    from leaders import create_app

    key = OKPKey.generate_key("Ed25519")
    app = create_app(
        "production",
        {
            "SECRET_KEY": "x" * 64,
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "CONTENT_LOAD_ON_START": False,
            "CREDENTIALS_SIGNING_KEY": key.as_pem(private=True).decode(),
        },
    )
    with app.test_request_context():
        assert signing.public_jwk()["x"] == key.as_dict(private=False)["x"]
