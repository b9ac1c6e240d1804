"""A programme manager runs the cohort from the People page, in a real browser: filters and sorts
the table (no script needed: a GET form), acts on several learners through a confirmation page, and
emails the cohort after a preview. Each page passes axe-core."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from leaders.cohorts.models import CohortMember
from leaders.extensions import db
from leaders.outbox import Email
from tests.browser.conftest import in_app, new_context, sign_in
from tests.browser.test_accessibility import axe_violations, describe

pytestmark = pytest.mark.browser

SHOTS = Path("/work/wt/shots")


def _manager_page(browser, world, **options):
    context = new_context(browser, world, bypass_csp=True, **options)
    page = context.new_page()
    sign_in(page, world.accounts["manager"])
    return context, page


def _row_names(page) -> list[str]:
    cells = page.locator("table tbody tr td:nth-child(2)")
    return [c.inner_text().split("\n")[0].strip() for c in cells.all()]


def test_a_filtered_sorted_people_page_is_a_bookmark(browser, world):
    context, page = _manager_page(browser, world)
    page.goto(f"/cohorts/{world.cohort_id}/people")
    everyone = len(_row_names(page))
    page.get_by_label("Sector").select_option(label="NHS")
    page.get_by_label("Role").select_option(label="Learner")
    page.get_by_role("button", name="Apply").click()
    args = parse_qs(urlparse(page.url).query)
    assert args["sector"] == ["nhs"]
    assert args["role"] == ["learner"]
    names = _row_names(page)
    assert 0 < len(names) < everyone
    for cell in page.locator("table tbody tr td:nth-child(5)").all():
        assert cell.inner_text().strip() == "NHS"

    # Sort by organisation, then reverse it: the header says which way (aria-sort).
    page.get_by_role("link", name=re.compile(r"^Organisation")).click()
    header = page.locator("th", has=page.get_by_role("link", name=re.compile(r"^Organisation")))
    expect(header).to_have_attribute("aria-sort", "ascending")
    page.get_by_role("link", name=re.compile(r"^Organisation")).click()
    expect(header).to_have_attribute("aria-sort", "descending")
    assert parse_qs(urlparse(page.url).query)["sector"] == ["nhs"]  # the filter is kept
    organisations = [
        c.inner_text().strip() for c in page.locator("table tbody tr td:nth-child(4)").all()
    ]
    assert organisations == sorted(organisations, key=str.casefold, reverse=True)

    # The address is the view: opened afresh, it shows the same rows.
    shared = page.url
    other = context.new_page()
    other.goto(shared)
    assert _row_names(other) == _row_names(page)
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "people-filtered-1280.png"), full_page=True)
    other.set_viewport_size({"width": 320, "height": 800})
    other.screenshot(path=str(SHOTS / "people-filtered-320.png"), full_page=True)

    page.get_by_role("link", name="Clear filters").click()
    assert len(_row_names(page)) == everyone
    context.close()


def test_setting_due_dates_for_two_learners_through_the_confirmation(browser, world):
    context, page = _manager_page(browser, world, viewport={"width": 1280, "height": 900})
    page.goto(f"/cohorts/{world.cohort_id}/people?role=learner")
    first, second = _row_names(page)[:2]
    page.get_by_label(f"Select {first}").check()
    page.get_by_label(f"Select {second}").check()
    page.get_by_label("Action").select_option(label="Set their due dates")
    page.get_by_role("button", name="Continue").click()

    page.get_by_label(re.compile("How many extra days")).fill("a week")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("whole number from 0 to 365")
    page.get_by_label(re.compile("How many extra days")).fill("7")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("7 days later for 2 people")
    affected = page.locator("#affected li").all_inner_texts()
    assert [a.split(" (")[0] for a in affected] == sorted([first, second], key=str.casefold)
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "bulk-confirmation-1280.png"), full_page=True)

    page.get_by_role("button", name="Set due dates for 2 people").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Every due date moves by 7 days for 2 people"
    )
    assert "role=learner" in page.url  # back to the view it started from
    with in_app(world):
        offsets = db.session.scalars(
            select(CohortMember.due_offset_days).where(
                CohortMember.cohort_id == world.cohort_id, CohortMember.due_offset_days == 7
            )
        ).all()
    assert len(offsets) == 2
    context.close()


def test_emailing_the_cohort_after_a_preview(browser, world):
    context, page = _manager_page(browser, world)
    page.goto(f"/cohorts/{world.cohort_id}/people")
    page.get_by_role("button", name="Email the cohort").click()
    page.get_by_label("Every learner in the cohort").check()
    page.get_by_label("Subject").fill("Workshop 3 is in Sheffield")
    page.get_by_label("Message").fill("We meet at **10am**.\n\n- Bring your place map")
    page.get_by_role("button", name="Preview the email").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check the message before you send it"
    )
    expect(page.locator("#email-preview strong").first).to_have_text("10am")
    count = page.locator("#recipients li").count()
    assert count == len(world.learner_names)
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "message-preview-1280.png"), full_page=True)
    page.get_by_role("button", name=f"Send to {count} people").click()

    expect(page).to_have_url(re.compile(rf"/cohorts/{world.cohort_id}/emails$"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"is queued for {count} people"
    )
    with in_app(world):
        sent = db.session.scalars(
            select(Email.to_address).where(
                Email.cohort_id == world.cohort_id, Email.kind == "message"
            )
        ).all()
    assert len(sent) == count
    context.close()
