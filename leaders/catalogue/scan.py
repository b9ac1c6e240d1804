"""A pre-pass over a body's lines: find every ``///`` block, check them, and lift out quizzes.

Quizzes and reflections are replaced by a placeholder paragraph, which the renderer splits the
HTML on: so their YAML (answers and feedback included) never goes through Markdown and never
reaches the static HTML. Working line by line also gives exact line numbers for every problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .model import Problem

#: Blocks drawn by the Markdown extension in blocks.py.
CALLOUTS = ("note", "key-idea", "case-study", "details", "activity")
#: Blocks lifted out of the Markdown and drawn by the page as forms.
SEGMENT_BLOCKS = ("quiz", "reflection")
TITLE_REQUIRED = frozenset({"case-study", "details", "activity"})

PLACEHOLDER = "%%SEGMENT-{}%%"
PLACEHOLDER_RE = re.compile(r"<p[^>]*>%%SEGMENT-(\d+)%%</p>")

# The same shapes as pymdownx.blocks, but at any indentation (blocks may sit in list items).
_START = re.compile(r"^([ \t]*)(/{3,})[ \t]*([\w-]+)[ \t]*(?:\|[ \t]*(.*?))?[ \t]*$")
_END = re.compile(r"^[ \t]*(/{3,})[ \t]*$")
_SLASHES = re.compile(r"^[ \t]*/{3,}")
_FOOTNOTE_REFERENCE = re.compile(r"\[\^([^\]\s]+)\](?!:)")
_FOOTNOTE_DEFINITION = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:")


@dataclass(frozen=True, slots=True)
class Special:
    """A quiz or reflection block, lifted out of the body."""

    kind: str
    title: str | None
    #: The YAML between the block's first and last lines.
    yaml: str
    #: File line of the block's first line (``/// quiz``).
    line: int


@dataclass(frozen=True, slots=True)
class Scan:
    #: The body with each special block replaced by a placeholder paragraph.
    markdown: str
    specials: tuple[Special, ...]
    problems: tuple[Problem, ...]


@dataclass(slots=True)
class _Open:
    name: str
    slashes: int
    line: int
    index: int
    special: bool
    title: str | None = None


def _bar(slashes: int) -> str:
    return "/" * slashes


def scan(path: Path, body: str, body_line: int, *, in_lesson: bool = True) -> Scan:
    """Check the blocks in ``body`` (whose first line is file line ``body_line``)."""
    lines = body.split("\n")
    out: list[str] = []
    specials: list[Special] = []
    problems: list[Problem] = []
    stack: list[_Open] = []

    def problem(line: int, message: str) -> None:
        problems.append(Problem(path, line, message))

    footnotes: list[tuple[str, int]] = []
    defined: set[str] = set()

    def emit(text: str, line: int) -> None:
        out.append(text)
        if "[^" in text:
            definition = _FOOTNOTE_DEFINITION.match(text)
            if definition:
                defined.add(definition.group(1))
            footnotes.extend((label, line) for label in _FOOTNOTE_REFERENCE.findall(text))

    def unclosed(block: _Open) -> None:
        bar = _bar(block.slashes)
        problem(
            block.line, f'block "{block.name}" is not closed: add a line with {bar} where it ends'
        )

    for index, text in enumerate(lines):
        line = body_line + index
        if stack and stack[-1].special:
            end = _END.match(text)
            if end and len(end.group(1)) == stack[-1].slashes:
                block = stack.pop()
                yaml = "\n".join(lines[block.index + 1 : index])
                specials.append(Special(block.name, block.title, yaml, block.line))
                out.extend(("", PLACEHOLDER.format(len(specials) - 1), ""))
            continue
        start = _START.match(text)
        if start:
            indent, bar, raw_name, raw_title = start.groups()
            name = raw_name.lower()
            title = (raw_title or "").strip() or None
            slashes = len(bar)
            if stack and slashes >= stack[-1].slashes:
                outer = stack[-1]
                problem(
                    line,
                    f'block "{name}" starts inside block "{outer.name}" (line {outer.line}), which '
                    f"is not closed yet: close it first with {_bar(outer.slashes)}, or, to put "
                    f"one block inside another, give the outer block more slashes ({_bar(slashes + 1)})",
                )
            if name in SEGMENT_BLOCKS:
                what = "a quiz" if name == "quiz" else "a reflection"
                if not in_lesson:
                    problem(
                        line, f"{what} can only go in a lesson, not here: move it into a lesson"
                    )
                elif stack:
                    problem(
                        line,
                        f'{what} cannot go inside another block ("{stack[-1].name}", line '
                        f"{stack[-1].line}): move it after the end of that block",
                    )
                elif len(indent.expandtabs(4)) > 3:
                    problem(
                        line, f"{what} cannot be indented: start its {bar} line at the left edge"
                    )
                stack.append(_Open(name, slashes, line, index, special=True, title=title))
                continue
            if name not in CALLOUTS:
                known = ", ".join(CALLOUTS + SEGMENT_BLOCKS)
                problem(line, f'unknown block "{raw_name}": use one of {known}')
            elif name in TITLE_REQUIRED and title is None:
                problem(line, f'block "{name}" needs a title: write it as "{bar} {name} | Title"')
            stack.append(_Open(name, slashes, line, index, special=False))
            emit(text, line)
            continue
        end = _END.match(text)
        if end:
            slashes = len(end.group(1))
            depth = next(
                (i for i in range(len(stack) - 1, -1, -1) if stack[i].slashes == slashes), None
            )
            if depth is None:
                problem(
                    line,
                    f"this {end.group(1)} does not close any block: remove it, or check that the "
                    "block it ends starts with the same number of slashes",
                )
            else:
                for block in stack[depth + 1 :]:
                    unclosed(block)
                del stack[depth:]
            emit(text, line)
            continue
        if _SLASHES.match(text):
            problem(
                line,
                'this line starts like a block but cannot be read: write it as "/// name" or '
                '"/// name | Title", with a line of just "///" to end the block',
            )
        emit(text, line)

    for block in stack:
        unclosed(block)
    for label, line in footnotes:
        if label not in defined:
            problem(
                line,
                f'footnote "[^{label}]" has no note: add a line like "[^{label}]: Source, 2024." '
                "at the end of the file",
            )
    return Scan("\n".join(out), tuple(specials), tuple(problems))
