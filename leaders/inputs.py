"""Bounds on what a request may carry: ids in URLs and query strings, and query-string lengths.

One place for every route: an id no database row can have is a 404, not a database error, and a
query-string value longer than any search needs is refused with a page that says so.
"""

from __future__ import annotations

import re

from flask import Flask, request
from werkzeug.exceptions import BadRequest, NotFound
from werkzeug.routing import IntegerConverter

#: The largest id a row can have: ids are INTEGER columns, 32-bit signed on PostgreSQL.
MAX_ID = 2**31 - 1
#: Longer than any search, filter or address on this site.
MAX_QUERY_VALUE = 1000
_INTEGER = re.compile(r"\s*[+-]?\d+\s*")


class IdConverter(IntegerConverter):
    """``<int:…>`` in every route: beyond MAX_ID the route does not match, so the answer is 404."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = None):
        super().__init__(
            map, fixed_digits=fixed_digits, min=min, max=MAX_ID if max is None else max
        )


class BadQueryString(BadRequest):
    """A query-string value no search or filter can use; `explanation` says why, on the 400 page."""

    def __init__(self, explanation: str) -> None:
        super().__init__()
        self.explanation = explanation


TOO_LONG = (
    f"A search or filter in the address is too long. Use {MAX_QUERY_VALUE} characters or fewer, "
    "or go back and search again."
)
NUL = "The address contains a character that cannot be searched for. Go back and search again."


def _check_query_string() -> None:
    for values in request.args.listvalues():
        for value in values:
            if len(value) > MAX_QUERY_VALUE:
                raise BadQueryString(TOO_LONG)
            if "\x00" in value:  # no text column can hold it (PostgreSQL refuses it outright)
                raise BadQueryString(NUL)
            # Numbers in query strings are ids (?cohort=…, ?attempt=…): none can be this large.
            if _INTEGER.fullmatch(value) and abs(int(value)) > MAX_ID:
                raise NotFound()


def init_app(app: Flask) -> None:
    """Call before any blueprint is registered: rules pick their converters when they are added."""
    app.url_map.converters["int"] = IdConverter
    app.before_request(_check_query_string)
