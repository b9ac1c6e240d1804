"""Revocation through a W3C Bitstring Status List (v1.0).

Each credential has a random index in one list of 131,072 bits (16 KB, the specification's
minimum, so one credential's bit says little about who it is). A set bit means revoked. The list
is served as a credential of its own (``BitstringStatusListCredential``), signed like the others,
with ``encodedList`` the multibase (``u``: base64url, no padding) of the GZIP-compressed bits;
bit 0 is the most significant bit of the first byte.
"""

from __future__ import annotations

import base64
import gzip
import secrets
from typing import Any

from sqlalchemy import select

from leaders.credentials.models import Credential
from leaders.extensions import db
from leaders.timeutil import utcnow

LIST_BITS = 131_072
LIST_ID = "1"
PURPOSE = "revocation"


def encode(indexes: set[int], size: int = LIST_BITS) -> str:
    bits = bytearray(size // 8)
    for index in indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    packed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).decode().rstrip("=")


def decode(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise ValueError("encodedList must be multibase base64url (starting with u)")
    body = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def bit(bits: bytes, index: int) -> bool:
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def new_index() -> int:
    """A random index no credential uses yet."""
    used = set(db.session.scalars(select(Credential.status_index)))
    if len(used) >= LIST_BITS:
        raise RuntimeError("the status list is full")
    while True:
        index = secrets.randbelow(LIST_BITS)
        if index not in used:
            return index


def revoked_indexes() -> set[int]:
    return set(
        db.session.scalars(
            select(Credential.status_index).where(Credential.revoked_at.is_not(None))
        )
    )


def list_url(base: str) -> str:
    return f"{base}/credentials/status/{LIST_ID}"


def entry(base: str, index: int) -> dict[str, Any]:
    """The credentialStatus of a credential with this index."""
    return {
        "id": f"{list_url(base)}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": PURPOSE,
        "statusListIndex": str(index),
        "statusListCredential": list_url(base),
    }


def list_credential(base: str, issuer: dict[str, Any]) -> dict[str, Any]:
    """The status list credential as it stands now (unsigned)."""
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": list_url(base),
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"),
        "credentialSubject": {
            "id": f"{list_url(base)}#list",
            "type": "BitstringStatusList",
            "statusPurpose": PURPOSE,
            "encodedList": encode(revoked_indexes()),
        },
    }
