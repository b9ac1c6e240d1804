"""IN lists with a parameter per key, for statements built once.

A statement that runs on every page is built once and cached (functools.lru_cache) with its values
as parameters. For a list of keys an "expanding" parameter (`column.in_(bindparam(…,
expanding=True))`) would make SQLAlchemy rewrite the SQL text on every execution; a statement built
for a number of keys, with a parameter for each, runs as it was compiled. `in_keys` writes the
condition and `key_values` the parameters that go with it, under the same name.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, bindparam


def in_keys(column: Any, name: str, count: int) -> ColumnElement[bool]:
    """`column IN (:name_0, :name_1, …)`: `count` parameters typed as the column."""
    return column.in_([bindparam(f"{name}_{i}", type_=column.type) for i in range(count)])


def key_values(name: str, keys: Iterable[Any]) -> dict[str, Any]:
    """The parameters for `in_keys(…, name, len(keys))`."""
    return {f"{name}_{i}": key for i, key in enumerate(keys)}
