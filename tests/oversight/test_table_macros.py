"""components/table.html: sortable headings, the pager (with gaps past a few pages) and the scroll
region, as the dashboard, the course comparison and the audit log draw them."""

from __future__ import annotations

import re

from flask import render_template_string
from werkzeug.datastructures import MultiDict

from leaders.tables import TableState

MACROS = '{% from "components/table.html" import sort_header, sort_link, pager, scroll_region %}'


def _render(app, source: str, **context) -> str:
    with app.test_request_context():
        return render_template_string(MACROS + source, **context)


def _state(**args: str) -> TableState:
    return TableState.read(
        MultiDict(args), sorts=("name", "done"), default_sort="name", filters=("organisation",)
    )


def test_sort_header_keeps_the_other_arguments_and_toggles(app):
    state = _state(sort="done", dir="desc", organisation="Barnsley & Co")
    html = _render(
        app,
        '{{ sort_header(state, "done", "Done", "oversight.dashboard", {"cohort_id": 3, "risk-sort": "why"}, numeric=true) }}',
        state=state,
    )
    assert 'aria-sort="descending"' in html
    assert "govuk-table__header--numeric" in html
    href = re.search(r'href="([^"]+)"', html)[1]
    assert href.startswith("/cohorts/3?")
    for part in ("organisation=Barnsley+%26+Co", "sort=done", "dir=asc", "risk-sort=why"):
        assert part in href
    assert ", sort ascending" in html  # what the link will do


def test_pager_shows_the_ends_and_the_neighbours_with_gaps(app):
    state = _state(page="10", organisation="X")
    page = state.paged(list(range(2000)))
    html = _render(
        app,
        '{{ pager(page, "oversight.dashboard", "learner", {"cohort_id": 3}, label="Learner pages") }}',
        page=page,
    )
    assert "Showing 901 to 1000 of 2,000 learners." in html
    numbers = re.findall(r'aria-label="Page (\d+)"', html)
    assert numbers == ["1", "9", "10", "11", "20"]
    assert html.count("govuk-pagination__item--ellipsis") == 2
    assert 'aria-current="page"' in html
    assert "organisation=X" in html
    assert 'aria-label="Learner pages"' in html


def test_scroll_region_is_named_and_focusable(app):
    html = _render(app, '{% call scroll_region(labelledby="people") %}<table></table>{% endcall %}')
    assert 'class="app-table-scroll" role="region" tabindex="0" aria-labelledby="people"' in html
    html = _render(
        app, '{% call scroll_region(label="Organisations") %}<table></table>{% endcall %}'
    )
    assert 'aria-label="Organisations"' in html
