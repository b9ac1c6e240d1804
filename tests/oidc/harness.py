"""The test OpenID Providers: the real one (node oidc-provider) and a token-crafting one.

`NodeProvider` runs tests/oidc/provider.mjs on a free loopback port and signs people in through
its own login page, with `login()` driving that page over HTTP the way a browser would. The main
flow and most refusals run against it.

`CraftedProvider` is a small OpenID Provider written here that answers the authorization request
at once and returns an ID token made by the test — with the wrong audience, expired, signed with
another key, with the wrong nonce — signed by joserfc with a key published at its JWKS. Nothing in
the app knows which one it talks to: both are found by their discovery documents.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import requests
from joserfc import jwt
from joserfc.jwk import RSAKey

REPO = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("provider.mjs")
CLIENT_ID = "place-leaders"
CLIENT_SECRET = "a-test-client-secret-long-enough-for-hs256-xxxxxxxx"
TENANT = "11111111-1111-1111-1111-111111111111"
OTHER_TENANT = "22222222-2222-2222-2222-222222222222"
DOMAIN = "kent.example.gov.uk"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def entra_account(login: str, email: str, *, verified: bool = True, tenant: str = TENANT) -> dict:
    """Claims shaped like Entra ID's: tid, oid, preferred_username, email (+ email_verified)."""
    oid = "oid-" + re.sub(r"[^a-z0-9]", "", login.lower())
    return {
        "tid": tenant,
        "oid": oid,
        "preferred_username": email,
        "email": email,
        "email_verified": verified,
        "name": login.split("@")[0].title(),
    }


#: The people the real provider knows, by the login typed on its page.
ACCOUNTS = {
    f"ann@{DOMAIN}": entra_account("ann", f"ann@{DOMAIN}"),
    f"unverified@{DOMAIN}": entra_account("ben", f"ben@{DOMAIN}", verified=False),
    f"stranger@{DOMAIN}": entra_account("stranger", f"nobody@{DOMAIN}"),
    f"visitor@{DOMAIN}": entra_account("visitor", f"cat@{DOMAIN}", tenant=OTHER_TENANT),
}


@dataclass
class NodeProvider:
    redirect_uris: list[str]
    accounts: dict = field(default_factory=lambda: dict(ACCOUNTS))
    port: int = 0
    process: subprocess.Popen | None = None

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def discovery_url(self) -> str:
        """The single-tenant document: issuer <origin>/<TENANT>/v2.0."""
        return f"{self.origin}/.well-known/openid-configuration"

    @property
    def common_discovery_url(self) -> str:
        """Entra's /common: the issuer is a template, <origin>/{tenantid}/v2.0."""
        return f"{self.origin}/common/v2.0/.well-known/openid-configuration"

    def start(self) -> NodeProvider:
        self.port = free_port()
        env = os.environ | {
            "PORT": str(self.port),
            "TENANT": TENANT,
            "CLIENT_ID": CLIENT_ID,
            "CLIENT_SECRET": CLIENT_SECRET,
            "REDIRECT_URIS": " ".join(self.redirect_uris),
            "ACCOUNTS": json.dumps(self.accounts),
            "NODE_PATH": str(REPO / "node_modules"),
        }
        self.process = subprocess.Popen(  # noqa: S603  (our own script)
            ["node", str(SCRIPT)],  # noqa: S607  (node from PATH, as `npx sass` in the Makefile)
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line.startswith("ready"):
            self.stop()
            raise RuntimeError(f"oidc-provider did not start: {line!r}")
        return self

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            if self.process.stdout is not None:
                self.process.stdout.close()
            self.process = None

    def login(self, authorize_url: str, login: str, password: str = "any") -> str:  # noqa: S107  (the dev login takes any)
        """Sign in on the provider's own page; the redirect back to us (with code and state)."""
        with requests.Session() as browser:
            return self._login(browser, authorize_url, login, password)

    def _login(
        self, browser: requests.Session, authorize_url: str, login: str, password: str
    ) -> str:
        page = browser.get(authorize_url, allow_redirects=True, timeout=10)
        page.raise_for_status()
        action = re.search(r'<form[^>]*action="([^"]+)"', page.text)
        assert action, page.text[:500]
        response = browser.post(
            urljoin(page.url, action.group(1)),
            data={"prompt": "login", "login": login, "password": password},
            allow_redirects=False,
            timeout=10,
        )
        for _ in range(10):
            location = response.headers.get("Location", "")
            assert response.status_code in (302, 303), response.text[:500]
            target = urljoin(response.url, location)
            if not target.startswith(self.origin):
                return target
            response = browser.get(target, allow_redirects=False, timeout=10)
        raise AssertionError("the provider never sent the browser back")


# The crafted provider -------------------------------------------------------------------------


class CraftedProvider:
    """An OpenID Provider whose ID tokens the test shapes (see `shape`)."""

    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "crafted-1", "use": "sig"})
        self.other_key = RSAKey.generate_key(2048, parameters={"kid": "crafted-1", "use": "sig"})
        #: Called with the claims (and returns them changed) before each token is signed.
        self.shape: Callable[[dict], dict] = lambda claims: claims
        self.sign_with_other_key = False
        self.nonces: list[str] = []
        #: The paths asked for with GET, in order (discovery, keys, authorization).
        self.fetched: list[str] = []
        self.claims: dict[str, Any] = {
            "sub": "crafted-subject",
            "email": f"ann@{DOMAIN}",
            "email_verified": True,
        }
        self._codes: dict[str, str] = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def discovery_url(self) -> str:
        return f"{self.origin}/.well-known/openid-configuration"

    def start(self) -> CraftedProvider:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def id_token(self, nonce: str) -> str:
        now = int(time.time())
        claims = {
            "iss": self.origin,
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            **self.claims,
        }
        claims = self.shape(claims)
        key = self.other_key if self.sign_with_other_key else self.key
        return jwt.encode({"alg": "RS256", "kid": self.key.kid}, claims, key)

    def rotate_key(self) -> None:
        """A new signing key under a new key id, as a provider rotates its keys."""
        self.key = RSAKey.generate_key(2048, parameters={"kid": "crafted-2", "use": "sig"})

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _json(self, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                provider.fetched.append(url.path)
                if url.path == "/.well-known/openid-configuration":
                    origin = provider.origin
                    self._json(
                        {
                            "issuer": origin,
                            "authorization_endpoint": f"{origin}/authorize",
                            "token_endpoint": f"{origin}/token",
                            "jwks_uri": f"{origin}/jwks",
                            "response_types_supported": ["code"],
                            "id_token_signing_alg_values_supported": ["RS256"],
                            "code_challenge_methods_supported": ["S256"],
                        }
                    )
                elif url.path == "/jwks":
                    self._json({"keys": [provider.key.as_dict(private=False)]})
                elif url.path == "/authorize":
                    query = {k: v[0] for k, v in parse_qs(url.query).items()}
                    assert query.get("code_challenge_method") == "S256"
                    code = os.urandom(8).hex()
                    provider._codes[code] = query["nonce"]
                    provider.nonces.append(query["nonce"])
                    back = (
                        query["redirect_uri"]
                        + "?"
                        + urlencode({"code": code, "state": query["state"]})
                    )
                    self.send_response(302)
                    self.send_header("Location", back)
                    self.end_headers()
                else:
                    self.send_error(404)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                nonce = provider._codes.pop(form.get("code", ""), None)
                if nonce is None or "code_verifier" not in form:
                    data = b'{"error": "invalid_grant"}'
                    self.send_response(400)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                    return
                self._json(
                    {
                        "access_token": "crafted-access-token",
                        "token_type": "Bearer",
                        "expires_in": 300,
                        "id_token": provider.id_token(nonce),
                    }
                )

        return Handler
