"""The issuer's Ed25519 key, and credentials secured as VC-JWT (W3C VC-JOSE-COSE).

Why a VC-JWT and not the ``eddsa-rdfc-2022`` Data Integrity cryptosuite: that suite signs the
RDF canonical form of the credential (RDF Dataset Canonicalization), which needs every JSON-LD
context the credential names (the VC 2.0 and Open Badges 3.0 contexts) expanded. Those are
fetched from the web, or pinned copies must be shipped and kept in step; this service has no
internet, and a verifier's result would then hinge on a context loader. A VC-JWT signs the exact
bytes of the JSON: any JOSE library checks it offline with the issuer's public key, which the app
publishes as a JWKS and in a did:web DID document. The algorithm is ``Ed25519`` (RFC 9864's
fully-specified name for EdDSA over Ed25519; ``jose`` and ``joserfc`` both take it).

The key comes from ``CREDENTIALS_SIGNING_KEY`` (an Ed25519 private key as PKCS#8 PEM or as a JWK).
Production refuses to start without one (config.py). Development makes a throwaway key once, in the instance
folder (so the demo seeder and the server sign with the same key), and logs a warning every start;
the tests make one for the life of the process.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from flask import Flask, current_app, has_request_context, request
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey

log = logging.getLogger(__name__)

ALGORITHM = "Ed25519"
MEDIA_TYPE = "application/vc+jwt"
KEY_FRAGMENT = "key-1"
_EXTENSION = "credential_signing_key"


class KeyMissing(RuntimeError):
    """No signing key is configured where one is required."""


def _load(text: str) -> OKPKey:
    text = text.strip()
    value: Any = json.loads(text) if text.startswith("{") else text
    key = OKPKey.import_key(value)
    if key.as_dict(private=False).get("crv") != "Ed25519" or not key.is_private:
        raise KeyMissing("CREDENTIALS_SIGNING_KEY must be an Ed25519 private key (PEM or JWK)")
    return key


def init_app(app: Flask) -> None:
    """Load the signing key now, so a bad key stops the app at start-up rather than at issue."""
    configured = app.config.get("CREDENTIALS_SIGNING_KEY") or ""
    if configured:
        app.extensions[_EXTENSION] = _load(configured)
        return
    if app.config.get("ENV_NAME") == "production":  # config.validate says so first; be sure
        raise KeyMissing("CREDENTIALS_SIGNING_KEY is not set")
    if app.config.get("ENV_NAME") == "development":
        # One throwaway key for the instance folder, so `flask seed-demo` and the server agree.
        path = Path(app.instance_path) / "development-credentials-key.pem"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(OKPKey.generate_key("Ed25519").as_pem(private=True))
            path.chmod(0o600)
        app.extensions[_EXTENSION] = _load(path.read_text())
        log.warning(
            "CREDENTIALS_SIGNING_KEY is not set: signing credentials with the development-only "
            "throwaway key in %s. Never use it in production.",
            path,
        )
        return
    app.extensions[_EXTENSION] = OKPKey.generate_key("Ed25519")
    log.info("CREDENTIALS_SIGNING_KEY is not set: a throwaway key for this test process")


def signing_key() -> OKPKey:
    return current_app.extensions[_EXTENSION]


def public_jwk() -> dict[str, Any]:
    jwk: dict[str, Any] = dict(signing_key().as_dict(private=False))
    return {**jwk, "kid": key_id(), "alg": ALGORITHM, "use": "sig"}


def base_url() -> str:
    """The public address credentials point to: CREDENTIALS_BASE_URL, else this request's host."""
    configured = (current_app.config.get("CREDENTIALS_BASE_URL") or "").rstrip("/")
    if configured:
        return configured
    if has_request_context():
        return request.host_url.rstrip("/")
    server = current_app.config.get("SERVER_NAME")
    scheme = current_app.config.get("PREFERRED_URL_SCHEME") or "http"
    return f"{scheme}://{server}" if server else "http://localhost:5000"


def issuer_did() -> str:
    """did:web for the public host (a port is written %3A, as the did:web method says)."""
    return "did:web:" + quote(urlsplit(base_url()).netloc, safe="")


def key_id() -> str:
    return f"{issuer_did()}#{KEY_FRAGMENT}"


def did_document() -> dict[str, Any]:
    did = issuer_did()
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/jwk/v1"],
        "id": did,
        "verificationMethod": [
            {
                "id": key_id(),
                "type": "JsonWebKey",
                "controller": did,
                "publicKeyJwk": {k: v for k, v in public_jwk().items() if k != "use"},
            }
        ],
        "assertionMethod": [key_id()],
    }


def jwks() -> dict[str, Any]:
    return {"keys": [public_jwk()]}


def sign(credential: dict[str, Any]) -> str:
    """The credential as a compact JWS (typ vc+jwt), signed with the issuer's key."""
    header = {"alg": ALGORITHM, "kid": key_id(), "typ": "vc+jwt", "cty": "vc"}
    payload = json.dumps(credential, separators=(",", ":"), ensure_ascii=False).encode()
    return jws.serialize_compact(header, payload, signing_key(), algorithms=[ALGORITHM])


@dataclass(frozen=True)
class Checked:
    """A token whose signature is good, and the credential it carries."""

    header: dict[str, Any]
    credential: dict[str, Any]


class Invalid(ValueError):
    """Why a token is not a good credential: bad signature, malformed…"""


def check_signature(token: str) -> Checked:
    """The credential in a token signed by this issuer's key; Invalid if it is not."""
    token = token.strip()
    if token.count(".") != 2:
        raise Invalid("malformed: not a compact JWS (three parts separated by dots)")
    public = OKPKey.import_key(signing_key().as_dict(private=False))
    try:
        result = jws.deserialize_compact(token, public, algorithms=[ALGORITHM])
    except JoseError as error:
        name = type(error).__name__
        if name == "BadSignatureError":
            raise Invalid(
                "bad signature: it was not signed by this issuer, or was changed"
            ) from None
        raise Invalid(f"malformed: {error.description or name}") from None
    except (ValueError, TypeError) as error:
        raise Invalid(f"malformed: {error}") from None
    if not str(result.headers().get("kid", "")).endswith(f"#{KEY_FRAGMENT}"):
        raise Invalid("bad signature: signed with a key this issuer does not publish")
    try:
        credential = json.loads(result.payload)
    except ValueError:
        raise Invalid("malformed: the payload is not JSON") from None
    if not isinstance(credential, dict):
        raise Invalid("malformed: the payload is not a credential object")
    return Checked(dict(result.headers()), credential)
