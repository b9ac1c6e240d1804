"""leaders.tables: a table's state read from the address, the links it makes, sorting and paging."""

from __future__ import annotations

from dataclasses import replace

import pytest
from werkzeug.datastructures import MultiDict

from leaders.tables import Page, TableState, matches, sort_rows

SORTS = ("name", "done")


def read(**args: str) -> TableState:
    return TableState.read(
        MultiDict(args), sorts=SORTS, default_sort="name", filters=("organisation", "status")
    )


def test_unknown_sort_direction_and_page_fall_back_to_the_default_view() -> None:
    state = read(sort="password_hash", dir="sideways", page="banana", status="", other="x")
    assert (state.sort, state.direction, state.page, dict(state.filters)) == ("name", "asc", 1, {})
    assert not state.filtered


def test_filters_search_and_sort_are_kept_in_every_link_and_changing_them_goes_to_page_one() -> (
    None
):
    state = read(sort="done", dir="desc", q=" ada ", organisation="7", page="3")
    assert state.q == "ada"
    assert state.filtered
    assert state.aria_sort("done") == "descending"
    assert state.aria_sort("name") == "none"
    assert state.sort_args("done") == {
        "organisation": "7",
        "sort": "done",
        "dir": "asc",
        "q": "ada",
    }
    assert state.sort_args("name")["dir"] == "asc"
    assert state.page_args(2) == {
        "organisation": "7",
        "sort": "done",
        "dir": "desc",
        "q": "ada",
        "page": "2",
    }
    assert state.args(organisation="") == {"sort": "done", "dir": "desc", "q": "ada"}


def test_pages_are_clamped_and_say_which_rows_they_hold() -> None:
    state = TableState.read(
        MultiDict({"page": "9"}), sorts=SORTS, default_sort="name", per_page=100
    )
    page = state.paged(list(range(250)))
    assert (page.number, page.pages, page.first, page.last, page.total) == (3, 3, 201, 250, 250)
    assert list(page.rows) == list(range(200, 250))
    assert page.next is None
    assert page.previous == 2
    empty = state.paged([])
    assert (empty.number, empty.pages, empty.first, empty.last) == (1, 1, 0, 0)


def test_sort_rows_puts_missing_values_last_either_way_and_ignores_case() -> None:
    rows = [("bea", 2), ("Ada", None), ("cy", 5)]
    keys = {"name": lambda r: r[0], "done": lambda r: r[1]}
    assert [r[0] for r in sort_rows(rows, read(sort="name"), keys)] == ["Ada", "bea", "cy"]
    assert [r[0] for r in sort_rows(rows, read(sort="done", dir="desc"), keys)] == [
        "cy",
        "bea",
        "Ada",
    ]
    assert [r[0] for r in sort_rows(rows, read(sort="done"), keys)] == ["bea", "cy", "Ada"]


def test_sort_rows_keeps_ties_and_missing_values_in_their_order_either_way() -> None:
    rows = [("a", 1), ("b", None), ("c", 2), ("d", 1), ("e", None), ("f", 2)]
    keys = {"done": lambda r: r[1]}
    ascending = sort_rows(iter(rows), read(sort="done"), keys)  # any iterable, read once
    assert [r[0] for r in ascending] == ["a", "d", "c", "f", "b", "e"]
    descending = sort_rows(rows, read(sort="done", dir="desc"), keys)
    assert [r[0] for r in descending] == ["c", "f", "a", "d", "b", "e"]


def test_search_needs_every_word_somewhere() -> None:
    assert matches("ada love", "Ada Lovelace", "ada@example.org")
    assert not matches("ada grace", "Ada Lovelace", "ada@example.org")
    assert matches("", "anyone")


@pytest.mark.parametrize(
    ("number", "pages", "expected"),
    [
        (5, 10, [1, None, 4, 5, 6, None, 10]),
        (1, 10, [1, 2, None, 10]),
        (10, 10, [1, None, 9, 10]),
        (2, 3, [1, 2, 3]),
        (3, 5, [1, 2, 3, 4, 5]),
        (1, 2, [1, 2]),
    ],
)
def test_the_pager_links_the_ends_and_the_neighbours(number, pages, expected):
    state = TableState.read({"page": str(number)}, sorts=["name"], default_sort="name")
    page = Page.of(replace(state, per_page=1), list(range(pages)))
    assert page.number == number
    assert page.numbers() == expected


@pytest.mark.parametrize(
    "args",
    [
        {"cohort_id": 7, "sort": "name", "dir": "desc", "_anchor": "progress"},
        {"cohort_id": 7, "q": "Ann O'Hara & <co>", "organisation": "Barnsley & Co", "page": 2},
        {"cohort_id": 7, "place": "Saint-Étienne/Nord", "risk-sort": "why", "_anchor": "at risk#2"},
        {"cohort_id": 7, "sector": None, "q": "a+b c", "_anchor": None},
        {"cohort_id": 7},
    ],
)
def test_table_links_are_what_url_for_makes(app, args):
    """table_url is url_for's address, made cheaper: path, query, dropped Nones and anchor alike."""
    from flask import url_for

    from leaders.tables import table_url

    with app.test_request_context("/cohorts/7"):
        assert table_url("oversight.dashboard", args) == url_for("oversight.dashboard", **args)
        assert table_url("cohorts.people", args) == url_for("cohorts.people", **args)
        # The second time the path comes from the request's store, and is still right.
        other = {**args, "cohort_id": 8}
        assert table_url("oversight.dashboard", other) == url_for("oversight.dashboard", **other)
    with app.test_request_context("/admin/users"):
        plain = {k: v for k, v in args.items() if k != "cohort_id"}
        assert table_url("admin.index", plain) == url_for("admin.index", **plain)
