"""The cohort tests' fixtures (the cast, signing in) for the oversight tests too."""

from tests.cohorts.conftest import as_user, cast

__all__ = ["as_user", "cast"]
