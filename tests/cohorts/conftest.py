"""Fixtures for the cohort tests: the cast (see tests.factories.Cast) and signing in as one of them."""

from __future__ import annotations

import pytest

from tests.conftest import sign_in
from tests.factories import Cast, make_organisation

# Tests elsewhere import these from here; they live in tests/factories.py.
__all__ = ["Cast", "as_user", "cast", "make_organisation"]


@pytest.fixture
def cast(app) -> Cast:
    return Cast()


@pytest.fixture
def as_user(client):
    """Sign the test client in as someone: `as_user(cast.manager)`."""

    def signed(user):
        assert sign_in(client, user).status_code == 302
        return client

    return signed
