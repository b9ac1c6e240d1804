"""Cross-site scripting, in a real browser: payloads typed into every free-text field, then every page
that shows them, checked for script that runs or markup that would.

The app's Content-Security-Policy would stop most injected script from running, and hide an escaping
bug from these tests. So these browser contexts bypass the CSP: the tests check the escaping and the
sanitising themselves, and the CSP stays a second line of defence.

Each page is checked for: a dialog opened (alert, confirm, prompt); a <script> that is not one of
the app's own (its files, and the template's inline script with the CSP nonce); any on* event-handler attribute; a javascript:, vbscript: or data:text/html
address in href, src, action, formaction or xlink:href; an <iframe>, <object>, <embed>, <base>,
<style> or refreshing <meta> element; and that the payload is shown as text where it should be.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from leaders.extensions import db
from tests.browser.conftest import World, in_app, new_context, sign_in

pytestmark = pytest.mark.browser

#: Payloads for plain-text fields (names, titles, notes): each must come back as the same text.
PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    '"><svg onload=alert(3)>',
    "'><img src=x onerror=alert(4)>",
    '<a href="javascript:alert(5)">x</a>',
    "</textarea><script>alert(6)</script>",
    "</title><script>alert(7)</script>",
    '<iframe src="javascript:alert(8)"></iframe>',
    "<details open ontoggle=alert(9)>",
    '<svg><a xlink:href="javascript:alert(10)"><text y="20">x</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(11)>",
    "<input autofocus onfocus=alert(12)>",
    "javascript:alert(13)",
    "{{ 7*7 }} {% raw %}",
]
#: A reflection is Markdown: links and raw HTML must be sanitised, and the text kept.
REFLECTION = "\n\n".join(
    [
        "Reflection marker: what I will do differently.",
        "[a javascript link](javascript:alert(21))",
        "[a mixed-case link](JaVaScRiPt:alert(22))",
        "[an entity link](javascript&#58;alert(23))",
        "[a reference link][xss]",
        "[xss]: javascript:alert(24)",
        "![an image](x)",
        "[a data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgyNSk8L3NjcmlwdD4=)",
        '<a href="javascript:alert(26)">a raw link</a>',
        "<script>alert(27)</script>",
        "<img src=x onerror=alert(28)>",
        '"><svg onload=alert(29)>',
        "</textarea><script>alert(30)</script>",
        '<p style="background:url(javascript:alert(31))" onclick="alert(32)">styled</p>',
        "<details open ontoggle=alert(33)><summary>details</summary></details>",
        '<iframe srcdoc="<script>alert(34)</script>"></iframe>',
        "End of the reflection.",
    ]
)
COHORT_NAME = 'Cohort "><svg onload=alert(41)> <script>alert(42)</script>'
#: Organisations named in the spreadsheet: new ones, so the manager chooses their sectors.
ORGANISATIONS = [
    "<img src=x onerror=alert(43)> Council",
    "Trust </title><script>alert(44)</script>",
    "Barnsley College",
]
CSV_FILENAME = '"><img src=x onerror=alert(45)>.csv'
ADMIN_ORGANISATION = "Org <svg/onload=alert(46)> & <script>alert(47)</script>"
ADMIN_ORGANISATION_RENAMED = "Org <img src=x onerror=alert(48)>"
SESSION_TITLE = "Workshop <script>alert(49)</script>"
SESSION_LOCATION = '"><img src=x onerror=alert(50)> Town Hall'
INVITED_NAME = '<svg onload=alert(51)> "Invited"'
INVITED_JOB = "<img src=x onerror=alert(52)> Director"
TIE_NOTE = '<script>alert(53)</script> and <a href="javascript:alert(54)">a link</a>'
LEARNER_PASSWORD = "lantern-orchard-copper-2026"

SAFETY = """(origin) => {
  const problems = [];
  const show = (el) => el.outerHTML.replace(/\\s+/g, " ").slice(0, 200);
  for (const s of document.querySelectorAll("script")) {
    // The app's scripts: its files, and the GOV.UK template's one inline script, with the nonce.
    const src = s.getAttribute("src");
    const own = src ? new URL(src, location.href).href.startsWith(origin + "/static/")
      : Boolean(s.nonce || s.getAttribute("nonce")) && !/alert/.test(s.textContent);
    if (!own) {
      problems.push("a script that is not the app's: " + show(s));
    }
  }
  const addresses = ["href", "src", "action", "formaction", "xlink:href", "data", "poster"];
  for (const el of document.querySelectorAll("*")) {
    const tag = el.localName.toLowerCase();
    if (["iframe", "frame", "object", "embed", "base", "style"].includes(tag)) {
      problems.push(`a <${tag}> element: ` + show(el));
    }
    if (tag === "meta" && (el.getAttribute("http-equiv") || "").toLowerCase() === "refresh") {
      problems.push("a refreshing <meta>: " + show(el));
    }
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on")) problems.push(`an ${name} attribute: ` + show(el));
      if (name === "srcdoc") problems.push("a srcdoc attribute: " + show(el));
      if (addresses.includes(name)) {
        const value = attr.value.replace(/[\\u0000-\\u0020]/g, "").toLowerCase();
        if (/^(javascript|vbscript):|^data:text\\/html/.test(value)) {
          problems.push(`${name}="${attr.value}": ` + show(el));
        }
      }
    }
  }
  return problems;
}"""


class Guard:
    """A browser context with the CSP bypassed, recording every dialog a page opens."""

    def __init__(self, browser, world: World) -> None:
        self.world = world
        self.context = new_context(browser, world, bypass_csp=True)
        self.dialogs: list[str] = []
        self.context.on("dialog", self._dialog)
        self.page = self.context.new_page()

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"a {dialog.type} dialog {dialog.message!r} on {self.page.url}")
        dialog.dismiss()

    def problems(self, shows: list[str] = ()) -> list[str]:
        """What is unsafe on the page now; and any payload in `shows` not shown as text."""
        page = self.page
        page.wait_for_load_state("load")
        page.wait_for_timeout(50)  # let an injected onerror or onfocus handler run, if any
        found = page.evaluate(SAFETY, self.world.url)
        found += self.dialogs
        self.dialogs = []
        text = page.inner_text("body")
        found += [f"the payload {s!r} is not shown as text" for s in shows if s not in text]
        return [f"{page.url}: {p}" for p in found]


def _people_csv(rows: list[list[str]], header: list[str] | None = None) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header or ["name", "email", "organisation", "job title", "cohort role"])
    writer.writerows(rows)
    return out.getvalue().encode()


#: The people imported: each payload once as a name, once as a job title.
IMPORTED = [
    [
        payload,
        f"xss{n}@example.org",
        ORGANISATIONS[n % len(ORGANISATIONS)],
        PAYLOADS[-1 - n],
        "learner",
    ]
    for n, payload in enumerate(PAYLOADS)
]


def _upload(guard: Guard, cohort_id: int, data: bytes, filename: str = "people.csv") -> None:
    page = guard.page
    page.goto(f"/cohorts/{cohort_id}/people/import")
    page.get_by_label("Upload a CSV or Excel file").set_input_files(
        {"name": filename, "mimeType": "text/csv", "buffer": data}
    )
    page.get_by_role("button", name="Check the file").click()


def _fill_date(page, field: str, day: str, month: str, year: str) -> None:
    page.locator(f"#{field}-day").fill(day)
    page.locator(f"#{field}-month").fill(month)
    page.locator(f"#{field}-year").fill(year)


#: Forms that show what was typed back (errors, confirmations) while the payloads go in.
STEPS = [
    "cohort form with errors",
    "cohort set up",
    "import with a payload column",
    "import with payload rows",
    "confirm import",
    "confirm import, sectors not chosen",
    "imported",
    "invite with errors",
    "invited",
    "session form with errors",
    "session added",
    "survey opened",
    "organisation form with errors",
    "organisation added",
    "organisation renamed",
    "invitation accepted",
    "reflection saved",
    "connection recorded",
    "survey answered",
    "erasure requested",
]


@dataclass
class Planted:
    steps: dict[str, list[str]]
    manager: Guard
    admin: Guard
    learner: Guard
    cohort_id: int
    learner_id: int
    other_id: int
    invited_id: int
    organisation_id: int
    session_id: int
    wave_id: int


@pytest.fixture(scope="module")
def planted(browser, world: World):
    """Every payload typed into the app through its forms, by a manager, an admin and a learner."""
    from leaders.auth.models import User
    from leaders.auth.tokens import make_token
    from leaders.cohorts.models import Cohort, CohortSession
    from leaders.network.models import SurveyWave
    from leaders.organisations.models import Organisation

    steps: dict[str, list[str]] = {}
    manager, admin, learner = (Guard(browser, world) for _ in range(3))
    sign_in(manager.page, world.accounts["manager"])
    sign_in(admin.page, world.accounts["admin"])

    # The manager sets up a cohort named with payloads (a rejected try first).
    page = manager.page
    page.goto("/cohorts/new")
    page.get_by_label("Cohort name").fill(COHORT_NAME)
    page.get_by_role("button", name="Save cohort").click()
    steps["cohort form with errors"] = manager.problems()
    _fill_date(page, "starts_on", "1", "9", "2026")
    _fill_date(page, "ends_on", "30", "6", "2027")
    page.get_by_role("button", name="Save cohort").click()
    page.wait_for_url("**/people")
    steps["cohort set up"] = manager.problems([COHORT_NAME])
    with in_app(world):
        cohort_id = db.session.execute(
            select(Cohort.id).where(Cohort.name == COHORT_NAME)
        ).scalar_one()

    # Spreadsheets: a payload as a column name; payloads in rows that fail; then the good file.
    header = ["name", "email", "organisation", "job title", "cohort role", PAYLOADS[1]]
    _upload(manager, cohort_id, _people_csv([], header))
    steps["import with a payload column"] = manager.problems([PAYLOADS[1]])
    bad_rows = [
        ["Ann Example", f'"{PAYLOADS[0]}"@example.org', "Barnsley College", "", "learner"],
        ["Bob Example", "bob@example.org", "Barnsley College", "", PAYLOADS[2]],
    ]
    _upload(manager, cohort_id, _people_csv(bad_rows))
    steps["import with payload rows"] = manager.problems([PAYLOADS[2]])
    _upload(manager, cohort_id, _people_csv(IMPORTED), CSV_FILENAME)
    page.locator("summary").click()
    steps["confirm import"] = manager.problems([CSV_FILENAME, *ORGANISATIONS[:2], *PAYLOADS[:-1]])
    page.get_by_role("button", name="Confirm and import").click()
    steps["confirm import, sectors not chosen"] = manager.problems(ORGANISATIONS[:2])
    for select_box in page.locator("select[id$=-sector]").all():
        select_box.select_option("local_government")
    page.get_by_role("button", name="Confirm and import").click()
    page.wait_for_url("**/people")
    steps["imported"] = manager.problems(PAYLOADS)

    # One person invited by hand (a rejected try first).
    page.goto(f"/cohorts/{cohort_id}/people/invite")
    page.get_by_label("Full name").fill(INVITED_NAME)
    page.get_by_label("Email address").fill("not-an-email")
    page.get_by_label("Job title").fill(INVITED_JOB)
    page.get_by_role("button", name="Invite").click()
    steps["invite with errors"] = manager.problems()
    page.get_by_label("Email address").fill("invited.person@example.org")
    page.get_by_label("Organisation", exact=True).select_option(label="Barnsley College")
    page.get_by_role("button", name="Invite").click()
    page.wait_for_url("**/people")
    steps["invited"] = manager.problems([INVITED_NAME, INVITED_JOB])

    # A session (a rejected try first), and the baseline network survey.
    page.goto(f"/cohorts/{cohort_id}/sessions/new")
    page.get_by_label("Title").fill(SESSION_TITLE)
    page.get_by_label("Place").fill(SESSION_LOCATION)
    page.get_by_label("Start time").fill("9 o'clock")
    page.get_by_label("End time").fill("12:00")
    page.get_by_role("button", name="Add session").click()
    steps["session form with errors"] = manager.problems()
    _fill_date(page, "day", "1", "10", "2026")
    page.get_by_label("Start time").fill("09:30")
    page.get_by_role("button", name="Add session").click()
    page.wait_for_url("**/sessions")
    steps["session added"] = manager.problems([SESSION_TITLE, SESSION_LOCATION])
    page.goto(f"/cohorts/{cohort_id}/network")
    page.get_by_role("button", name=re.compile(r"^Open\s+the baseline survey")).click()
    steps["survey opened"] = manager.problems([COHORT_NAME])

    # The admin adds an organisation (a rejected try first), then renames it.
    page = admin.page
    page.goto("/admin/organisations/new")
    page.get_by_label("Name", exact=True).fill(ADMIN_ORGANISATION)
    page.get_by_role("button", name="Save organisation").click()
    steps["organisation form with errors"] = admin.problems()
    page.get_by_label("Local government").check()
    page.get_by_role("button", name="Save organisation").click()
    page.wait_for_url("**/admin/organisations")
    steps["organisation added"] = admin.problems([ADMIN_ORGANISATION])
    with in_app(world):
        organisation_id = db.session.execute(
            select(Organisation.id).where(Organisation.name == ADMIN_ORGANISATION)
        ).scalar_one()
    page.goto(f"/admin/organisations/{organisation_id}")
    page.get_by_label("Name", exact=True).fill(ADMIN_ORGANISATION_RENAMED)
    page.get_by_role("button", name="Save organisation").click()
    page.wait_for_url("**/admin/organisations")
    steps["organisation renamed"] = admin.problems([ADMIN_ORGANISATION_RENAMED])

    # The first person imported accepts the invitation, reflects, records a connection and
    # answers the survey.
    with in_app(world):
        people = {
            u.email: u
            for u in db.session.execute(
                select(User).where(User.email.like("%@example.org"))
            ).scalars()
        }
        me, other = people["xss0@example.org"], people["xss1@example.org"]
        token = make_token(me, "invite")
        session_id = db.session.execute(
            select(CohortSession.id).where(CohortSession.cohort_id == cohort_id)
        ).scalar_one()
        wave_id = db.session.execute(
            select(SurveyWave.id).where(SurveyWave.cohort_id == cohort_id)
        ).scalar_one()
        invited_id = people["invited.person@example.org"].id
        # The admin also facilitates the cohort: only its facilitators read what is shared with them.
        from leaders.cohorts.models import CohortMember

        db.session.add(
            CohortMember(
                cohort_id=cohort_id, user_id=world.accounts["admin"].id, role="facilitator"
            )
        )
        db.session.commit()
    page = learner.page
    page.goto(f"/invitation/{token}")
    page.get_by_label("New password", exact=True).fill(LEARNER_PASSWORD)
    page.get_by_label("Confirm new password", exact=True).fill(LEARNER_PASSWORD)
    page.get_by_role("button", name="Set password and start").click()
    page.wait_for_url("**/home")
    steps["invitation accepted"] = learner.problems([PAYLOADS[0]])

    page.goto("/courses/leading-your-place/introduction/how-this-course-works")
    page.locator("#app-hopes-body").fill(REFLECTION)
    page.get_by_label("Everyone in my cohort").check()
    page.get_by_role("button", name="Save reflection").click()
    page.wait_for_url("**#app-prompt-hopes")
    steps["reflection saved"] = learner.problems(["Your reflection is saved"])
    assert page.locator("#app-hopes-body").input_value() == REFLECTION

    page.goto(f"/network/{cohort_id}/connect/{other.id}")
    page.get_by_label("We have worked together").check()
    page.get_by_label("Note (optional)").fill(TIE_NOTE)
    page.get_by_role("button", name="Record connection").click()
    page.wait_for_url(re.compile(r"/network\?cohort=\d+"))
    steps["connection recorded"] = learner.problems([TIE_NOTE, PAYLOADS[1]])

    page.goto(f"/network/surveys/{wave_id}")
    page.locator(f"#worked-{other.id}").check()
    page.get_by_role("button", name="Save my answers").click()
    steps["survey answered"] = learner.problems()

    page.goto("/account")
    page.get_by_role("button", name="Ask for my data to be erased").click()
    steps["erasure requested"] = learner.problems()

    assert set(steps) == set(STEPS)
    yield Planted(
        steps,
        manager,
        admin,
        learner,
        cohort_id,
        me.id,
        other.id,
        invited_id,
        organisation_id,
        session_id,
        wave_id,
    )
    for guard in (manager, admin, learner):
        guard.context.close()


@pytest.mark.parametrize("step", STEPS)
def test_forms_that_echo_the_payloads_are_safe(planted: Planted, step: str):
    assert not planted.steps[step], "\n".join(planted.steps[step])


@dataclass(frozen=True)
class Shown:
    role: str
    name: str
    path: str
    shows: tuple[str, ...] = ()


def _pages() -> list[Shown]:
    """Every page that shows what was typed in, with the payloads it must show as text."""
    c = "/cohorts/{cohort_id}"
    imported_names = tuple(PAYLOADS)
    return [
        Shown("learner", "home", "/home", (PAYLOADS[0],)),
        Shown("learner", "journal", "/journal", ("Reflection marker", "End of the reflection.")),
        Shown(
            "learner",
            "lesson",
            "/courses/leading-your-place/introduction/how-this-course-works",
            (PAYLOADS[0],),
        ),
        Shown("learner", "my network", "/network", (TIE_NOTE, PAYLOADS[1], COHORT_NAME)),
        Shown(
            "learner",
            "my network, search",
            "/network?q=alert",
            tuple(p for p in PAYLOADS[1:] if "alert" in p),
        ),
        Shown(
            "learner",
            "my network, search for a payload",
            "/network?q=%3Cscript%3Ealert(61)%3C%2Fscript%3E",
            ("<script>alert(61)</script>",),
        ),
        Shown(
            "learner",
            "record a connection",
            "/network/{cohort_id}/connect/{other_id}",
            (PAYLOADS[1],),
        ),
        Shown("learner", "survey", "/network/surveys/{wave_id}", imported_names[1:]),
        Shown("manager", "home", "/home", (COHORT_NAME,)),
        Shown("manager", "cohorts", "/cohorts", (COHORT_NAME,)),
        Shown("manager", "dashboard", c, (COHORT_NAME, *imported_names, INVITED_NAME)),
        Shown("manager", "people", c + "/people", (*imported_names, INVITED_NAME, INVITED_JOB)),
        Shown(
            "manager", "learner detail", c + "/learners/{learner_id}", (PAYLOADS[0], PAYLOADS[-1])
        ),
        Shown(
            "admin",
            "learner detail, as the cohort's facilitator, with a shared reflection",
            c + "/learners/{learner_id}",
            (PAYLOADS[0], PAYLOADS[-1], "Reflection marker"),
        ),
        Shown("admin", "shared with you", "/journal/shared", ("Reflection marker",)),
        Shown(
            "manager",
            "learner detail, invited",
            c + "/learners/{invited_id}",
            (INVITED_NAME, INVITED_JOB),
        ),
        Shown("manager", "network", c + "/network", imported_names),
        Shown("manager", "network, baseline survey", c + "/network?wave=baseline"),
        Shown("manager", "sessions", c + "/sessions", (SESSION_TITLE, SESSION_LOCATION)),
        Shown(
            "manager",
            "attendance",
            c + "/sessions/{session_id}/attendance",
            (SESSION_TITLE, *imported_names),
        ),
        Shown("manager", "learning sets", c + "/sets", (COHORT_NAME,)),
        Shown("manager", "edit the cohort", c + "/edit", ()),
        Shown("admin", "organisations", "/admin/organisations", (ADMIN_ORGANISATION_RENAMED,)),
        Shown(
            "admin",
            "organisations, search for a payload",
            "/admin/organisations?q=%3Csvg%20onload%3Dalert(62)%3E",
            ("<svg onload=alert(62)>",),
        ),
        Shown(
            "admin",
            "edit an organisation",
            "/admin/organisations/{organisation_id}",
            (ADMIN_ORGANISATION_RENAMED,),
        ),
        Shown(
            "admin",
            "merge an organisation",
            "/admin/organisations/{organisation_id}/merge",
            (ADMIN_ORGANISATION_RENAMED, ORGANISATIONS[0]),
        ),
        Shown("admin", "a cohort's dashboard", c, (COHORT_NAME, *imported_names)),
        Shown("admin", "erasure requests", "/admin/erasure-requests", (PAYLOADS[0],)),
        Shown("admin", "audit log", "/admin/audit", (PAYLOADS[0],)),
        Shown("learner", "your data", "/account", (PAYLOADS[0],)),
    ]


PAGES = _pages()


@pytest.mark.parametrize("shown", PAGES, ids=[f"{p.role}: {p.name}" for p in PAGES])
def test_pages_showing_the_payloads_are_safe(planted: Planted, shown: Shown):
    guard: Guard = getattr(planted, shown.role)
    guard.page.goto(
        shown.path.format(
            cohort_id=planted.cohort_id,
            other_id=planted.other_id,
            wave_id=planted.wave_id,
            learner_id=planted.learner_id,
            invited_id=planted.invited_id,
            session_id=planted.session_id,
            organisation_id=planted.organisation_id,
        )
    )
    if shown.name == "learning sets":
        guard.page.get_by_role("button", name="Propose learning sets").click()
        guard.page.wait_for_url("**#proposal")
        shown = Shown(shown.role, shown.name, shown.path, (*shown.shows, *PAYLOADS))
    if shown.name == "merge an organisation":
        guard.page.get_by_label("Organisation to keep").select_option(label=ORGANISATIONS[0])
        guard.page.get_by_role("button", name="Continue").click()
        guard.page.wait_for_url("**/merge/*")
    problems = guard.problems(list(shown.shows))
    assert not problems, "\n".join(problems)


def test_the_exports_carry_the_payloads_as_text(planted: Planted, world: World):
    """The learner list export and the database keep the names as typed (escaping is the page's job)."""
    page = planted.manager.page
    page.goto(f"/cohorts/{planted.cohort_id}")
    with page.expect_download() as info:
        page.locator('a[href$="/export/learners.csv"]').click()
    rows = list(csv.reader(io.StringIO(info.value.path().read_text("utf-8-sig"))))
    names = {row[0] for row in rows[1:]}
    assert set(PAYLOADS) <= names
    with in_app(world):
        from leaders.auth.models import User

        stored = db.session.get(User, planted.learner_id)
        assert stored.name == PAYLOADS[0], "names are stored as typed, not pre-escaped"
