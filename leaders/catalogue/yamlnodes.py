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
        if "&" in text or "*" in text:  # cheap: most settings have neither
            _refuse_anchors(text, first_line)
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = _mark(error)
        line = first_line + (mark.line if mark is not None else 0)
        raise YamlProblem(line, _explain(error)) from None
    except yaml.reader.ReaderError as error:
        line = first_line + text[: error.position].count("\n")
        raise YamlProblem(line, "it contains a control character: remove it") from None
    except yaml.YAMLError as error:  # pragma: no cover - unmarked errors are rare
        raise YamlProblem(first_line, str(error)) from None
    if root is None:
        return None, []
    duplicates: list[tuple[int, str]] = []
    return _convert(root, first_line, root.start_mark.line, duplicates), duplicates


def _refuse_anchors(text: str, first_line: int) -> None:
    """Refuse anchors (``&name``) and aliases (``*name``) before anything is built.

    An alias repeats a value without copying it, so a few lines of aliases of aliases can stand
    for billions of values ("billion laughs"), and an alias inside its own anchor for an endless
    one. Content never needs them, so the events are read (in linear time) and the first anchor
    or alias is refused.
    """
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            # The parser marks every event it reads; the mark is optional only in PyYAML's types.
            mark = event.start_mark
            raise YamlProblem(
                first_line + (mark.line if mark is not None else 0),
                "anchors and aliases (& and *) are not allowed: write each value out in full, "
                "and put text that starts with & or * in quotes",
            )


#: Errors found far from their cause, where the context mark (the opening quote or bracket) is
#: the line to fix rather than the problem mark (often the end of the settings).
_CONTEXT_FIRST = (
    "while scanning a quoted scalar",
    "while parsing a flow sequence",
    "while parsing a flow mapping",
)


def _mark(error: yaml.MarkedYAMLError) -> yaml.Mark | None:
    context = error.context or ""
    if error.context_mark is not None and context.startswith(_CONTEXT_FIRST):
        return error.context_mark
    return error.problem_mark or error.context_mark


def _explain(error: yaml.MarkedYAMLError) -> str:
    context = error.context or ""
    if context.startswith("while scanning a quoted scalar"):
        return "a quote is not closed: end the text with the same quote mark it starts with"
    if context.startswith(_CONTEXT_FIRST[1:]):
        bracket = "]" if "sequence" in context else "}"
        return f"a bracket is not closed: end the list with {bracket}, or put the text in quotes"
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
    except (yaml.YAMLError, ValueError, OverflowError):  # an impossible date stays text
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
