"""Every page type passes axe-core (WCAG 2.0, 2.1 and 2.2, A and AA) in Chromium; the main journey works
by keyboard alone, with a visible focus and a working skip link.

axe-core comes from node_modules (pinned in package.json; `make assets` installs it). The app's
Content-Security-Policy allows only its own scripts, so the contexts that inject axe bypass the CSP;
the keyboard journey runs with the CSP in force.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from leaders.extensions import db
from tests.browser.conftest import AXE_JS, World, in_app, new_context, sign_in

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
COURSE = "/courses/leading-your-place"
#: Module 4's last lesson has both a knowledge check and a reflection.
CHECK_AND_REFLECTION = f"{COURSE}/skills-and-aspiration/keeping-young-people-in-the-place"
NOT_OPEN_YET = f"{COURSE}/councils-as-enablers-and-your-network/mapping-your-network"


# axe ------------------------------------------------------------------------------------------


def _axe_source() -> str:
    if not AXE_JS.exists():
        pytest.fail(
            "node_modules/axe-core/axe.min.js is missing: run `make assets` (it runs `npm ci`)."
        )
    return AXE_JS.read_text("utf-8")


RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target, html: n.html, summary: n.failureSummary})),
  }));
}"""


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page, with every <details> opened; its WCAG A and AA violations."""
    page.evaluate("() => document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    page.add_script_tag(content=_axe_source())
    return page.evaluate(RUN_AXE, WCAG_TAGS)


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            html = " ".join(node["html"].split())
            lines.append(f"    at {target}: {html[:300]}")
            if node["summary"]:
                lines.append("      " + " ".join(node["summary"].split())[:400])
    return "\n".join(lines)


# The pages ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    role: str
    name: str
    #: Opens the page (and fills in a form where the page is a form's errors); returns nothing.
    visit: Callable[[object, World], None]
    #: Text the page must show: proof it is the page meant, not a sign-in page or an error.
    expect_text: str


def go(path: str | Callable[[World], str]) -> Callable[[object, World], None]:
    def visit(page, w: World) -> None:
        page.goto(path(w) if callable(path) else path)

    return visit


def cohort(suffix: str = "") -> Callable[[World], str]:
    return lambda w: f"/cohorts/{w.cohort_id}{suffix}"


def _submit(path, button: str, fill: dict[str, str] | None = None):
    def visit(page, w: World) -> None:
        page.goto(path(w) if callable(path) else path)
        for label, value in (fill or {}).items():
            page.get_by_label(label, exact=True).fill(value)
        page.get_by_role("button", name=button, exact=True).click()

    return visit


def _marked_check(page, w: World) -> None:
    page.goto(CHECK_AND_REFLECTION)
    check = page.locator("section[id^=app-quiz-]")
    for group in check.locator(".govuk-form-group").all():
        group.locator("input").first.check()
    check.get_by_role("button", name="Check your answers").click()
    expect(page.locator("[role=status]")).to_contain_text("You scored")


def _reflection_error(page, w: World) -> None:
    page.goto(CHECK_AND_REFLECTION)
    page.get_by_role("button", name="Save reflection").click()


def _people_csv(*rows: tuple[str, str, str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["name", "email", "organisation", "job title", "cohort role"])
    writer.writerows([name, email, org, "Head of Service", "learner"] for name, email, org in rows)
    return out.getvalue().encode()


def _upload(rows: bytes):
    def visit(page, w: World) -> None:
        page.goto(f"/cohorts/{w.cohort_id}/people/import")
        page.get_by_label("Upload a CSV or Excel file").set_input_files(
            {"name": "people.csv", "mimeType": "text/csv", "buffer": rows}
        )
        page.get_by_role("button", name="Check the file").click()

    return visit


BROKEN_CSV = _people_csv(
    ("", "no.name@example.org", "Barnsley College"),
    ("Ravi Mistry", "ravi.mistry@", "Barnsley College"),
    ("Ella Grant", "ella.grant@example.org", ""),
)
GOOD_CSV = _people_csv(
    ("Ravi Mistry", "ravi.mistry@example.org", "Barnsley College"),
    ("Ella Grant", "ella.grant@example.org", "Doncaster Chamber of Commerce"),
)


def _confirm_with_error(page, w: World) -> None:
    _upload(GOOD_CSV)(page, w)
    page.get_by_role("button", name="Confirm and import").click()


def _schedule_error(page, w: World) -> None:
    page.goto(f"/cohorts/{w.cohort_id}/schedule")
    page.locator("#modules-1-opens-month").fill("13")
    page.get_by_role("button", name="Save schedule").click()


def _proposed_sets(page, w: World) -> None:
    page.goto(f"/cohorts/{w.cohort_id}/sets")
    page.get_by_role("button", name=re.compile("Propose")).click()


def _change_set(page, w: World) -> None:
    page.goto(f"/cohorts/{w.cohort_id}/sets")
    page.get_by_role("link", name=re.compile("Change name or facilitator")).first.click()


def _org(page, w: World, suffix: str = "") -> None:
    page.goto(f"/admin/organisations/{w.extra['duplicate_org']}{suffix}")


def _erase_confirmation(page, w: World) -> None:
    page.goto("/admin/erasure-requests")
    page.get_by_role("link", name="Erase Nia Osei's data").click()
    page.wait_for_url("**/erase")


def _reset_sent(page, w: World) -> None:
    page.goto("/password-reset")
    page.get_by_label("Email address").fill(w.accounts["learner"].email)
    page.get_by_role("button", name="Send reset link").click()


CASES = [
    # A learner in South Yorkshire 2026.
    Case("learner", "home", go("/home"), "Continue where you left off"),
    Case("learner", "courses", go("/courses"), "Leading your place"),
    Case("learner", "course", go(COURSE), "Your place as a system"),
    Case("learner", "module", go(f"{COURSE}/your-place-as-a-system"), "Lesson"),
    Case("learner", "lesson with a check and a reflection", go(CHECK_AND_REFLECTION), "Reflection"),
    Case("learner", "lesson, reflection not written", _reflection_error, "There is a problem"),
    Case(
        "learner",
        "lesson, check not answered",
        _submit(CHECK_AND_REFLECTION, "Check your answers"),
        "Answer question 1",
    ),
    Case("learner", "lesson, marked check", _marked_check, "Your answers and feedback"),
    Case("learner", "lesson not open yet", go(NOT_OPEN_YET), "This module is not open yet"),
    Case("learner", "journal", go("/journal"), "Download your journal"),
    Case("learner", "shared with you", go("/journal/shared"), "Shared with you"),
    Case("learner", "my network", go("/network"), "Your connections"),
    Case("learner", "my learning set", go(cohort("/my-set")), "Facilitator"),
    Case("facilitator", "your learning sets", go("/learning-sets"), "Meetings and registers"),
    Case("learner", "my network, search", go("/network?q=council#find"), "Record a connection"),
    Case(
        "learner",
        "record a connection",
        go(lambda w: f"/network/{w.cohort_id}/connect/{w.other_learner_id}"),
        "How are you connected?",
    ),
    Case(
        "learner",
        "record a connection, errors",
        _submit(
            lambda w: f"/network/{w.cohort_id}/connect/{w.other_learner_id}", "Record connection"
        ),
        "Choose how you are connected",
    ),
    Case(
        "learner", "survey", go(lambda w: f"/network/surveys/{w.open_wave_id}"), "Save my answers"
    ),
    Case("learner", "your data", go("/account"), "Ask for your data to be erased"),
    Case("learner", "a cohort page (forbidden)", go(cohort()), "does not give you access"),
    # The programme manager.
    Case("manager", "cohorts", go("/cohorts"), "South Yorkshire 2026"),
    Case("manager", "set up a cohort", go("/cohorts/new"), "Cohort name"),
    Case(
        "manager",
        "set up a cohort, errors",
        _submit("/cohorts/new", "Save cohort"),
        "Enter a name for the cohort",
    ),
    Case("manager", "edit a cohort", go(cohort("/edit")), "Save cohort"),
    Case("manager", "dashboard", go(cohort()), "At risk"),
    Case("manager", "people", go(cohort("/people")), "Import from a spreadsheet"),
    Case("manager", "invite one person", go(cohort("/people/invite")), "Role in this cohort"),
    Case(
        "manager",
        "invite one person, errors",
        _submit(cohort("/people/invite"), "Invite", {"Email address": "not an email"}),
        "Enter the person's full name",
    ),
    Case("manager", "import", go(cohort("/people/import")), "Upload a CSV or Excel file"),
    Case("manager", "import with errors", _upload(BROKEN_CSV), "Problems in the file"),
    Case("manager", "confirm import", _upload(GOOD_CSV), "Check and confirm the import"),
    Case(
        "manager",
        "confirm import, sector not chosen",
        _confirm_with_error,
        'Choose a sector for "Doncaster Chamber of Commerce"',
    ),
    Case("manager", "schedule", go(cohort("/schedule")), "Save schedule"),
    Case("manager", "schedule, errors", _schedule_error, "There is a problem"),
    # The demo's past sessions all have registers; later ones take none until they start.
    Case("manager", "sessions", go(cohort("/sessions")), "Change attendance"),
    Case("manager", "add a session", go(cohort("/sessions/new")), "Kind of session"),
    Case(
        "manager",
        "add a session, errors",
        _submit(cohort("/sessions/new"), "Add session", {"Start time": "25:99"}),
        "Enter a title",
    ),
    Case(
        "manager",
        "attendance",
        go(lambda w: f"/cohorts/{w.cohort_id}/sessions/{w.past_session_id}/attendance"),
        "Save attendance",
    ),
    Case(
        "manager",
        "change a session",
        go(lambda w: f"/cohorts/{w.cohort_id}/sessions/{w.past_session_id}/edit"),
        "Joining instructions",
    ),
    Case(
        "manager",
        "change a session, errors",
        _submit(
            lambda w: f"/cohorts/{w.cohort_id}/sessions/{w.past_session_id}/edit",
            "Save changes",
            {"End time": "00:01", "Online link": "http://no"},
        ),
        "End time must be after the start time",
    ),
    Case(
        "manager",
        "delete a session, confirmation",
        go(lambda w: f"/cohorts/{w.cohort_id}/sessions/{w.past_session_id}/delete"),
        "Attendance has been recorded",
    ),
    Case("learner", "calendar", go("/account/calendar"), "Get your calendar link"),
    Case(
        "manager",
        "learner detail",
        go(lambda w: f"/cohorts/{w.cohort_id}/learners/{w.accounts['learner'].id}"),
        "Knowledge checks",
    ),
    Case("manager", "network", go(cohort("/network")), "People and their ties"),
    Case("manager", "network, one survey wave", go(cohort("/network?wave=baseline")), "Baseline"),
    Case(
        "manager",
        "network, learning-set layer",
        go(cohort("/network?layer=programme")),
        "Also show learning sets",
    ),
    Case("manager", "learning sets", go(cohort("/sets")), "Propose"),
    Case(
        "manager",
        "remove from cohort, confirmation",
        go(lambda w: f"/cohorts/{w.cohort_id}/people/{w.other_learner_id}/remove"),
        "To bring them back, add them again",
    ),
    Case("manager", "learning sets, proposed", _proposed_sets, "Proposed sets"),
    Case(
        "manager",
        "change a learning set",
        _change_set,
        "Only the cohort's facilitators",
    ),
    Case("manager", "cohort details", go(cohort("/edit")), "Copy this cohort"),
    Case("manager", "copy a cohort", go(cohort("/copy")), "Start date of the new cohort"),
    Case(
        "manager",
        "copy a cohort, errors",
        _submit(cohort("/copy"), "Continue"),
        "There is a problem",
    ),
    Case("manager", "impact report", go(cohort("/report")), "How the network changed"),
    Case(
        "manager",
        "impact report, bad period",
        go(cohort("/report?start=31&start=2&start=2026")),
        "must be a real date",
    ),
    Case(
        "manager", "impact report, course", go("/reports/courses/leading-your-place"), "The cohorts"
    ),
    # The organisation lead (Barnsley): their own staff only.
    Case("lead", "dashboard, organisation lead", go(cohort()), "organisation lead"),
    Case("lead", "network, organisation lead", go(cohort("/network")), "Network"),
    Case("lead", "impact report, organisation lead", go(cohort("/report")), "own staff"),
    # The admin.
    Case("admin", "organisations", go("/admin/organisations"), "Add an organisation"),
    Case("admin", "organisations, no match", go("/admin/organisations?q=zzzz"), "No organisations"),
    Case("admin", "add an organisation", go("/admin/organisations/new"), "Sector"),
    Case(
        "admin",
        "add an organisation, errors",
        _submit("/admin/organisations/new", "Save organisation"),
        "There is a problem",
    ),
    Case("admin", "edit an organisation", _org, "Duplicates"),
    Case("admin", "merge organisations", lambda p, w: _org(p, w, "/merge"), "Choose"),
    Case(
        "admin",
        "confirm a merge",
        lambda p, w: _org(p, w, f"/merge/{w.extra['keep_org']}"),
        "You cannot undo this",
    ),
    Case("admin", "erasure requests", go("/admin/erasure-requests"), "Nia Osei"),
    Case("admin", "erase, confirmation", _erase_confirmation, "Erased data cannot be recovered"),
    Case("admin", "audit log", go("/admin/audit"), "Filter the log"),
    Case("admin", "users", go("/admin/users"), "Search by name or email"),
    Case(
        "admin", "users, filtered", go("/admin/users?status=active&q=a&sort=role"), "Clear search"
    ),
    Case("admin", "one user", go(lambda w: f"/admin/users/{w.other_learner_id}"), "Cohorts"),
    Case(
        "admin",
        "change a user's role",
        go(lambda w: f"/admin/users/{w.other_learner_id}/role"),
        "What role should",
    ),
    Case(
        "admin",
        "deactivate a user, confirmation",
        go(lambda w: f"/admin/users/{w.other_learner_id}/deactivate"),
        "signed out at once",
    ),
    Case(
        "admin",
        "audit log, one cohort",
        go(lambda w: f"/admin/audit?cohort={w.cohort_id}"),
        "match",
    ),
    Case(
        "admin",
        "audit log, errors",
        go("/admin/audit?from-day=40&from-month=1&from-year=2026"),
        "Date from must be a real date",
    ),
    # Anyone.
    Case("public", "landing", go("/"), "Lead your place, together"),
    Case("public", "sign in", go("/sign-in"), "I have forgotten my password"),
    Case(
        "public",
        "sign in, errors",
        _submit("/sign-in", "Continue", {"Email address": "sarah@"}),
        "Enter an email address in the correct format",
    ),
    Case("public", "password reset", go("/password-reset"), "Send reset link"),
    Case(
        "public",
        "password reset, errors",
        _submit("/password-reset", "Send reset link"),
        "Enter your email address",
    ),
    Case("public", "password reset sent", _reset_sent, "Check your email"),
    Case(
        "public",
        "choose a new password",
        go(lambda w: f"/password-reset/{w.extra['reset_token']}"),
        "Confirm new password",
    ),
    Case(
        "public",
        "choose a new password, errors",
        _submit(
            lambda w: f"/password-reset/{w.extra['reset_token']}",
            "Save password",
            {"New password": "short", "Confirm new password": "different"},
        ),
        "There is a problem",
    ),
    Case("public", "link not valid", go("/password-reset/not-a-token"), "not valid"),
    Case(
        "public",
        "accept an invitation",
        go(lambda w: f"/invitation/{w.extra['invite_token']}"),
        "Set your password",
    ),
    Case("public", "privacy notice", go("/privacy"), "Who is responsible for your data"),
    Case("public", "accessibility statement", go("/accessibility"), "Accessibility"),
    Case("public", "page not found", go("/no-such-page"), "check it is correct"),
]


# The module's data and signed-in browsers -------------------------------------------------------


@pytest.fixture(scope="module")
def prepared(world: World) -> World:
    """Module 4 opened early for South Yorkshire; the demo learner has a reflection and a tie;
    someone invited has asked for erasure."""
    from leaders.auth import services as accounts
    from leaders.auth.models import User
    from leaders.auth.tokens import make_token
    from leaders.cohorts.models import CohortMember, CohortModule
    from leaders.learning.models import Visibility
    from leaders.learning.services import save_reflection
    from leaders.network.models import TieKind
    from leaders.network.services import add_tie
    from leaders.organisations.models import Organisation
    from leaders.privacy.services import request_erasure
    from leaders.timeutil import uk_today

    learner = world.accounts["learner"]
    with in_app(world):
        row = db.session.execute(
            select(CohortModule).where(
                CohortModule.cohort_id == world.cohort_id,
                CohortModule.module_key == "leading-your-place/skills-and-aspiration",
            )
        ).scalar_one()
        row.opens_on = uk_today() - timedelta(days=1)
        db.session.commit()
        save_reflection(
            learner.id,
            "leading-your-place/introduction/how-this-course-works#hopes",
            "To stop treating **delayed discharges** as the hospital's problem, and to know the "
            "people in housing and social care who can help.",
            Visibility.COHORT,
        )
        add_tie(
            learner.id,
            world.cohort_id,
            world.other_learner_id,
            TieKind.WORKED_TOGETHER,
            "The falls prevention pilot in Hoyland.",
        )
        invited = accounts.create_user(
            "nia.osei@barnsley.gov.uk", "Nia Osei", job_title="Head of Regeneration"
        )
        db.session.add(CohortMember(cohort_id=world.cohort_id, user_id=invited.id))
        db.session.commit()
        request_erasure(invited.id)
        orgs = {o.name: o.id for o in db.session.execute(select(Organisation)).scalars()}
        world.extra.update(
            reset_token=make_token(db.session.get(User, learner.id), "reset"),
            invite_token=make_token(invited, "invite"),
            duplicate_org=orgs["Barnsley College"],
            keep_org=orgs["Sheffield Hallam University"],
        )
    return world


@pytest.fixture(scope="module")
def pages(browser, prepared: World):
    """A page per role, signed in once, in a context that bypasses the CSP so that axe can be
    injected. The pages are reused from test to test: each test starts by going to its page."""
    made = {}
    for role in ("learner", "manager", "lead", "admin", "facilitator", "public"):
        context = new_context(browser, prepared, bypass_csp=True)
        page = context.new_page()
        if role != "public":
            sign_in(page, prepared.accounts[role])
        made[role] = page
    yield made
    for page in made.values():
        page.context.close()


@pytest.mark.parametrize("case", CASES, ids=[f"{c.role}: {c.name}" for c in CASES])
def test_no_wcag_violations(case: Case, pages, prepared: World):
    page = pages[case.role]
    case.visit(page, prepared)
    page.wait_for_load_state("load")
    expect(page.locator("body")).to_contain_text(case.expect_text)
    violations = axe_violations(page)
    assert not violations, (
        f"axe-core found {len(violations)} WCAG A/AA violations on '{case.name}' "
        f"({page.url}):\n{describe(violations)}"
    )


# Keyboard only --------------------------------------------------------------------------------

FOCUS_INFO = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  // GOV.UK radios and checkboxes hide the input and draw its focus ring on the label's ::before.
  const ringed = el.matches(".govuk-radios__input, .govuk-checkboxes__input") && el.labels.length;
  const [target, pseudo] = ringed ? [el.labels[0], "::before"] : [el, null];
  const props = ["outlineStyle", "outlineWidth", "outlineColor", "boxShadow", "backgroundColor",
                 "borderColor", "color", "textDecorationLine", "textDecorationThickness"];
  const look = () => {
    const s = getComputedStyle(target, pseudo);
    return Object.fromEntries(props.map((p) => [p, s[p]]));
  };
  const focused = look();
  el.blur();
  const unfocused = look();
  el.focus({preventScroll: true});
  const transparent = (c) => c === "transparent" || /rgba\\(.*,\\s*0\\)$/.test(c);
  const outline = focused.outlineStyle === "auto" || (focused.outlineStyle !== "none"
    && parseFloat(focused.outlineWidth) > 0 && !transparent(focused.outlineColor));
  const changed = props.filter((p) => focused[p] !== unfocused[p]);
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    name: el.getAttribute("name") || "",
    href: el.getAttribute("href") || "",
    text: (el.innerText || el.value || el.getAttribute("aria-label") || "").trim().slice(0, 80),
    checked: Boolean(el.checked),
    classes: el.className && el.className.baseVal === undefined ? el.className : "",
    inMain: !!el.closest("main"),
    // An outline or a box-shadow, and one that focus brings (not the element's usual look).
    visibleFocus: (outline || focused.boxShadow !== "none") && changed.length > 0,
    style: `outline: ${focused.outlineStyle} ${focused.outlineWidth} ${focused.outlineColor}; `
      + `box-shadow: ${focused.boxShadow}; changed by focus: ${changed.join(", ") || "nothing"}`,
    onScreen: box.width > 1 && box.height > 1,
  };
}"""


class Keyboard:
    """Moves through a page with Tab only, checking every element that takes focus."""

    def __init__(self, page) -> None:
        self.page = page
        self.unfocusable_looking: list[str] = []
        self.stops = 0

    def tab(self) -> dict:
        self.page.keyboard.press("Tab")
        self.stops += 1
        info = self.page.evaluate(FOCUS_INFO)
        assert info is not None, f"Tab left the page on {self.page.url}"
        if not info["visibleFocus"]:
            self.unfocusable_looking.append(
                f"{self.page.url}: <{info['tag']} id={info['id']!r} class={info['classes']!r}> "
                f"{info['text']!r} has no visible focus ({info['style']})"
            )
        return info

    def tab_to(self, matches: Callable[[dict], bool], what: str, limit: int = 200) -> dict:
        for _ in range(limit):
            info = self.tab()
            if matches(info):
                return info
        raise AssertionError(f"{what} is not reachable with Tab on {self.page.url}")


def test_keyboard_only_sign_in_open_the_course_complete_a_lesson_and_reflect(
    browser, prepared: World
):
    from leaders.catalogue.store import get_catalogue
    from leaders.learning.models import LessonProgress

    learner = prepared.accounts["learner"]
    with in_app(prepared):
        lesson, following = (
            get_catalogue().modules["leading-your-place/your-place-as-a-system"].lessons[:2]
        )
    context = new_context(browser, prepared)
    page = context.new_page()
    keys = Keyboard(page)

    # The skip link comes first, shows when focused, and moves focus to the main content.
    page.goto("/")
    skip = keys.tab()
    assert "govuk-skip-link" in skip["classes"], f"the first Tab stop is {skip}, not the skip link"
    assert skip["onScreen"], "the focused skip link is not shown"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"
    after = keys.tab()
    assert after["inMain"], f"after the skip link, Tab went to {after}, outside the main content"

    # Sign in.
    assert after["text"].startswith("Sign in"), after
    page.keyboard.press("Enter")
    page.wait_for_url("**/sign-in")
    keys.tab_to(lambda i: i["name"] == "email", "The email field")
    page.keyboard.type(learner.email)
    keys.tab_to(lambda i: i["tag"] == "button" and i["text"] == "Continue", "The Continue button")
    page.keyboard.press("Enter")  # email first: the password form comes next
    page.wait_for_selector("input[name=password]")
    keys.tab_to(lambda i: i["name"] == "password", "The password field")
    page.keyboard.type(learner.password)
    keys.tab_to(lambda i: i["tag"] == "button" and i["text"] == "Sign in", "The Sign in button")
    page.keyboard.press("Enter")
    page.wait_for_url("**/home")

    # Open the course, then the lesson, then complete it (Space presses a button).
    keys.tab_to(lambda i: i["href"] == COURSE, "The link to the course")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{COURSE}")
    keys.tab_to(lambda i: i["href"] == lesson.url, f"The link to {lesson.title}")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(lesson.title)
    keys.tab_to(
        lambda i: i["tag"] == "button" and i["text"] == "Mark as complete and continue",
        "The Mark as complete button",
    )
    page.keyboard.press("Space")
    expect(page.get_by_role("heading", level=1)).to_have_text(following.title)

    # The next lesson has a reflection: write it, choose who reads it (arrow keys), save it.
    prompt = following.prompts[0]
    keys.tab_to(lambda i: i["id"] == f"app-{prompt.id}-body", "The reflection box")
    page.keyboard.type("Which of our problems are wicked? Delayed discharges, for a start.")
    radio = keys.tab_to(lambda i: i["name"].endswith("-visibility"), "Who can read it")
    assert radio["checked"], "Tab lands on the chosen option of the radio group"
    page.keyboard.press("ArrowDown")
    moved = page.evaluate(FOCUS_INFO)
    assert moved["checked"], moved
    assert moved["id"] != radio["id"], "the arrow key moved to the next option"
    keys.tab_to(lambda i: i["text"] == "Save reflection", "The Save reflection button")
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "You and your cohort's facilitators can read it."
    )
    context.close()

    with in_app(prepared):
        done = db.session.execute(
            select(LessonProgress.completed_at).where(
                LessonProgress.user_id == learner.id, LessonProgress.lesson_key == lesson.key
            )
        ).scalar_one()
    assert done is not None
    assert not keys.unfocusable_looking, "Focus is not visible on:\n" + "\n".join(
        keys.unfocusable_looking
    )
    assert keys.stops > 40, f"only {keys.stops} Tab stops: the journey did not go through the pages"
