"""components/table.html's sortable header cell and pager, made in Python, for the dashboard.

Why: the cohort dashboard draws 22 sortable header cells and, past 100 learners, two pagers on every
view. As Jinja macros (sort_header calling sort_link; pager importing and calling govukPagination,
which calls a macro per page link and its attribute macros) they were about a third of rendering
the page at 200 learners (bench/dashboard.py: some 1.3 ms of 3.9). Here each is one function whose
values pass the same two steps a template applies to what it prints: Jinja's `finalize`
(`leaders.text.shown_in_page`) and markupsafe's `escape` (`leaders.fragments.value`). The links are the macros' own: the same
`TableState.sort_args` and `Page.pagination`, through `table_url`.

The markup is the macros': tests/test_dashboard_markup.py renders each from these functions and
from the macros in components/table.html (and so govukPagination) with the same state, and
compares the element trees. Other pages keep the macros, which are the reference.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markupsafe import Markup

from leaders.filters import plural
from leaders.fragments import value as printed  # a value as a template prints it
from leaders.tables import Page, TableState, table_url

_PREVIOUS_ARROW = (
    '<svg class="govuk-pagination__icon govuk-pagination__icon--prev" '
    'xmlns="http://www.w3.org/2000/svg" height="13" width="15" aria-hidden="true" '
    'focusable="false" viewBox="0 0 15 13"><path d="m6.5938-0.0078125-6.7266 6.7266 6.7441 '
    '6.4062 1.377-1.449-4.1856-3.9768h12.896v-2h-12.984l4.2931-4.293-1.414-1.414z"></path></svg>'
)
_NEXT_ARROW = (
    '<svg class="govuk-pagination__icon govuk-pagination__icon--next" '
    'xmlns="http://www.w3.org/2000/svg" height="13" width="15" aria-hidden="true" '
    'focusable="false" viewBox="0 0 15 13"><path d="m8.107-0.0078125-1.4136 1.414 4.2926 '
    '4.293h-12.986v2h12.896l-4.1855 3.9766 1.377 1.4492 6.7441-6.4062-6.7246-6.7266z"></path></svg>'
)


def sort_header(
    state: TableState,
    column: str,
    label: str | Markup,
    endpoint: str,
    url_args: Mapping[str, Any] | None = None,
    numeric: bool = False,
) -> Markup:
    """The `<th>` for a sortable column: components/table.html's sort_header (and its sort_link)."""
    href = table_url(endpoint, {**(url_args or {}), **state.sort_args(column)})
    then = "descending" if state.sort == column and not state.descending else "ascending"
    numeric_class = " govuk-table__header--numeric" if numeric else ""
    return Markup(  # noqa: S704 (every value escaped)
        f'<th scope="col" class="govuk-table__header{numeric_class}" '
        f'aria-sort="{printed(state.aria_sort(column))}">\n'
        f'  <a class="govuk-link govuk-link--no-visited-state app-sort-link" href="{printed(href)}">'
        f'{printed(label)}<span class="govuk-visually-hidden">, sort {then}</span></a>\n</th>'
    )


def pager(
    page: Page[Any],
    endpoint: str,
    noun: str,
    url_args: Mapping[str, Any] | None = None,
    label: str = "Pages",
) -> Markup:
    """components/table.html's pager: how many are shown and, past one page, govukPagination's
    numbered links as it draws them for `Page.pagination` (previous, pages, next)."""
    if page.total == 0:
        summary = f"No {printed(noun)}s to show."
    elif page.pages == 1:
        summary = f"Showing {printed(plural(page.total, noun))}."
    else:
        summary = (
            f"Showing {printed(page.first)} to {printed(page.last)} of "
            f"{printed(plural(page.total, noun))}."
        )
    out = [f'<p class="govuk-body govuk-!-margin-bottom-2">{summary}</p>']
    if page.pages > 1:
        params = page.pagination(endpoint, url_args or {}, label)
        out.append(f'<nav class="govuk-pagination" aria-label="{printed(label or "Pagination")}">')
        if params["previous"]:
            out.append(
                '<div class="govuk-pagination__prev"><a class="govuk-link govuk-pagination__link" '
                f'href="{printed(params["previous"]["href"])}" rel="prev">{_PREVIOUS_ARROW}'
                '<span class="govuk-pagination__link-title">Previous'
                '<span class="govuk-visually-hidden"> page</span></span></a></div>'
            )
        out.append('<ul class="govuk-pagination__list">')
        for item in params["items"]:
            if item.get("ellipsis"):
                out.append(
                    '<li class="govuk-pagination__item govuk-pagination__item--ellipsis">'
                    "&ctdot;</li>"
                )
                continue
            number = printed(item["number"])
            current = (" govuk-pagination__item--current", ' aria-current="page"')
            item_class, aria_current = current if item["current"] else ("", "")
            out.append(
                f'<li class="govuk-pagination__item{item_class}">'
                f'<a class="govuk-link govuk-pagination__link" href="{printed(item["href"])}" '
                f'aria-label="Page {number}"{aria_current}>{number}</a></li>'
            )
        out.append("</ul>")
        if params["next"]:
            out.append(
                '<div class="govuk-pagination__next"><a class="govuk-link govuk-pagination__link" '
                f'href="{printed(params["next"]["href"])}" rel="next">'
                '<span class="govuk-pagination__link-title">Next'
                f'<span class="govuk-visually-hidden"> page</span></span>{_NEXT_ARROW}</a></div>'
            )
        out.append("</nav>")
    return Markup("\n".join(out))  # noqa: S704 (every value escaped)
