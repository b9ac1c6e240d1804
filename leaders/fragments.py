"""Page fragments drawn once per shape, then filled in for each request.

A fragment such as a lesson's journal form is the same markup for every learner but for a few
values (their words, the CSRF token) and a few choices (which radio is checked). Its template runs
once per *shape*, the choices that change markup, with a marker where each value goes; each
request then joins the static pieces with its own values, escaped as Jinja would have escaped them.
On the lesson page the journal form went from about 85 µs through its macro to under 20 µs
(bench/pages.py). No library does this: fragment caches (Flask-Caching's `{% cache %}`) keep whole
outputs, which here would differ for every learner and every CSRF token.

The markers are plain ASCII made with a per-process random part, so neither escaping nor
`text.shown_in_page` changes them and no content can contain one by accident. Callers must put
every input that changes markup, other than the slots, in the shape they cache by, and test that a
filled skeleton equals the template's own output.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass

from flask import current_app
from markupsafe import Markup, escape

from leaders.text import shown_in_page

_TOKEN = secrets.token_hex(6)
_SLOT = re.compile(rf"slot{_TOKEN}([a-z0-9_]+)x")


def slot(name: str) -> str:
    """The marker a template prints where the value called `name` goes (a-z, 0-9 and _)."""
    return f"slot{_TOKEN}{name}x"


def value(text: object) -> Markup:
    """A value for a slot, as Jinja prints `{{ text }}`: shown_in_page, then escaped."""
    return escape(shown_in_page(text))


@dataclass(frozen=True, slots=True)
class Skeleton:
    """Rendered markup cut at its slots: pieces[0], value, pieces[1], value, … pieces[-1]."""

    pieces: tuple[str, ...]
    names: tuple[str, ...]

    @classmethod
    def of(cls, markup: str) -> Skeleton:
        cut = _SLOT.split(markup)
        return cls(tuple(cut[0::2]), tuple(cut[1::2]))

    def fill(self, values: Mapping[str, Markup]) -> Markup:
        """The fragment with these values (each from `value`, or Markup): a KeyError if one is missing."""
        out = [self.pieces[0]]
        for name, piece in zip(self.names, self.pieces[1:], strict=True):
            out.append(values[name])
            out.append(piece)
        return Markup("".join(out))  # noqa: S704 (pieces are rendered markup; values escaped)


class Skeletons:
    """The current app's skeletons of one kind, by shape, for one *generation* of what they are drawn
    from (the course content, say): asked with another generation, they start afresh. Bounded by
    the shapes there are: a kind whose shapes have no bound must not use it.
    """

    def __init__(self, name: str) -> None:
        self.name = name  # the key in app.extensions

    def get(self, generation: object, shape: Hashable, draw: Callable[[], str]) -> Skeleton:
        """The skeleton for `shape`, drawn (with slot markers) by `draw` the first time."""
        held: tuple[object, dict[Hashable, Skeleton]] | None = current_app.extensions.get(self.name)
        if held is None or held[0] is not generation:
            held = current_app.extensions[self.name] = (generation, {})
        shapes = held[1]
        skeleton = shapes.get(shape)
        if skeleton is None:
            skeleton = shapes[shape] = Skeleton.of(draw())
        return skeleton
