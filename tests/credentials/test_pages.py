"""The public verification page, the PDF, revocation and decisions by hand, your data and erasure."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile

import pikepdf
from sqlalchemy import select

from leaders.audit import Action, AuditEvent
from leaders.auth.models import Role
from leaders.credentials import signing, status
from leaders.credentials.models import AwardDecision, Credential
from leaders.extensions import db
from tests.conftest import sign_in
from tests.factories import enrol, make_user
from tests.helpers import form_token


def _row() -> Credential:
    row = db.session.scalar(select(Credential))
    assert row is not None
    return row


def test_anyone_can_see_that_it_is_valid(client, graduate):
    row = _row()
    page = client.get(f"/credentials/{row.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "This certificate is valid" in html
    assert "Ann Learner" in html
    assert "Sample course" in html
    assert "Sample 2026" in html
    assert "Place Leaders" in html
    enveloped = client.get(f"/credentials/{row.id}.json").get_json()
    assert enveloped["type"] == "EnvelopedVerifiableCredential"
    assert enveloped["id"] == f"data:application/vc+jwt,{row.token}"
    assert client.get(f"/credentials/{row.id}.jwt").get_data(as_text=True) == row.token
    assert client.get("/credentials/no-such-id").status_code == 404


def test_keys_did_document_and_status_list_are_served(client, graduate):
    jwks = client.get("/.well-known/jwks.json").get_json()
    assert jwks["keys"][0]["kty"] == "OKP"
    assert jwks["keys"][0]["kid"] == "did:web:localhost#key-1"
    assert "d" not in jwks["keys"][0]  # never the private part
    did = client.get("/.well-known/did.json").get_json()
    assert did["id"] == "did:web:localhost"
    assert did["assertionMethod"] == ["did:web:localhost#key-1"]
    token = client.get("/credentials/status/1").get_data(as_text=True)
    listed = signing.check_signature(token).credential
    assert listed["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    bits = status.decode(listed["credentialSubject"]["encodedList"])
    assert len(bits) == 16384
    assert not status.bit(bits, _row().status_index)
    assert client.get("/credentials/status/2").status_code == 404


def test_an_admin_revokes_with_a_reason_after_confirming(client, graduate, admin):
    row = _row()
    sign_in(client, admin)
    form = client.get(f"/credentials/{row.id}/revoke")
    token = form_token(form)
    empty = client.post(f"/credentials/{row.id}/revoke", data={"csrf_token": token, "reason": " "})
    assert "Enter why the certificate is revoked" in empty.get_data(as_text=True)
    asked = client.post(
        f"/credentials/{row.id}/revoke", data={"csrf_token": token, "reason": "Error"}
    )
    assert "Revoke Ann Learner" in asked.get_data(as_text=True)
    db.session.expire_all()
    assert _row().revoked_at is None  # not until confirmed
    done = client.post(
        f"/credentials/{row.id}/revoke",
        data={"csrf_token": token, "reason": "Error", "confirm": "yes"},
    )
    assert done.status_code == 302
    db.session.expire_all()
    assert _row().revoked_reason == "Error"
    page = client.get(f"/credentials/{row.id}").get_data(as_text=True)
    assert "This certificate has been revoked" in page
    bits = status.decode(
        signing.check_signature(
            client.get("/credentials/status/1").get_data(as_text=True)
        ).credential["credentialSubject"]["encodedList"]
    )
    assert status.bit(bits, row.status_index)


def test_the_pdf_is_tagged_and_says_who_and_what(client, graduate, tmp_path):
    row = _row()
    sign_in(client, graduate)
    response = client.get(f"/credentials/{row.id}/certificate.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    data = response.get_data()
    pdf = pikepdf.open(io.BytesIO(data))
    assert str(pdf.Root.Lang) == "en-GB"
    assert "/StructTreeRoot" in pdf.Root
    assert pdf.open_metadata().get("dc:title") == "Certificate: Sample course, Ann Learner"
    roles = {str(obj.get("/S")) for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary)}
    assert {"/H1", "/P", "/Figure"} <= roles  # headings, paragraphs, the QR code as a figure
    assert shutil.which("pdftoppm"), "install poppler-utils (pdftoppm, pdftotext)"
    (tmp_path / "c.pdf").write_bytes(data)
    words = subprocess.run(  # noqa: S603
        ["pdftotext", str(tmp_path / "c.pdf"), "-"],  # noqa: S607
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    for said in ("Ann Learner", "Sample course", "Sample 2026", "Place Leaders", row.id):
        assert said in words
    subprocess.run(  # noqa: S603
        [  # noqa: S607
            "pdftoppm",
            "-png",
            "-r",
            "50",
            "-f",
            "1",
            "-l",
            "1",
            str(tmp_path / "c.pdf"),
            str(tmp_path / "page"),
        ],
        check=True,
        timeout=60,
    )
    assert (tmp_path / "page-1.png").stat().st_size > 5000


def test_the_pdf_is_only_for_its_holder_and_admins(client, graduate, admin):
    row = _row()
    other = make_user(name="Ben Other")
    sign_in(client, other)
    assert client.get(f"/credentials/{row.id}/certificate.pdf").status_code == 404


def test_a_programme_manager_withholds_with_a_reason(client, graduate, cohort):
    manager = make_user(name="Mo Manager", role=Role.PROGRAMME_MANAGER)
    enrol(cohort, manager, "programme_manager")
    sign_in(client, manager)
    url = f"/cohorts/{cohort.id}/people/{graduate.id}/certificate"
    token = form_token(client.get(url))
    missing = client.post(url, data={"csrf_token": token, "decision": "withhold"})
    assert "Enter the reason for your decision" in missing.get_data(as_text=True)
    asked = client.post(
        url, data={"csrf_token": token, "decision": "withhold", "reason": "Plagiarism"}
    )
    assert "Withhold Ann Learner" in asked.get_data(as_text=True)
    client.post(
        url,
        data={
            "csrf_token": token,
            "decision": "withhold",
            "reason": "Plagiarism",
            "confirm": "yes",
        },
    )
    db.session.expire_all()
    assert _row().revoked_at is not None
    assert db.session.scalar(select(AwardDecision.reason)) == "Plagiarism"
    assert db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == Action.CERTIFICATE_WITHHELD.value)
    )
    client.post(
        url,
        data={
            "csrf_token": token,
            "decision": "award",
            "reason": "Appeal upheld",
            "confirm": "yes",
        },
    )
    rows = db.session.scalars(select(Credential)).all()
    assert sorted(r.revoked_at is None for r in rows) == [False, True]
    assert client.get(f"/cohorts/{cohort.id}/people/{manager.id}/certificate").status_code == 404


def test_your_data_lists_and_exports_them_and_erasure_revokes(client, graduate, admin):
    row = _row()
    sign_in(client, graduate)
    assert "Your certificates" in client.get("/account").get_data(as_text=True)
    archive = zipfile.ZipFile(io.BytesIO(client.get("/account/my-data.zip").get_data()))
    names = [n for n in archive.namelist() if n.endswith("certificates.json")]
    exported = json.loads(archive.read(names[0]))
    assert exported[0]["id"] == row.id
    assert exported[0]["verifiable_credential_jwt"] == row.token
    from leaders import personal_data, uow

    with uow.transaction():
        personal_data.erase(graduate.id)
    db.session.expire_all()
    erased = _row()
    assert erased.revoked_at is not None
    assert erased.recipient_name == ""
    assert erased.token == ""
    page = client.get(f"/credentials/{row.id}").get_data(as_text=True)
    assert "revoked" in page
    assert "Ann Learner" not in page
    assert client.get(f"/credentials/{row.id}.json").status_code == 410


def test_admins_list_search_and_sort_certificates(client, graduate, admin):
    sign_in(client, admin)
    page = client.get("/admin/credentials").get_data(as_text=True)
    assert "Ann Learner" in page
    assert "ann@example.org" in page
    assert "Showing 1 certificate" in page
    assert "Ann Learner" not in client.get("/admin/credentials?q=nobody").get_data(as_text=True)
    assert "Ann Learner" in client.get("/admin/credentials?sort=name&direction=asc&q=ann").get_data(
        as_text=True
    )
