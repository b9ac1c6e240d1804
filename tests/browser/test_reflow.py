"""Reflow (WCAG 2.2 1.4.10): at 320 CSS pixels wide no page scrolls sideways.

One page of every page type (the accessibility test's list, signed in as the same demo people, plus
the pages it does not have yet), opened in Chromium 320 px wide: the document is no wider than the
window. Wide tables scroll inside their own region (`.app-table-scroll`), which does not count.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import World, new_context, sign_in
from tests.browser.test_accessibility import CASES, Case, cohort, go, prepared

pytestmark = pytest.mark.browser

__all__ = ["prepared"]  # the accessibility test's data, built for this module too

WIDTH = 320


def _case(case: Case):
    return case


REFLOW_CASES = [
    *CASES,
    Case(
        "manager",
        "dashboard, filtered and sorted",
        go(cohort("?sector=nhs&sort=progress&dir=desc")),
        "Showing",
    ),
    Case(
        "manager",
        "cohorts of a course",
        go("/courses/leading-your-place/cohorts"),
        "New cross-sector ties",
    ),
    Case("admin", "audit log, sorted", go("/admin/audit?sort=who&dir=asc"), "Filter the log"),
    Case("learner", "signed-in devices", go("/account/devices"), "Signed in on these devices"),
]

#: What sticks out past the window, for the failure message: wide elements not in a scroll region.
WIDE = """(width) => {
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 1 && box.width > 0 && !el.closest(".app-table-scroll")) {
      out.push(`<${el.tagName.toLowerCase()} class="${el.className}"> right edge ${Math.round(box.right)}px`);
    }
  }
  return out.slice(0, 6);
}"""


@pytest.fixture(scope="module")
def narrow_pages(browser, prepared: World):
    """A 320 px wide page per role, signed in once."""
    made = {}
    for role in ("learner", "manager", "lead", "admin", "facilitator", "public"):
        context = new_context(browser, prepared, viewport={"width": WIDTH, "height": 640})
        page = context.new_page()
        if role != "public":
            sign_in(page, prepared.accounts[role])
        made[role] = page
    yield made
    for page in made.values():
        page.context.close()


@pytest.mark.parametrize(
    "case", [_case(c) for c in REFLOW_CASES], ids=[f"{c.role}: {c.name}" for c in REFLOW_CASES]
)
def test_no_sideways_scrolling_at_320_px(case: Case, narrow_pages, prepared: World):
    page = narrow_pages[case.role]
    case.visit(page, prepared)
    page.wait_for_load_state("load")
    expect(page.locator("body")).to_contain_text(case.expect_text)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, (
        f"'{case.name}' ({page.url}) is {width}px wide at {WIDTH}px: "
        + "; ".join(page.evaluate(WIDE, WIDTH))
    )


def test_wide_tables_scroll_in_a_labelled_focusable_region(narrow_pages, prepared: World):
    """The dashboard's matrix is wider than a phone: its region scrolls, is named by its heading
    and takes focus, so a keyboard can scroll it."""
    page = narrow_pages["manager"]
    page.goto(f"/cohorts/{prepared.cohort_id}")
    region = page.get_by_role("region", name="Progress by module")
    expect(region).to_be_visible()
    sizes = region.evaluate("(el) => [el.scrollWidth, el.clientWidth, el.tabIndex]")
    assert sizes[0] > sizes[1], "the matrix should be wider than the phone, and scroll"
    assert sizes[2] == 0
    region.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("(el) => el.scrollLeft > 0", arg=region.element_handle(), timeout=5000)
