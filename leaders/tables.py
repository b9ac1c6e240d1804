"""The state of a table in the address: sort column and direction, search, filters and page.

Every large table (dashboard matrix and at-risk list, People, the audit log, the admin user list)
reads its state with `TableState.read`, so a filtered, sorted view is a URL that can be bookmarked
and shared, works without JavaScript, and an export can be given the same arguments.

The view decides which columns sort and which filters exist; unknown values are ignored (a stale
bookmark shows the default view, never an error), and the page number is clamped to the pages there
are. Sorting and filtering happen server-side: in SQL where the service can, or over the rows it
already built (a cohort holds at most a few hundred learners) with `sort_rows`.

`components/table.html` draws the sortable header cells (`aria-sort`, a link that toggles the
direction) and the pager from this state.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from operator import itemgetter
from typing import Any, Generic, TypeVar
from urllib.parse import quote, urlencode

from flask import current_app, g, url_for
from werkzeug.datastructures import MultiDict

T = TypeVar("T")

#: Rows on one page: past this, a table is paged.
PER_PAGE = 100
ASCENDING = "asc"
DESCENDING = "desc"


@dataclass(frozen=True)
class TableState:
    """What the address asks of one table. Immutable: `with_` makes the state for a link."""

    sort: str
    direction: str = ASCENDING
    q: str = ""
    filters: Mapping[str, str] = field(default_factory=dict)
    page: int = 1
    per_page: int = PER_PAGE
    #: The argument names for this table; a page with two tables gives one a prefix.
    prefix: str = ""

    @classmethod
    def read(
        cls,
        args: MultiDict[str, str] | Mapping[str, str],
        *,
        sorts: Iterable[str],
        default_sort: str,
        filters: Iterable[str] = (),
        default_direction: str = ASCENDING,
        per_page: int = PER_PAGE,
        prefix: str = "",
    ) -> TableState:
        """The state `args` asks for, keeping only the sort columns and filters the view offers."""
        sorts = set(sorts)
        sort = args.get(prefix + "sort", "") or default_sort
        if sort not in sorts:
            sort = default_sort
        direction = args.get(prefix + "dir", "") or default_direction
        if direction not in (ASCENDING, DESCENDING):
            direction = default_direction
        chosen = {}
        for name in filters:
            value = (args.get(prefix + name) or "").strip()
            if value:
                chosen[name] = value
        try:
            page = max(1, int(args.get(prefix + "page", "1") or "1"))
        except ValueError:
            page = 1
        return cls(
            sort=sort,
            direction=direction,
            q=(args.get(prefix + "q") or "").strip(),
            filters=chosen,
            page=page,
            per_page=per_page,
            prefix=prefix,
        )

    @property
    def descending(self) -> bool:
        return self.direction == DESCENDING

    @property
    def filtered(self) -> bool:
        """Whether a search or filter narrows the rows (the page says so, and offers to clear it)."""
        return bool(self.q or self.filters)

    def aria_sort(self, column: str) -> str:
        """The header cell's `aria-sort`: only the sorted column says a direction."""
        if column != self.sort:
            return "none"
        return "descending" if self.descending else "ascending"

    def args(self, **changes: Any) -> dict[str, str]:
        """This state as query arguments (defaults left out), with `changes` applied.

        Changing the sort, search or a filter goes back to page 1, so a link never lands on a page
        that no longer exists.
        """
        filters: Mapping[str, str] = self.filters
        sort, direction, q, page = self.sort, self.direction, self.q, self.page
        if changes:
            # The changed state's arguments, without making the state: a page's sort headings
            # and pagers ask for dozens, and dataclasses.replace was most of their cost.
            changed = dict(filters)
            for name, value in changes.items():
                if name not in ("sort", "direction", "q", "page"):
                    if value:
                        changed[name] = str(value)
                    else:
                        changed.pop(name, None)
            filters = changed
            sort = changes.get("sort", sort)
            direction = changes.get("direction", direction)
            q = changes.get("q", q)
            page = changes.get("page", 1)
        prefix = self.prefix
        out = {prefix + name: value for name, value in filters.items()}
        out[prefix + "sort"] = sort
        out[prefix + "dir"] = direction
        if q:
            out[prefix + "q"] = q
        if page > 1:
            out[prefix + "page"] = str(page)
        return out

    def sort_args(self, column: str) -> dict[str, str]:
        """The arguments of the link on a column's heading: sorts by it, or reverses it if sorted."""
        if column == self.sort:
            direction = ASCENDING if self.descending else DESCENDING
        else:
            direction = ASCENDING
        return self.args(sort=column, direction=direction)

    def page_args(self, page: int) -> dict[str, str]:
        return self.args(page=page, sort=self.sort, direction=self.direction)

    def paged(self, rows: Sequence[T]) -> Page[T]:
        """One page of `rows` (already filtered and sorted), with the page clamped to those there are."""
        return Page.of(self, rows)


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a table's rows and what the pager needs to say about it."""

    rows: Sequence[T]
    number: int
    pages: int
    total: int
    first: int  # 1-based position of the first row shown, 0 when there are none
    last: int
    state: TableState

    @classmethod
    def of(cls, state: TableState, rows: Sequence[T], total: int | None = None) -> Page[T]:
        """`rows` is every row, or (with `total`) just this page's rows fetched by the service."""
        count = len(rows) if total is None else total
        pages = max(1, math.ceil(count / state.per_page))
        number = min(state.page, pages)
        start = (number - 1) * state.per_page
        shown = rows[start : start + state.per_page] if total is None else rows
        return cls(
            rows=shown,
            number=number,
            pages=pages,
            total=count,
            first=start + 1 if count else 0,
            last=start + len(shown),
            state=replace(state, page=number),
        )

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.pages else None

    def numbers(self) -> list[int | None]:
        """The page numbers the pager links to: the first and last, and those either side of this
        one, in order; None where pages are left out (an ellipsis)."""
        wanted = sorted({1, self.pages, *range(max(1, self.number - 1), self.number + 2)})
        shown: list[int | None] = []
        for n in (n for n in wanted if 1 <= n <= self.pages):
            if shown and n > (shown[-1] or 0) + 1:
                shown.append(None)
            shown.append(n)
        return shown

    def pagination(self, endpoint: str, url_args: Mapping[str, Any], label: str) -> dict[str, Any]:
        """govukPagination's parameters for this page: previous, next and numbered links that keep
        `url_args` (the filters, search and sort) with the page's own."""

        def href(n: int) -> str:
            return table_url(endpoint, {**url_args, **self.state.page_args(n)})

        return {
            "previous": {"href": href(self.previous)} if self.previous else None,
            "next": {"href": href(self.next)} if self.next else None,
            "items": [
                {"ellipsis": True}
                if n is None
                else {"number": n, "href": href(n), "current": n == self.number}
                for n in self.numbers()
            ],
            "landmarkLabel": label,
        }


def sort_rows(
    rows: Iterable[T], state: TableState, keys: Mapping[str, Callable[[T], Any]]
) -> list[T]:
    """`rows` sorted by the state's column; `None` values last in either direction, ties stable.

    `keys[column]` gives a row's value for that column. Strings compare without case.
    """
    key = keys[state.sort]
    # Each row's value worked out once (the dashboard sorts up to a thousand learners per view).
    present: list[tuple[Any, T]] = []
    absent: list[T] = []
    for row in rows:
        v = key(row)
        if v is None:
            absent.append(row)
        else:
            present.append((v.casefold() if isinstance(v, str) else v, row))
    present.sort(key=itemgetter(0), reverse=state.descending)
    return [row for _value, row in present] + absent


def matches(query: str, *texts: str | None) -> bool:
    """Whether every word of a search appears, without case, in one of `texts` (name, email…)."""
    words = query.casefold().split()
    haystack = " ".join(t.casefold() for t in texts if t)
    return all(word in haystack for word in words)


#: What Werkzeug leaves unquoted in a query string, and Flask in an anchor (url_for).
_QUERY_SAFE = "!$'()*,/:;?@"
_ANCHOR_SAFE = "%!#$&'()*+,/:;=?@"


def table_url(endpoint: str, args: Mapping[str, Any]) -> str:
    """`url_for(endpoint, **args)` for a table's sort and page links: the same address, cheaper.

    A table page draws a few dozen of these, and each url_for matches the endpoint's rule again
    (about 10 µs). Here the path (url_for with the rule's own arguments only) is worked out once
    per request and endpoint, and the query string and anchor are added as Werkzeug and Flask add
    them (the same safe characters; None values left out). tests/test_tables.py checks the two agree.
    A relative endpoint (".name") goes to url_for as it is.
    """
    if endpoint.startswith("."):
        return url_for(endpoint, **args)
    names = _path_arguments(endpoint)
    path = {k: v for k, v in args.items() if k in names}
    paths = g.setdefault("table_paths", {})
    key = (endpoint, tuple(path.items()))
    base = paths.get(key)
    if base is None:
        base = paths[key] = url_for(endpoint, **path)
    query = tuple(
        (k, v)
        for k, v in args.items()
        if k not in names and not k.startswith("_") and v is not None
    )
    url = f"{base}?{_query_string(query)}" if query else base
    anchor = args.get("_anchor")
    return f"{url}#{quote(anchor, safe=_ANCHOR_SAFE)}" if anchor is not None else url


@lru_cache(maxsize=4096)
def _query_string(query: tuple[tuple[str, Any], ...]) -> str:
    """The encoded query, remembered: a table page's links repeat the same few arguments (its sort
    headings were ~30 µs each, most of it urlencode), and the same pages are drawn again and again.
    Values are the tables' own arguments: strings and whole numbers."""
    return urlencode(query, safe=_QUERY_SAFE)


def _path_arguments(endpoint: str) -> frozenset[str]:
    """The names an endpoint's rules take in the path (read once per app: the rules do not change)."""
    known: dict[str, frozenset[str]] = current_app.extensions.setdefault("table_path_arguments", {})
    found = known.get(endpoint)
    if found is None:
        found = known[endpoint] = frozenset().union(
            *(rule.arguments for rule in current_app.url_map.iter_rules(endpoint))
        )
    return found
