"""Admin and enrolment journeys in a real browser: an admin finds a person and changes their role
through the confirmation page; a manager imports people from an Excel workbook."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect
from sqlalchemy import select

from leaders.audit import AuditEvent
from leaders.auth.models import User
from leaders.extensions import db
from tests.browser.conftest import in_app, new_context, sign_in

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("LEADERS_SHOTS", "/work/wt/shots"))


def test_admin_searches_users_and_changes_a_role_through_confirmation(browser, world):
    context = new_context(browser, world, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, world.accounts["admin"])
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Users").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Users")
    if SHOTS.parent.exists():
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "admin-users-1280.png"), full_page=True)
    # At 320 CSS pixels the rows stack: nothing scrolls sideways.
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    if SHOTS.exists():
        page.screenshot(path=str(SHOTS / "admin-users-320.png"))
    page.set_viewport_size({"width": 1280, "height": 900})

    manager = world.accounts["manager"]
    page.get_by_label("Search by name or email").fill(manager.email.upper())
    page.get_by_role("button", name="Show users").click()
    expect(page).to_have_url(re.compile(r"/admin/users\?.*q=MANAGER%40EXAMPLE\.ORG"))
    rows = page.locator("#users tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Programme manager")
    # Sorting keeps the search, and says so to assistive technology.
    page.locator("#users th").filter(has_text="Email").get_by_role("link").click()
    expect(page.locator('th[aria-sort="ascending"]')).to_contain_text("Email")
    expect(rows).to_have_count(1)

    rows.first.get_by_role("link", name=manager.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(manager.name)
    if SHOTS.exists():
        page.screenshot(path=str(SHOTS / "admin-user-1280.png"), full_page=True)
    page.get_by_role("link", name="Change role").click()
    page.get_by_label("Admin", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Make {manager.name} an admin?")
    page.get_by_role("button", name="Make them an admin").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"{manager.name} is now an admin (was a programme manager)."
    )
    with in_app(world):
        user = db.session.get(User, manager.id)
        assert user.role == "admin"
        event = db.session.execute(
            select(AuditEvent).where(
                AuditEvent.action == "account-role-changed", AuditEvent.subject_id == manager.id
            )
        ).scalar_one()
        assert event.actor_id == world.accounts["admin"].id
        # Back as it was, for the other tests in this module.
        user.role = "programme_manager"
        db.session.commit()
        db.session.remove()

    # Their own account: no role change or deactivation offered.
    page.goto(f"/admin/users/{world.accounts['admin'].id}")
    expect(page.locator("main")).to_contain_text("Another admin must change your role")
    expect(page.get_by_role("link", name="Deactivate this account")).to_have_count(0)
    context.close()


def _workbook(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "People"
    sheet.append(["name", "email", "organisation", "job title", "cohort role"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_manager_imports_an_excel_workbook(browser, world):
    context = new_context(browser, world, accept_downloads=True)
    page = context.new_page()
    sign_in(page, world.accounts["manager"])
    page.goto(f"/cohorts/{world.cohort_id}/people/import")
    with page.expect_download() as info:
        page.get_by_role("link", name="Excel template (.xlsx)").click()
    assert info.value.suggested_filename == "people-to-import.xlsx"

    upload = page.get_by_label("Upload a CSV or Excel file")
    formula = _workbook(
        [["Nadia Khan", "nadia.khan@rotherham.gov.uk", "=B2", "Head of Policy", ""]]
    )
    upload.set_input_files({"name": "cohort.xlsx", "mimeType": XLSX, "buffer": formula})
    page.get_by_role("button", name="Check the file").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The file has 1 problem. Nothing has been imported.")
    expect(summary).to_contain_text("Row 2, column organisation: This cell has a formula")

    good = _workbook(
        [
            [
                "Nadia Khan",
                "nadia.khan@rotherham.gov.uk",
                "Rotherham Council",
                "Head of Policy",
                "",
            ],
            ["Owen Pryce", "owen.pryce@syfire.gov.uk", "Rotherham Council", 2026, "learner"],
        ]
    )
    page.get_by_label("Upload a CSV or Excel file").set_input_files(
        {"name": "cohort.xlsx", "mimeType": XLSX, "buffer": good}
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check and confirm the import")
    expect(page.locator("main")).to_contain_text("The file has 2 people.")
    sector = page.get_by_label("Sector of Rotherham Council")
    if sector.count():
        sector.select_option(label="Local government")
    page.get_by_role("button", name="Confirm and import").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Imported: 2 people added"
    )
    expect(page.locator("tbody tr").filter(has_text="nadia.khan@rotherham.gov.uk")).to_contain_text(
        "Invited"
    )
    context.close()
