"""Dates in GOV.UK style ("3 March 2026"), UK time for a moment in time."""

from datetime import UTC, date, datetime

import pytest

from leaders.filters import govuk_date


@pytest.mark.parametrize("month", range(1, 13))
def test_every_month_by_name(month):
    day = date(2026, month, 9)
    assert govuk_date(day) == f"9 {day:%B} 2026"  # the C locale's names, as strftime wrote them


def test_a_moment_is_dated_in_uk_time():
    assert govuk_date(datetime(2026, 6, 30, 23, 30, tzinfo=UTC)) == "1 July 2026"  # BST
    assert govuk_date(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == "31 December 2026"
    assert govuk_date(None) == ""
