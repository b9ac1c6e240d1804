"""Responses on the wire: Brotli or gzip for text over 1 KB, and static files cached under a hash."""

from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path

import brotli

from leaders import audit
from tests.conftest import sign_in
from tests.factories import make_user


def same_page(a: bytes, b: bytes) -> bool:
    """Equal but for what changes on every response (the CSP nonce, CSRF tokens)."""
    varying = re.compile(rb'(nonce|value)="[^"]*"')
    return varying.sub(b"", a) == varying.sub(b"", b)


def test_pages_over_1kb_are_sent_with_brotli_or_gzip_as_the_client_accepts(client) -> None:
    plain = client.get("/accessibility")
    assert plain.status_code == 200
    assert "Content-Encoding" not in plain.headers
    assert len(plain.data) > 1024

    br = client.get("/accessibility", headers={"Accept-Encoding": "gzip, br"})
    assert br.headers["Content-Encoding"] == "br"
    assert same_page(brotli.decompress(br.data), plain.data)
    assert len(br.data) < len(plain.data) / 2
    assert "Accept-Encoding" in br.headers["Vary"]

    gz = client.get("/accessibility", headers={"Accept-Encoding": "gzip"})
    assert gz.headers["Content-Encoding"] == "gzip"
    assert same_page(gzip.decompress(gz.data), plain.data)


def test_small_responses_and_pdfs_are_not_compressed(client) -> None:
    small = client.get("/healthz", headers={"Accept-Encoding": "br, gzip"})
    assert len(small.get_data()) < 1024
    assert "Content-Encoding" not in small.headers


def test_static_files_carry_their_hash_and_are_cached_for_a_year_only_under_it(client, app) -> None:
    page = client.get("/accessibility").get_data(as_text=True)
    href = re.search(r'href="(/static/govuk/app\.css\?v=([0-9a-f]{12}))"', page)
    assert href, "the stylesheet link carries the file's hash"
    css = Path(app.static_folder, "govuk", "app.css").read_bytes()
    assert href.group(2) == hashlib.sha256(css).hexdigest()[:12]

    with client.get(href.group(1)) as current:
        assert current.status_code == 200
        assert current.cache_control.max_age == 365 * 24 * 3600
        assert current.cache_control.immutable
        assert current.cache_control.public

    with client.get("/static/govuk/app.css?v=000000000000") as stale:
        assert stale.cache_control.max_age == 3600
        assert not stale.cache_control.immutable
    with client.get("/static/govuk/app.css") as bare:
        assert bare.cache_control.max_age == 3600


def test_a_csv_export_is_compressed_too(client, app) -> None:
    admin = make_user(role="admin")
    for n in range(40):
        audit.record_now(audit.Action.EXPORTED, actor=admin, detail=f"test export number {n}")
    assert sign_in(client, admin).status_code == 302
    plain = client.get("/admin/audit.csv")
    assert plain.status_code == 200
    assert len(plain.data) > 1024
    br = client.get("/admin/audit.csv", headers={"Accept-Encoding": "br"})
    assert br.headers["Content-Encoding"] == "br"
    assert b"test export number 39" in brotli.decompress(br.data)
    assert len(br.data) < len(plain.data) / 2
