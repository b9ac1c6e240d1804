"""The report's pages, downloads and command: who may see them, the organisation lead's suppressed
version, the period and comparison choices, and the tagged PDF."""

from __future__ import annotations

import io

import pikepdf
from sqlalchemy import select

from leaders.audit import Action, AuditEvent
from leaders.extensions import db
from leaders.learning.models import JournalEntry
from tests.conftest import sign_in
from tests.factories import enrol, make_cohort, make_user
from tests.helpers import page, text_of

SVG = "{http://www.w3.org/2000/svg}svg"


def _tagged(data: bytes, title: str) -> pikepdf.Pdf:
    pdf = pikepdf.open(io.BytesIO(data))
    assert "/StructTreeRoot" in pdf.Root
    assert str(pdf.Root.Lang) == "en-GB"
    assert pdf.Root.MarkInfo.Marked
    assert pdf.open_metadata().get("dc:title") == title
    return pdf


def test_facilitators_learners_and_other_managers_are_refused(known, client):
    other_manager = make_user(name="Olga Other", role="programme_manager")
    for user in (known.facilitator, known.people["c1"], other_manager):
        sign_in(client, user)
        assert client.get(f"/cohorts/{known.cohort.id}/report").status_code == 403
        assert client.get(f"/cohorts/{known.cohort.id}/report.pdf").status_code == 403
        token = page(client.get("/home")).one("input", name="csrf_token").get("value")
        client.post("/sign-out", data={"csrf_token": token})


def test_an_organisation_lead_with_fewer_than_five_staff_sees_no_figures(known, client):
    sign_in(client, known.lead)
    body = text_of(client.get(f"/cohorts/{known.cohort.id}/report"))
    assert "Fewer than 5 of your staff are learners here, so the report shows no figures." in body
    assert "Summary" not in body


def test_an_organisation_lead_gets_their_staff_only_with_small_numbers_suppressed(known, client):
    for n in (4, 5, 6):
        user = make_user(name=f"Learner C{n}", organisation_id=known.people["c1"].organisation_id)
        enrol(known.cohort, user)
    # A quote from the lead's own staff never reaches their report.
    db.session.add(
        JournalEntry(
            user_id=known.people["c1"].id,
            cohort_id=known.cohort.id,
            prompt_key="sample-course/going-further/mapping-your-place#who-is-missing",
            body="Quotable words",
            body_html="<p>Quotable words</p>",
            quote_consent=True,
        )
    )
    db.session.commit()
    sign_in(client, known.lead)
    response = client.get(f"/cohorts/{known.cohort.id}/report")
    body = text_of(response)
    assert "This report covers only Barnsley Council's own staff" in body
    assert "Learners 6" in body
    # c1 and c2 finished the first module: 2 people, so the figure is not shown.
    assert "First steps fewer than 5 fewer than 5" in body
    assert "Completed the whole course fewer than 5" in body  # c1 alone
    assert "Barnsley E08000016 Metropolitan district 6" in body
    assert "Workshop 1" in body
    assert "Workshop 1 10 March 2026 fewer than 5" in body
    for absent in (
        "Sheffield",
        "South Yorkshire Police",
        "Learner C1",
        "Quotable words",
        "Brokers",
    ):
        assert absent not in body
    assert page(response).find(SVG, id="network-1") is None
    # The same restriction in the PDF.
    pdf = client.get(f"/cohorts/{known.cohort.id}/report.pdf")
    assert pdf.status_code == 200
    _tagged(pdf.data, "Known 2026: impact report")


def test_the_pdf_download_is_tagged_and_audited(known, client):
    sign_in(client, known.manager)
    report = page(client.get(f"/cohorts/{known.cohort.id}/report"))
    link = report.one("a", download=None)
    assert link.get("href").startswith(f"/cohorts/{known.cohort.id}/report.pdf")
    response = client.get(link.get("href"))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    pdf = _tagged(response.data, "Known 2026: impact report")
    assert len(pdf.pages) >= 2
    event = db.session.execute(
        select(AuditEvent).where(AuditEvent.action == Action.REPORT_DOWNLOADED.value)
    ).scalar_one()
    assert event.actor_id == known.manager.id
    assert event.cohort_id == known.cohort.id


def test_charts_are_images_with_titles_beside_their_tables(known, client):
    sign_in(client, known.manager)
    report = page(client.get(f"/cohorts/{known.cohort.id}/report"))
    for chart, table in [("chart-sector", "table-sector"), ("chart-funnel", "table-funnel")]:
        svg = report.one(SVG, id=chart)
        assert svg.get("role") == "img"
        assert svg.get("aria-labelledby") == f"{chart}-title"
        assert report.one("table", id=table) is not None
    assert report.one(SVG, id="network-1").get("role") == "img"
    assert report.one(SVG, id="network-2").get("role") == "img"


def test_a_bad_period_is_explained_and_changes_nothing(known, client):
    sign_in(client, known.manager)
    url = f"/cohorts/{known.cohort.id}/report"
    response = client.get(url + "?start=31&start=2&start=2026")
    assert response.status_code == 200
    body = text_of(response)
    assert "There is a problem" in body
    assert "From must be a real date, like 27 3 2027" in body
    assert "Reporting period: The whole programme to date" in body
    backwards = text_of(client.get(url + "?start=1&start=6&start=2026&end=1&end=4&end=2026"))
    assert "The end of the period must be the same as or after its start" in backwards
    assert client.get(url + ".pdf?start=31&start=2&start=2026").status_code == 400
    query = "?start=1&start=4&start=2026&end=1&end=6&end=2026"
    chosen = page(client.get(url + query))
    assert "Reporting period: 1 April 2026 to 1 June 2026" in chosen.text()
    assert "15 of 28 lessons completed" in chosen.text()
    # The download keeps the period.
    assert chosen.one("a", download=None).get("href") == f"{url}.pdf{query}"


def test_two_cohorts_of_a_course_side_by_side(known, client):
    elsewhere = make_cohort("another-course", name="Elsewhere 2026")
    enrol(elsewhere, known.manager, "programme_manager")
    sign_in(client, known.manager)
    url = f"/cohorts/{known.cohort.id}/report"
    compared = page(client.get(f"{url}?compare={known.other.id}"))
    body = compared.text()
    assert "Compared with Other 2026" in body
    assert "Learners 7 1" in body
    # A cohort of another course is not offered, and asking for it is an error.
    options = [o.text for o in compared.find_all("option")]
    assert "Other 2026" in options
    assert "Elsewhere 2026" not in options
    refused = text_of(client.get(f"{url}?compare={elsewhere.id}"))
    assert "Choose a cohort of the same course from the list" in refused


def test_the_course_report_adds_up_its_cohorts(known, client):
    sign_in(client, known.manager)
    body = text_of(client.get("/reports/courses/sample-course"))
    assert "Sample course: impact report across 2 cohorts" in body
    assert "Known 2026 7" in body
    assert "Other 2026 1" in body
    assert "Learners 8" in body
    pdf = client.get("/reports/courses/sample-course.pdf")
    _tagged(pdf.data, "Sample course: impact report across 2 cohorts")
    assert client.get("/reports/courses/no-such-course").status_code == 404


def test_the_commands_write_tagged_pdfs(known, runner, tmp_path):
    out = tmp_path / "cohort.pdf"
    result = runner.invoke(args=["report", "cohort", str(known.cohort.id), "--pdf", str(out)])
    assert result.exit_code == 0, result.output
    assert "Wrote Known 2026: impact report (7 learners)" in result.output
    _tagged(out.read_bytes(), "Known 2026: impact report")
    course = tmp_path / "course.pdf"
    result = runner.invoke(args=["report", "course", "sample-course", "--pdf", str(course)])
    assert result.exit_code == 0, result.output
    _tagged(course.read_bytes(), "Sample course: impact report across 2 cohorts")
    missing = runner.invoke(args=["report", "cohort", "999999", "--pdf", str(out)])
    assert missing.exit_code != 0
    assert "There is no cohort 999999." in missing.output
    backwards = runner.invoke(
        args=[
            "report",
            "cohort",
            str(known.cohort.id),
            "--pdf",
            str(out),
            "--from",
            "2026-06-01",
            "--to",
            "2026-01-01",
        ]
    )
    assert backwards.exit_code != 0
    assert "--to must be the same as or after --from" in backwards.output
