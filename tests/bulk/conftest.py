"""Fixtures for bulk actions and messages: the cohort cast, signing in, and a real SMTP server."""

from tests.cohorts.conftest import as_user, cast  # noqa: F401  (the fixtures, shared)
from tests.test_mail import smtp  # noqa: F401  (an aiosmtpd server on a free port)
