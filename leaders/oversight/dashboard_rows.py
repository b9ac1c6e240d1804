"""The rows of the dashboard's three big tables (at risk, progress by module, learners) as HTML
made in Python, for oversight/dashboard.html to print.

Why not Jinja: the page draws up to 100 rows in each of the three tables, and each value Jinja
prints costs a lookup, a finalize call and an escape; the rows were about half of rendering the
dashboard at 200 learners (bench/dashboard.py: about 3.3 ms of 5.8 ms). Here each row is one
f-string whose values pass the same two steps the template applies to what it prints:
`leaders.text.visible` (characters HTML cannot carry become U+FFFD, as the environment's
`finalize` does) and escaping as markupsafe's `escape` does. The markup is the template's: tests/test_components.py
renders each table from these rows and from govukTable (tests/fixtures/dashboard_tables_macro.html)
and compares the element trees.

The functions read only the attributes the template read (`row.person.name`, `row.risks`, …), so
they take the dashboard's rows or any object shaped like them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from markupsafe import Markup

from leaders.filters import govuk_date
from leaders.organisations.sectors import sector_label
from leaders.text import visible

_TD = '<td class="govuk-table__cell">'
_NUMERIC = '<td class="govuk-table__cell govuk-table__cell--numeric">'
_ROW_HEADER = '<th scope="row" class="govuk-table__header app-table__row-header">'


def _text(value: Any) -> str:
    """A value as the template prints it: shown safely in HTML, then escaped as markupsafe escapes
    (the same five characters and entities, by str.replace in C: markupsafe's `escape` builds a
    Markup object for each value, most of the cost of these rows)."""
    text = visible(value if type(value) is str else str(value))
    return (
        text.replace("&", "&amp;")
        .replace(">", "&gt;")
        .replace("<", "&lt;")
        .replace("'", "&#39;")
        .replace('"', "&#34;")
    )


def _link(href: str, person: Any) -> str:
    """The learner's name linking to their page (`href`: the learner address, escaped, without
    the id: the same for every row, so escaped once per table)."""
    return f'<a class="govuk-link" href="{href}{int(person.user_id)}">{_text(person.name)}</a>'


def at_risk_rows(rows: Iterable[Any], learner_url: str) -> Markup:
    """Learner (a link), organisation, and why they are at risk."""
    href = _text(learner_url)
    return Markup(  # noqa: S704 (every value escaped above)
        "\n".join(
            f'<tr class="govuk-table__row">{_TD}{_link(href, row.person)}</td>'
            f"{_TD}{_text(row.person.organisation or '')}</td>"
            f"{_TD}{_text('; '.join(row.risks))}</td></tr>"
            for row in rows
        )
    )


def matrix_rows(rows: Iterable[Any], learner_url: str) -> Markup:
    """Learner (a row header link), a cell per module (Cell.html, fixed words), overall percent.

    Learners with the same progress share one tuple of cells (dashboard.build), so each tuple's
    cells are joined once, not once per row."""
    href = _text(learner_url)
    joined: dict[int, tuple[Any, str]] = {}  # id of a row's cells → the cells and their markup
    out = []
    for row in rows:
        found = joined.get(id(row.cells))
        if found is not None and found[0] is row.cells:
            cells = found[1]
        else:
            cells = row.cells_html
            joined[id(row.cells)] = (row.cells, cells)
        out.append(
            f'<tr class="govuk-table__row">{_ROW_HEADER}{_link(href, row.person)}</th>'
            f"{cells}{_NUMERIC}{int(row.percent)}%</td></tr>"
        )
    return Markup("\n".join(out))  # noqa: S704 (every value escaped above; the cells are Markup)


def learner_rows(rows: Iterable[Any], learner_url: str) -> Markup:
    """Name (a row header link), organisation, sector, place, last active, progress, attendance."""
    href = _text(learner_url)
    out = []
    for row in rows:
        p = row.person
        last = govuk_date(p.last_active_at) if p.last_active_at else "Never"
        attendance = f"{int(row.attended)} of {int(row.held)}" if row.held else "No sessions yet"
        out.append(
            f'<tr class="govuk-table__row">{_ROW_HEADER}{_link(href, p)}</th>'
            f"{_TD}{_text(p.organisation or '')}</td>"
            f"{_TD}{_text(sector_label(p.sector))}</td>"
            f"{_TD}{_text(p.place or '')}</td>"
            f"{_TD}{_text(last)}</td>"
            f"{_NUMERIC}{int(row.percent)}%</td>"
            f"{_NUMERIC}{attendance}</td></tr>"
        )
    return Markup("\n".join(out))  # noqa: S704 (every value escaped above)
