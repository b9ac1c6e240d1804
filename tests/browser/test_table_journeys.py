"""Journeys for the dashboard's tables (issue 14 points 1 and 10): a filtered dashboard opened from
its address, a column sorted by its heading, the filter form used without JavaScript, and an
organisation lead's download holding their own staff only."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from leaders.extensions import db
from tests.browser.conftest import World, in_app, new_context, sign_in

pytestmark = pytest.mark.browser


def _matrix_names(page) -> list[str]:
    return (
        page.locator("#progress ~ .app-table-scroll")
        .first.locator("tbody th[scope=row]")
        .all_inner_texts()
    )


def test_manager_opens_a_filtered_dashboard_sorts_it_and_filters_without_javascript(
    browser, world: World
):
    context = new_context(browser, world, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, world.accounts["manager"])

    # A bookmarked view: NHS learners only.
    page.goto(f"/cohorts/{world.cohort_id}?sector=nhs")
    summary = page.locator("#filter-summary")
    expect(summary).to_contain_text("filtered by sector: “NHS”")
    total = len(world.learner_names)
    expect(summary).to_contain_text(f"of {total} learners")
    expect(page.locator(".app-figure").first).to_contain_text(str(total))  # over everyone
    nhs = _matrix_names(page)
    assert 0 < len(nhs) < total

    # Sort by Overall: the heading says so, and the order follows; again, and it reverses.
    overall = page.locator("#progress ~ .app-table-scroll").first.locator("th", has_text="Overall")
    overall.get_by_role("link").click()
    expect(overall).to_have_attribute("aria-sort", "ascending")
    assert "sector=nhs" in page.url
    ascending = _matrix_names(page)
    assert sorted(ascending) == sorted(nhs)
    overall.get_by_role("link").click()
    expect(overall).to_have_attribute("aria-sort", "descending")
    descending = _matrix_names(page)
    with in_app(world):
        from leaders.catalogue.store import get_catalogue
        from leaders.cohorts.access import CohortAccess
        from leaders.cohorts.models import Cohort
        from leaders.oversight import dashboard

        cohort = db.session.get(Cohort, world.cohort_id)
        board = dashboard.build(CohortAccess(cohort, None, True), get_catalogue())
        percent = {r.person.name: r.percent for r in board.learners}
    assert [percent[n] for n in descending] == sorted((percent[n] for n in nhs), reverse=True)

    # The filter form (a GET form: no JavaScript here) keeps the sort and narrows further.
    page.get_by_label("Status").select_option("not-started")
    page.get_by_role("button", name="Apply filters").click()
    assert "status=not-started" in page.url
    assert "sort=progress" in page.url
    expect(page.get_by_label("Sector")).to_have_value("nhs")
    page.get_by_role("link", name="Clear filters").click()
    expect(page.locator("#filter-summary")).to_have_count(0)
    assert len(_matrix_names(page)) == total
    context.close()


def test_organisation_lead_downloads_their_own_staff_progress(browser, world: World, tmp_path):
    from leaders.auth.models import User
    from leaders.cohorts.models import CohortMember
    from leaders.organisations.models import Organisation

    with in_app(world):
        lead = db.session.get(User, world.accounts["lead"].id)
        organisation = db.session.get(Organisation, lead.organisation_id).name
        staff = set(
            db.session.execute(
                select(User.email)
                .join(CohortMember, CohortMember.user_id == User.id)
                .where(
                    CohortMember.cohort_id == world.cohort_id,
                    CohortMember.role == "learner",
                    User.organisation_id == lead.organisation_id,
                )
            ).scalars()
        )
        everyone = set(
            db.session.execute(
                select(User.email)
                .join(CohortMember, CohortMember.user_id == User.id)
                .where(CohortMember.cohort_id == world.cohort_id, CohortMember.role == "learner")
            ).scalars()
        )
    assert staff
    assert everyone - staff
    context = new_context(browser, world, accept_downloads=True)
    page = context.new_page()
    sign_in(page, world.accounts["lead"])
    page.goto(f"/cohorts/{world.cohort_id}")
    expect(page.locator("#downloads")).to_contain_text("your organisation's staff only")
    with page.expect_download() as info:
        page.locator("#downloads").get_by_role("link", name="CSV").last.click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    rows = list(csv.DictReader(io.StringIO(path.read_text("utf-8-sig"))))
    assert {r["Email"] for r in rows} == staff
    assert {r["Organisation"] for r in rows} == {organisation}
    assert not {r["Email"] for r in rows} & (everyone - staff)
    context.close()
