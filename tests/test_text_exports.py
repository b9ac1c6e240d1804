"""Every export with hostile stored text (put straight into the database, as if stored before the
form checks): control characters, formula prefixes, emoji and a Welsh cohort name. Each answers 200
with a file that opens, its text intact or safely marked, and a standard Content-Disposition."""

from __future__ import annotations

import csv
import io
import zipfile
from urllib.parse import quote
from xml.etree import ElementTree

import networkx as nx
import pytest
from openpyxl import load_workbook

from leaders.extensions import db
from leaders.learning.models import JournalEntry
from leaders.network.models import Tie
from tests.cohorts.conftest import Cast
from tests.conftest import sign_in

WELSH = "Ysgol Gymraeg Llanfair ŵ ŷ"
FORMULA = '=HYPERLINK("http://evil.example","Click")'
# No NUL here: PostgreSQL refuses it in text (the forms refuse it first; see test_text_forms.py).
CONTROLS = "Ann\x01\x1b\x0b Jones\r\nBcc: x@example.org 😀"
CONTROLS_SHOWN = "Ann\ufffd\ufffd\ufffd Jones\r\nBcc: x@example.org 😀"  # CSV keeps CR/LF, quoted
ORGANISATION = "+Barnsley\x01 Council"


@pytest.fixture
def hostile(app) -> Cast:
    cast = Cast()
    ann, ben, cat = cast.learners
    cast.cohort.name = WELSH
    ann.name = FORMULA
    ben.name = CONTROLS
    ben.job_title = "@SUM(A1:A9)"
    cat.name = "Cât 😀 Ŷmlaen"
    cast.council.name = ORGANISATION
    db.session.add_all(
        [
            Tie(
                cohort_id=cast.cohort.id,
                user_a_id=min(a.id, b.id),
                user_b_id=max(a.id, b.id),
                kind="worked_together",
                created_by=a.id,
                note="Pilot\x01",
            )
            for a, b in ((ann, ben), (ben, cat))
        ]
    )
    db.session.commit()
    return cast


def _disposition(response, stem: str, extension: str) -> None:
    """RFC 6266: an ASCII filename for old clients, filename*=UTF-8'' for the real name."""
    header = response.headers["Content-Disposition"]
    name = f"ysgol-gymraeg-llanfair-ŵ-ŷ-{stem}.{extension}"
    assert header.startswith("attachment; ")
    assert f"filename*=UTF-8''{quote(name)}" in header
    assert f"filename=ysgol-gymraeg-llanfair-w-y-{stem}.{extension}" in header
    header.encode("latin-1")  # a header a WSGI server can send


def _csv_rows(response) -> list[list[str]]:
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")  # Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))


@pytest.mark.parametrize("what", ["progress", "learners"])
def test_dashboard_csv(hostile, client, what):
    sign_in(client, hostile.manager)
    response = client.get(f"/cohorts/{hostile.cohort.id}/export/{what}.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Cache-Control"] == "no-store"
    _disposition(response, what, "csv")
    rows = _csv_rows(response)
    names = [row[0] for row in rows[1:]]
    assert "'" + FORMULA in names  # shown as text, never run
    assert CONTROLS_SHOWN in names
    assert "Cât 😀 Ŷmlaen" in names
    organisations = {row[2 if what == "progress" else 3] for row in rows[1:]}
    assert "'+Barnsley\ufffd Council" in organisations
    if what == "learners":
        header = rows[0]
        by_name = {row[0]: row for row in rows[1:]}
        assert by_name[CONTROLS_SHOWN][header.index("Job title")] == "'@SUM(A1:A9)"
        assert {row[header.index("Sector")] for row in rows[1:]} == {"Local government", "NHS"}


@pytest.mark.parametrize("what", ["progress", "learners"])
def test_dashboard_xlsx(hostile, client, what):
    sign_in(client, hostile.manager)
    response = client.get(f"/cohorts/{hostile.cohort.id}/export/{what}.xlsx")
    assert response.status_code == 200
    _disposition(response, what, "xlsx")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    names = {row[0].value: row[0] for row in sheet.iter_rows(min_row=2)}
    formula = names[FORMULA]  # kept exactly, as text, with Excel's quote prefix
    assert formula.data_type == "s"
    assert formula.quotePrefix
    # Illegal characters marked; the line break is kept, as LF.
    assert "Ann\ufffd\ufffd\ufffd Jones\nBcc: x@example.org 😀" in names
    assert "Cât 😀 Ŷmlaen" in names
    # Readable: a frozen, filterable header row; columns fitted to what is in them, within limits.
    assert sheet.freeze_panes == "B2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}4"
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.column_dimensions["A"].width == len(FORMULA) + 2
    widths = [sheet.column_dimensions[c.column_letter].width for c in sheet[1]]
    assert all(10 <= w <= 50 for w in widths)


def test_network_csv_and_graphml(hostile, client):
    sign_in(client, hostile.manager)
    base = f"/cohorts/{hostile.cohort.id}/network"
    ties = client.get(f"{base}/edges.csv")
    assert ties.status_code == 200
    _disposition(ties, "ties", "csv")
    rows = _csv_rows(ties)
    assert rows[0] == [
        "Person A",
        "Organisation A",
        "Sector A",
        "Person B",
        "Organisation B",
        "Sector B",
        "Kinds",
        "Source",  # reported by people, or made by the programme (learning sets)
    ]
    cells = {cell for row in rows[1:] for cell in row}
    assert {"'" + FORMULA, CONTROLS_SHOWN, "'+Barnsley\ufffd Council"} <= cells
    assert {"Local government", "NHS", "We have worked together"} <= cells  # labels, not codes
    assert "local_government" not in cells

    graphml = client.get(f"{base}/network.graphml")
    assert graphml.status_code == 200
    _disposition(graphml, "network", "graphml")
    assert graphml.mimetype == "application/graphml+xml"
    ElementTree.fromstring(graphml.get_data())  # noqa: S314 (our own output): well-formed XML 1.0
    graph = nx.read_graphml(io.BytesIO(graphml.get_data()))
    labels = {data["label"] for _, data in graph.nodes(data=True)}
    assert FORMULA in labels  # GraphML is not a spreadsheet: the name as stored
    assert "Ann\ufffd\ufffd\ufffd Jones\nBcc: x@example.org 😀" in labels  # XML turns CR LF into LF
    assert "Cât 😀 Ŷmlaen" in labels
    assert {data["organisation"] for _, data in graph.nodes(data=True)} >= {
        "+Barnsley\ufffd Council"
    }
    assert {data["sector"] for _, data in graph.nodes(data=True)} == {"Local government", "NHS"}
    assert {data["kinds"] for *_, data in graph.edges(data=True)} == {"We have worked together"}


def test_a_learners_own_downloads_are_named_the_standard_way(hostile, client):
    ben = hostile.learners[1]
    db.session.add(
        JournalEntry(
            user_id=ben.id,
            prompt_key="sample-course/going-further/mapping-your-place#who-is-missing",
            body="Line\x01 one\r\n=SUM(1)",
            body_html="<p>Line one</p>",
            visibility="private",
        )
    )
    db.session.commit()
    sign_in(client, ben)
    journal = client.get("/journal/download")
    assert journal.status_code == 200
    assert journal.headers["Content-Disposition"] == "attachment; filename=my-journal.md"
    data = client.get("/account/my-data.zip")
    assert data.status_code == 200
    assert data.headers["Content-Disposition"] == "attachment; filename=place-leaders-my-data.zip"
    archive = zipfile.ZipFile(io.BytesIO(data.get_data()))
    assert archive.testzip() is None


def test_pages_showing_hostile_names_stay_valid_html(hostile, client):
    """Every page the test client fetches is parsed strictly (tests/pages.py): a stored control
    character shows as U+FFFD instead of breaking the page."""
    sign_in(client, hostile.manager)
    for path in (f"/cohorts/{hostile.cohort.id}", f"/cohorts/{hostile.cohort.id}/network"):
        page = client.get(path)
        assert page.status_code == 200
        assert "Ann\ufffd\ufffd\ufffd Jones" in page.get_data(as_text=True)
