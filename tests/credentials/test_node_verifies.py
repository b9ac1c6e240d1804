"""A verifier that is not ours (Node, `jose`) checks what Python issued, against the served JWKS."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from leaders import uow
from leaders.credentials import services
from leaders.credentials.models import Credential
from leaders.extensions import db

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("verify.mjs")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


PORT = _free_port()


@pytest.fixture
def app_overrides() -> dict:
    return {"CREDENTIALS_BASE_URL": f"http://localhost:{PORT}"}


@pytest.fixture
def served(app) -> Iterator[str]:
    server = make_server("127.0.0.1", PORT, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{PORT}"
    finally:
        server.shutdown()
        thread.join(5)


def _node(path: Path) -> tuple[int, dict]:
    node = shutil.which("node")
    assert node, "node is needed for the independent verification test"
    result = subprocess.run(  # noqa: S603  (our own script, our own paths)
        [node, str(SCRIPT), str(path)], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.stdout, result.stderr
    return result.returncode, json.loads(result.stdout.strip().splitlines()[-1])


def test_jose_verifies_what_python_issued(graduate, served, tmp_path, admin):
    row = db.session.scalar(select(Credential))
    good = tmp_path / "good.json"
    good.write_text(json.dumps(services.enveloped(row)))
    code, said = _node(good)
    assert (code, said["state"]) == (0, "valid"), said
    assert said["name"] == "Sample course"
    assert said["listBytes"] == 16384

    head, payload, signature = row.token.split(".")
    i = len(payload) // 2
    changed = tmp_path / "changed.jwt"
    changed.write_text(
        f"{head}.{payload[:i]}{'A' if payload[i] != 'A' else 'B'}{payload[i + 1 :]}.{signature}"
    )
    code, said = _node(changed)
    assert (code, said["state"]) == (1, "invalid"), said

    with uow.transaction():
        services.revoke(row, "awarded in error", admin.id)
    code, said = _node(good)
    assert (code, said["state"]) == (2, "revoked"), said
    assert said["index"] == row.status_index
