"""The dashboard's markup made by hand draws what the macros it replaces draw.

- leaders.oversight.table_markup: components/table.html's sort_header and pager, made in Python
  (the macros, with govukPagination, were about a third of rendering the dashboard at 200
  learners: bench/dashboard.py); other pages call the macros.
- oversight/_dashboard_filters.html's search box and button, hand-written (govukInput, govukButton).

Each test renders both from the same inputs and compares the element trees, as
tests/test_components.py does.
"""

from __future__ import annotations

import pytest
from markupsafe import Markup

from leaders.tables import Page, TableState
from tests.test_components import FILTERS, _hand_written, _same

TABLE_MACROS = '{% from "components/table.html" import sort_header, pager %}'
SORTS = ["name", "organisation", "m1", "progress"]


def _state(args: dict[str, str], per_page: int = 100) -> TableState:
    return TableState.read(
        args, sorts=SORTS, default_sort="name", filters=["organisation"], per_page=per_page
    )


@pytest.mark.parametrize(
    "args",
    [
        {},
        {"sort": "organisation"},
        {"sort": "organisation", "dir": "desc", "organisation": "Barnsley & <Co>", "page": "2"},
        {"sort": "m1", "q": 'O\'Hara "Ann"'},
    ],
)
@pytest.mark.parametrize(
    ("column", "label", "numeric"),
    [
        ("name", "Learner", False),
        ("organisation", "Organisation & <body>", False),
        ("m1", Markup('<abbr title="%s">M%d</abbr>') % ("Why place <matters>", 1), False),
        ("progress", "Overall", True),
    ],
)
def test_sort_header(render, args, column, label, numeric):
    context = {
        "state": _state(args),
        "column": column,
        "label": label,
        "numeric": numeric,
        "url_args": {"cohort_id": 3, "_anchor": "progress", "risk-sort": "why", "risk-dir": "asc"},
    }
    hand = render(
        "{{ sort_header_html(state, column, label, 'oversight.dashboard', url_args, "
        "numeric=numeric) }}",
        **context,
    )
    macro = render(
        TABLE_MACROS + "{{ sort_header(state, column, label, 'oversight.dashboard', url_args, "
        "numeric=numeric) }}",
        **context,
    )
    assert 'href="/cohorts/3?' in hand
    assert "#progress" in hand
    _same(hand, macro)


@pytest.mark.parametrize(
    ("rows", "page", "per_page"),
    [
        (0, 1, 100),  # nothing to show
        (40, 1, 100),  # one page: no links
        (200, 1, 100),  # first of two
        (200, 2, 100),  # last of two
        (950, 5, 100),  # the middle, with gaps either side
        (950, 1, 100),
        (950, 10, 100),
        (31, 3, 10),
    ],
)
def test_pager(render, rows, page, per_page):
    state = _state({"organisation": "Barnsley & <Co>", "page": str(page)}, per_page=per_page)
    context = {
        "page": Page.of(state, list(range(rows))),
        "url_args": {"cohort_id": 3, "_anchor": "learners", "risk-sort": "name"},
    }
    call = "(page, 'oversight.dashboard', 'learner', url_args, label='Pages of the <list>')"
    hand = render("{{ pager_html" + call + " }}", **context)
    macro = render(TABLE_MACROS + "{{ pager" + call + " }}", **context)
    if rows > per_page:
        assert 'aria-current="page"' in hand
        assert "organisation=Barnsley+%26+%3CCo%3E" in hand
    assert hand.count("<nav") == (1 if rows > per_page else 0)
    _same(f"<div>{hand}</div>", f"<div>{macro}</div>")  # one element to compare


@pytest.mark.parametrize("q", ["", "O'Hara & <Ann>", "Bo\x0b"])
def test_search_input(render, q):
    table = {"state": {"q": q}}
    hand = render(_hand_written("search_input", FILTERS.read_text()), table=table)
    macro = render(
        '{% from "govuk_frontend_jinja/components/input/macro.html" import govukInput %}'
        '{{ govukInput({"id": "q", "name": "q", "label": {"text": "Name or email", "classes": '
        '"govuk-label--s"}, "value": table.state.q, "type": "search", "spellcheck": false, '
        '"autocomplete": "off"}) }}',
        table=table,
    )
    assert 'type="search"' in hand
    _same(hand, macro)


def test_apply_button(render):
    hand = render(_hand_written("apply_button", FILTERS.read_text()))
    macro = render(
        '{{ govukButton({"text": "Apply filters", "classes": "govuk-button--secondary"}) }}'
    )
    _same(hand, macro)
