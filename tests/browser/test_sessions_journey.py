"""Sessions in a real browser: a manager changes one session and cancels another; the learner sees
the changed one as their next session on their home page and adds it to their calendar (.ics).

Runs on the demo programme (South Yorkshire 2026): the demo learner is in Set 1, whose next
meeting is a week away. Screenshots of the learner's home at 1280 and 320 CSS pixels go to
LEADERS_SHOTS (default /work/wt/shots/) when that folder exists.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from icalendar import Calendar
from playwright.sync_api import expect
from sqlalchemy import select

from leaders.cohorts.models import CohortSession
from leaders.extensions import db
from leaders.timeutil import UK, utcnow
from tests.browser.conftest import in_app, new_context, sign_in
from tests.calendar_reader import read_with_ical_js

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("LEADERS_SHOTS", "/work/wt/shots"))


def _upcoming(world) -> tuple[int, int]:
    """The id of Set 1's next meeting, and of the next workshop after it."""
    with in_app(world):
        rows = db.session.execute(
            select(CohortSession)
            .where(
                CohortSession.cohort_id == world.cohort_id,
                CohortSession.starts_at > utcnow(),
                CohortSession.cancelled_at.is_(None),
            )
            .order_by(CohortSession.starts_at)
        ).scalars()
        rows = list(rows)
        meeting = next(s for s in rows if s.set_id is not None)
        workshop = next(s for s in rows if s.kind == "workshop" and s.starts_at > meeting.starts_at)
        return meeting.id, workshop.id


def test_manager_changes_and_cancels_then_the_learner_sees_and_downloads_it(
    browser, world, tmp_path
):
    meeting_id, workshop_id = _upcoming(world)
    context = new_context(browser, world)
    page = context.new_page()
    sign_in(page, world.accounts["manager"])
    page.goto(f"/cohorts/{world.cohort_id}/sessions")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sessions")

    # Change Set 1's next meeting: a later time, a room as well as the link. A mistake first.
    page.locator(f"a[href$='/sessions/{meeting_id}/edit']").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change the session")
    page.get_by_label("Start time").fill("15:00")
    page.get_by_label("End time").fill("14:30")
    page.get_by_role("button", name="Save changes").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("End time must be after the start time (15:00)")
    expect(summary).to_be_focused()
    page.get_by_label("End time").fill("16:30")
    page.get_by_label("Place").fill("Barnsley Town Hall, Room 4")
    page.get_by_label("Joining instructions").fill("Room 4 is on the first floor.\n\nTea at 2:45.")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("is saved")

    # Cancel the next workshop: a confirmation that names who is told, then the list says so.
    page.locator(f"a[href$='/sessions/{workshop_id}/cancel']").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cancel Workshop")
    expect(page.locator("main")).to_contain_text("An email telling the cohort's learners")
    page.get_by_role("button", name="Cancel the session").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("is cancelled")
    row = page.locator("tr", has=page.locator(f"#session-{workshop_id}"))
    expect(row).to_contain_text("Cancelled")
    expect(row.locator(f"a[href$='/sessions/{workshop_id}/edit']")).to_have_count(0)
    context.close()

    # The learner: the changed meeting is their next session, with its room, link and instructions.
    context = new_context(browser, world, accept_downloads=True)
    page = context.new_page()
    sign_in(page, world.accounts["learner"])
    card = page.locator("#next-session")
    expect(card).to_contain_text("Next session: Set 1 meeting")
    expect(card).to_contain_text("3pm to 4:30pm (UK time)")
    expect(card).to_contain_text("Barnsley Town Hall, Room 4")
    expect(card).to_contain_text("Online: https://meet.example.org/")
    expect(card).to_contain_text("Room 4 is on the first floor.")
    my_set = page.locator("#my-set")
    expect(my_set).to_contain_text("Your learning set: Set 1")
    expect(my_set).to_contain_text("(you)")
    expect(my_set).to_contain_text("Facilitator")
    due = page.locator("#due-next")
    expect(due).to_contain_text("Due by")
    expect(due.get_by_role("link")).to_have_count(1)  # the module, as a link

    with page.expect_download() as info:
        card.get_by_role("link", name=re.compile("Add to calendar")).click()
    download = info.value
    assert download.failure() is None
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    event = next(iter(Calendar.from_ical(path.read_bytes()).walk("VEVENT")))
    start = event.decoded("dtstart")
    assert (start.hour, start.minute, str(start.tzinfo)) == (15, 0, "Europe/London")
    assert int(event["sequence"]) == 1
    read = read_with_ical_js(path)
    (ours,) = read["events"]
    parsed = datetime.fromisoformat(ours["start"].replace("Z", "+00:00"))
    assert parsed == start.astimezone(UTC)
    assert parsed.astimezone(UK).hour == 15

    # The page at a desktop width and at 320 CSS pixels: nothing scrolls sideways.
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/home")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"the home page scrolls sideways at {width}px"
        if SHOTS.is_dir():
            page.screenshot(path=str(SHOTS / f"learner-home-{width}.png"), full_page=True)
    context.close()
