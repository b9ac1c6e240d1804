"""Fixtures: the real OpenID Provider (node oidc-provider) for the module, and a crafted one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.oidc.harness import CraftedProvider, NodeProvider

#: Where the Flask test client's callback lands (url_for(..., _external=True) in a test request).
TEST_CLIENT_CALLBACK = "http://localhost/sign-in/callback"


@pytest.fixture(scope="session")
def node_provider() -> Iterator[NodeProvider]:
    provider = NodeProvider(redirect_uris=[TEST_CLIENT_CALLBACK]).start()
    yield provider
    provider.stop()


@pytest.fixture
def crafted_provider() -> Iterator[CraftedProvider]:
    provider = CraftedProvider().start()
    yield provider
    provider.stop()
