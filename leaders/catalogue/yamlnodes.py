"""YAML read into values that remember their line, so problems can point at the offending line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

try:  # libyaml is much faster; the pure-Python loader gives the same results
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

_constructor = yaml.constructor.SafeConstructor()


@dataclass(frozen=True, slots=True)
class Node:
    """A YAML value and the file line it starts on.

    ``value`` is a ``dict[str, Node]`` for a mapping (each entry's line is its key's line), a
    ``list[Node]`` for a sequence, or a Python scalar. ``text`` is a scalar's source text, so a
    quiz option written ``text: Yes`` stays the word "Yes" rather than becoming ``True``.
    """

    value: Any
    line: int
    text: str | None = None

    @property
    def is_mapping(self) -> bool:
        return isinstance(self.value, dict)

    @property
    def is_list(self) -> bool:
        return isinstance(self.value, list)

    def as_text(self) -> str | None:
        """The scalar as text (its source spelling), or None if it is not a scalar or is null."""
        if self.text is None or self.value is None:
            return None
        return self.text


class YamlProblem(Exception):
    """YAML that cannot be read; ``line`` is the file line."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def load(text: str, first_line: int) -> tuple[Node | None, list[tuple[int, str]]]:
    """Read YAML whose first line is file line ``first_line``.

    Returns the root node (None for an empty document) and any duplicate-key warnings as
    (line, message); raises YamlProblem if the YAML cannot be read.
    """
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = first_line + (mark.line if mark is not None else 0)
        raise YamlProblem(line, _explain(error)) from None
    except yaml.YAMLError as error:  # pragma: no cover - unmarked errors are rare
        raise YamlProblem(first_line, str(error)) from None
    if root is None:
        return None, []
    duplicates: list[tuple[int, str]] = []
    return _convert(root, first_line, root.start_mark.line, duplicates), duplicates


def _explain(error: yaml.MarkedYAMLError) -> str:
    problem = (error.problem or "it cannot be read").strip()
    hint = (
        "check the indentation, and put text that contains a colon or starts with a quote in quotes"
    )
    return f"{problem}: {hint}"


def _convert(
    node: yaml.Node, first_line: int, line0: int, duplicates: list[tuple[int, str]]
) -> Node:
    line = first_line + line0
    if isinstance(node, yaml.MappingNode):
        entries: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
            key_line = key_node.start_mark.line
            if key in entries:
                duplicates.append((first_line + key_line, f'"{key}" is written twice'))
            entries[key] = _relocate(
                _convert(value_node, first_line, value_node.start_mark.line, duplicates),
                first_line + key_line,
            )
        return Node(entries, line)
    if isinstance(node, yaml.SequenceNode):
        items = [
            _convert(item, first_line, item.start_mark.line, duplicates) for item in node.value
        ]
        return Node(items, line)
    # Construct the scalar directly: construct_object() would cache every node for ever.
    build = _constructor.yaml_constructors.get(node.tag)
    try:
        value = build(_constructor, node) if build is not None else node.value
    except yaml.YAMLError:
        value = node.value
    return Node(value, line, str(node.value))


def _relocate(node: Node, line: int) -> Node:
    return Node(node.value, line, node.text)


def plain(node: Node | None) -> Any:
    """The node as ordinary Python values, without lines."""
    if node is None:
        return None
    if isinstance(node.value, dict):
        return {key: plain(child) for key, child in node.value.items()}
    if isinstance(node.value, list):
        return [plain(child) for child in node.value]
    return node.value
