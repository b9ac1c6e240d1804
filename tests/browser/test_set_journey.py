"""Learning sets that last, in a real browser: a manager proposes sets, signs out, comes back to
the same draft, names the sets, picks a facilitator and confirms; the facilitator sees the sets
they run; a learner sees their own set. Screenshots go to $SHOTS_DIR (default /work/wt/shots)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.conftest import new_context, sign_in

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("SHOTS_DIR", "/work/wt/shots"))


def _shot(page, name: str) -> None:
    if SHOTS.is_dir():
        page.screenshot(path=str(SHOTS / name), full_page=True)


def _sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.get_by_text("You have signed out.").wait_for()


def test_sets_outlast_sign_out_and_their_people_see_them(browser, world):
    manager = world.accounts["manager"]
    facilitator = world.accounts["facilitator"]
    sets_url = f"/cohorts/{world.cohort_id}/sets"
    context = new_context(browser, world, viewport={"width": 1280, "height": 900})
    page = context.new_page()

    sign_in(page, manager)
    page.goto(sets_url)
    page.get_by_role("button", name="Propose learning sets").click()
    page.get_by_role("heading", name="Proposed sets").wait_for()
    count = page.get_by_label("Name of set", exact=False).count()
    assert count >= 2

    # The draft is in the database, not in the browser's session: it is there after signing out.
    _sign_out(page)
    sign_in(page, manager)
    page.goto(sets_url)
    assert page.get_by_role("heading", name="Proposed sets").is_visible()
    assert f"Proposed by {manager.name}" in page.locator("#draft-by").inner_text()

    names = [f"Don valley {n}" for n in range(1, count + 1)]
    for number, name in enumerate(names, start=1):
        page.get_by_label(f"Name of set {number}", exact=True).fill(name)
        page.get_by_label(f"Facilitator of set {number}", exact=True).select_option(
            label=facilitator.name
        )
    page.get_by_role("button", name="Save names and facilitators").click()
    page.get_by_text("The names and facilitators are saved in the proposal.").wait_for()
    assert page.get_by_role("heading", name=names[0], exact=True).is_visible()
    _shot(page, "sets-draft-1280.png")

    page.get_by_role("button", name="Confirm these sets").click()
    # The demo cohort already has a set: replacing it asks first.
    page.get_by_role("button", name="Replace the learning sets").click()
    page.get_by_text("learning sets are confirmed").wait_for()
    confirmed = page.locator("#confirmed").locator("xpath=..").inner_text()
    assert names[0] in confirmed
    assert f"Facilitator: {facilitator.name}" in page.content()
    _shot(page, "sets-confirmed-1280.png")
    context.close()

    # The facilitator sees the sets they run, with each member's organisation and job title.
    context = new_context(browser, world)
    page = context.new_page()
    sign_in(page, facilitator)
    page.goto("/learning-sets")
    for name in names:
        assert page.get_by_role("heading", name=name, exact=True).is_visible()
    assert page.get_by_role("columnheader", name="Job title").first.is_visible()
    context.close()

    # The demo learner sees their own set, from their network page.
    context = new_context(browser, world)
    page = context.new_page()
    sign_in(page, world.accounts["learner"])
    page.goto("/network")
    page.get_by_role("link", name="See who is in your learning set").click()
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading.removeprefix("Your learning set: ") in names
    assert facilitator.name in page.content()
    assert f"{world.accounts['learner'].name} (you)" in page.content()
    context.close()
