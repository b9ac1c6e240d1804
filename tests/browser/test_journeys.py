"""The main journeys in a real browser: a learner through a module, a manager enrolling and reporting.

Both run on the demo programme (South Yorkshire 2026, the real course in `content/`), with the app's
own Content-Security-Policy in force: a page whose scripts fail or are refused fails the journey.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from leaders.catalogue.store import get_catalogue
from tests.browser.conftest import in_app, new_context, sign_in

pytestmark = pytest.mark.browser

COURSE = "leading-your-place"
MODULE_1 = f"{COURSE}/your-place-as-a-system"
QUIZ_LESSON = f"{MODULE_1}/mapping-the-public-bodies-in-a-place"


class ScriptWatch:
    """Collects JavaScript errors and console errors (a refused script or style shows up there)."""

    def __init__(self, page) -> None:
        self.errors: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: {error}"))
        page.on(
            "console",
            lambda message: (
                self.errors.append(f"{page.url}: console {message.type}: {message.text}")
                if message.type == "error"
                else None
            ),
        )

    def assert_clean(self) -> None:
        assert not self.errors, "Script or console errors:\n" + "\n".join(self.errors)


def _lessons(world):
    with in_app(world):
        catalogue = get_catalogue()
        module = catalogue.modules[MODULE_1]
        quiz = module.lessons[-1].quizzes[0]
        following = catalogue.next_lesson(QUIZ_LESSON)
        return module, quiz, following


def _answer(page, quiz, *, right: bool) -> None:
    """Tick every question's correct options (right) or one wrong option each (not right)."""
    for question in quiz.questions:
        first = f"app-quiz-{quiz.id}-q{question.index}"
        for index, option in enumerate(question.options):
            # The GOV.UK macros' ids: the first option has the question's id, then -2, -3, …
            box = page.locator(f"#{first}" if index == 0 else f"#{first}-{index + 1}")
            if right:
                box.set_checked(option.correct)
            elif not option.correct:
                box.check()
                break


def test_learner_reads_answers_a_check_completes_lessons_and_reflects(browser, world):
    module, quiz, following = _lessons(world)
    first, with_reflection, third, with_check = module.lessons
    context = new_context(browser, world)
    page = context.new_page()
    scripts = ScriptWatch(page)

    # Signs in from the landing page: a wrong password first.
    page.goto("/")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Email address").fill(world.accounts["learner"].email)
    page.get_by_role("button", name="Continue").click()  # email first, then the password
    page.get_by_label("Password", exact=True).fill("not-my-password")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a correct email address and password")
    expect(summary).to_be_focused()  # GOV.UK Frontend's script moved focus to the summary
    page.get_by_label("Password", exact=True).fill(world.accounts["learner"].password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Home")
    expect(page.locator(".govuk-caption-l")).to_contain_text(world.accounts["learner"].name)

    # Continues where she left off (she has done the introduction) and reads the lesson.
    expect(page.get_by_text("Continue where you left off")).to_be_visible()
    page.get_by_role("button", name=re.compile(r"^Continue\b")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(first.title)
    expect(page.get_by_role("heading", name="Many bodies, one place")).to_be_visible()
    page.locator(".app-contents").get_by_role("link", name="What makes it a system").click()
    expect(page).to_have_url(re.compile(r"#what-makes-it-a-system$"))
    page.get_by_role("button", name="Mark as complete and continue").click()

    # Writes a reflection, shared with her facilitators; an empty one first.
    expect(page.get_by_role("heading", level=1)).to_have_text(with_reflection.title)
    prompt = with_reflection.prompts[0]
    page.get_by_role("button", name="Save reflection").click()
    expect(page.locator(".govuk-error-message")).to_contain_text(
        "Write your reflection before saving it"
    )
    reflection = (
        "Delayed discharges are **wicked**, not tame: housing, social care and the hospital "
        "each hold a part of the answer."
    )
    page.get_by_label(prompt.text).fill(reflection)
    page.get_by_label("Me and my cohort's facilitators").check()
    page.get_by_role("button", name="Save reflection").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Your reflection is saved. You and your cohort's facilitators can read it."
    )
    expect(page.get_by_label(prompt.text)).to_have_value(reflection)
    expect(page.get_by_role("button", name="Update reflection")).to_be_visible()
    page.get_by_role("button", name="Mark as complete and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(third.title)
    page.get_by_role("button", name="Mark as complete and continue").click()

    # The knowledge check: completing before passing is refused; wrong answers, then right ones.
    expect(page.get_by_role("heading", level=1)).to_have_text(with_check.title)
    page.get_by_role("button", name="Mark as complete and continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        f"Score at least {quiz.pass_mark}% in the knowledge check before you complete this lesson"
    )
    total = len(quiz.questions)
    _answer(page, quiz, right=False)
    page.get_by_role("button", name="Check your answers").click()
    check = page.locator(f"#app-quiz-{quiz.id}")
    expect(check).to_contain_text(f"You scored 0 out of {total} (0%)")
    expect(check).to_contain_text(f"The pass mark is {quiz.pass_mark}%")
    expect(check.get_by_text("Not passed yet")).to_be_visible()
    expect(check.get_by_text("Not quite").first).to_be_visible()
    _answer(page, quiz, right=True)
    page.get_by_role("button", name="Check your answers").click()
    expect(check).to_contain_text(f"You scored {total} out of {total} (100%)")
    expect(check).to_contain_text("You passed. You can now complete this lesson.")
    expect(check.get_by_text("Passed", exact=True)).to_be_visible()
    page.get_by_role("button", name="Mark as complete and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(following.title)

    # The course shows the module done; the journal holds the reflection.
    page.get_by_role("link", name="Courses").first.click()
    page.get_by_role("link", name=re.compile("Leading your place")).first.click()
    expect(page.locator("h2 + p").filter(has_text="4 of 4 lessons")).to_have_count(1)
    page.get_by_role("link", name="My journal").first.click()
    entry = page.locator(".app-panel").filter(has_text=prompt.text)
    expect(entry).to_contain_text("Delayed discharges are wicked, not tame")
    expect(entry.locator("strong")).to_have_text("wicked")  # the Markdown is rendered
    expect(entry).to_contain_text("You and your cohort's facilitators can read it.")
    scripts.assert_clean()
    context.close()


GOOD_ROWS = [
    ("Rachel Moss", "rachel.moss@sheffield.gov.uk", "Sheffield City Council", "Head of Housing"),
    ("Imran Qureshi", "imran.qureshi@nhs.net", "Sheffield Children's Hospital", "Clinical Lead"),
    ("Hannah Lowe", "hannah.lowe@southyorks.pnn.police.uk", "South Yorkshire Police", "Inspector"),
]


def _csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["name", "email", "organisation", "job title", "cohort role"])
    writer.writerows([*row, "learner"] for row in rows)
    return out.getvalue().encode("utf-8-sig")  # as Excel saves 'CSV UTF-8'


def _upload(page, name: str, data: bytes) -> None:
    page.get_by_label("Upload a CSV or Excel file").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": data}
    )
    page.get_by_role("button", name="Check the file").click()


def _download(page, href_end: str, folder: Path) -> Path:
    with page.expect_download() as info:
        page.locator(f'a[href$="{href_end}"]').click()
    download = info.value
    assert download.failure() is None
    target = folder / download.suggested_filename
    download.save_as(target)
    return target


def test_manager_imports_people_reads_the_dashboard_and_network_and_downloads_exports(
    browser, world, tmp_path
):
    context = new_context(browser, world, accept_downloads=True)
    page = context.new_page()
    scripts = ScriptWatch(page)
    sign_in(page, world.accounts["manager"])
    page.get_by_role("link", name="Cohorts").first.click()
    page.get_by_role("link", name="South Yorkshire 2026").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("South Yorkshire 2026")
    page.get_by_role("navigation", name="Cohort").get_by_role("link", name="People").click()
    people_before = page.locator("#people-heading").inner_text()
    page.get_by_role("button", name="Import from a spreadsheet").click()

    # A typing mistake in one email address: every problem listed, nothing imported.
    mistaken = [*GOOD_ROWS]
    mistaken[0] = ("Rachel Moss", "rachel.moss@sheffield", *GOOD_ROWS[0][2:])
    _upload(page, "cohort-2026.csv", _csv(mistaken))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The file has 1 problem. Nothing has been imported.")
    expect(summary).to_be_focused()
    problems = page.locator("#problems + .app-table-scroll table tbody tr")
    expect(problems).to_have_count(1)
    expect(problems.first.locator("td").nth(0)).to_have_text("2")
    expect(problems.first.locator("td").nth(1)).to_have_text("email")
    expect(problems.first.locator("td").nth(2)).to_contain_text('"rachel.moss@sheffield"')
    # The summary links the overall message and each row's problem to the table.
    expect(summary.get_by_role("link")).to_have_count(2)
    summary.get_by_role("link", name="Row 2, column email").click()
    expect(page).to_have_url(re.compile("#problems$"))

    # Fixed: the check page asks for the new organisation's sector before anything is saved.
    _upload(page, "cohort-2026.csv", _csv(GOOD_ROWS))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check and confirm the import")
    expect(page.locator("main")).to_contain_text("add 3 people to South Yorkshire 2026")
    page.get_by_role("button", name="Confirm and import").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        'Choose a sector for "Sheffield Children\'s Hospital"'
    )
    page.get_by_label("Sector of Sheffield Children's Hospital").select_option(label="NHS")
    page.get_by_role("button", name="Confirm and import").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Imported: 3 people added, 0 with a new role, 1 new organisation. 3 invitations queued: Emails shows when each is sent."
    )
    assert page.locator("#people-heading").inner_text() != people_before
    for name, email, organisation, job in GOOD_ROWS:
        row = page.locator("tbody tr").filter(has_text=email)
        expect(row).to_contain_text(name)
        expect(row).to_contain_text(job)
        expect(row).to_contain_text(organisation)
        expect(row).to_contain_text("Invited")

    # The dashboard counts them; the network page draws the cohort's ties.
    page.get_by_role("navigation", name="Cohort").get_by_role("link", name="Dashboard").click()
    learners_table = page.locator("#learners + .app-table-scroll table")
    for name, *_ in GOOD_ROWS:
        expect(learners_table).to_contain_text(name)
    expect(page.get_by_role("heading", name="At risk")).to_be_visible()
    page.get_by_role("navigation", name="Cohort").get_by_role("link", name="Network").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Network")
    expect(page.get_by_role("img", name=re.compile(r"Who knows whom"))).to_be_visible()
    ties = page.locator(".app-figure").nth(1).locator(".app-figure__number").inner_text()
    assert int(ties) > 0, "the demo cohort's network has ties"

    # Both exports, as CSV and as Excel.
    page.get_by_role("navigation", name="Cohort").get_by_role("link", name="Dashboard").click()
    names = {*world.learner_names, *(row[0] for row in GOOD_ROWS)}
    for what in ("progress", "learners"):
        csv_file = _download(page, f"/export/{what}.csv", tmp_path)
        assert csv_file.name == f"south-yorkshire-2026-{what}.csv"
        assert csv_file.stat().st_size > 0
        rows = list(csv.reader(io.StringIO(csv_file.read_text("utf-8-sig"))))
        assert rows[0][:2] == ["Name", "Email"]
        assert {r[0] for r in rows[1:]} == names

        xlsx_file = _download(page, f"/export/{what}.xlsx", tmp_path)
        assert xlsx_file.name == f"south-yorkshire-2026-{what}.xlsx"
        assert xlsx_file.stat().st_size > 0
        workbook = openpyxl.load_workbook(xlsx_file)
        try:
            sheet = workbook.active
            cells = [[c.value for c in row] for row in sheet.iter_rows()]
        finally:
            workbook.close()
        assert cells[0] == rows[0], "the Excel file has the CSV's columns"
        assert {r[0] for r in cells[1:]} == names
    scripts.assert_clean()
    context.close()
