"""Content that must never reach a learner's browser or the server's own files.

- control characters (NUL and the rest) in any text file;
- symbolic links that lead out of the content folder;
- SVG images that can run script or fetch anything from elsewhere.

SVG is read with defusedxml, which refuses entity declarations (and so entity-expansion
attacks) and external entities, and reports the line of every problem it finds.
"""

from __future__ import annotations

import os
import re
import xml.sax
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.sax import parseString

from .model import Problem

#: C0 controls other than tab and line ends, DEL, and C1 controls; and the two non-characters.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
#: Enough to find the file, without a wall of lines for a binary file saved as .md.
_MAX_CONTROL_LINES = 5


def control_characters(path: Path, text: str) -> list[Problem]:
    """A problem for each line (the first few) holding a control character."""
    problems: list[Problem] = []
    if _CONTROL.search(text) is None:
        return problems
    for number, line in enumerate(text.split("\n"), start=1):
        found = _CONTROL.search(line)
        if found is None:
            continue
        code = f"U+{ord(found.group()):04X}"
        name = " (NUL)" if found.group() == "\x00" else ""
        problems.append(
            Problem(
                path,
                number,
                f"the line contains a control character {code}{name}, which is not allowed: "
                "delete it (it is often left by copying from another program)",
            )
        )
        if len(problems) == _MAX_CONTROL_LINES:
            break
    return problems


def outside(path: str | Path, root: Path) -> bool:
    """True when ``path`` (once every symbolic link is followed) is not inside ``root``."""
    real = Path(os.path.realpath(path))
    real_root = Path(os.path.realpath(root))
    return real != real_root and real_root not in real.parents


LINK_OUT = "symbolic link to outside the content folder: replace it with the file itself"

# SVG ---------------------------------------------------------------------------------------------

#: Elements that run script, embed other documents or pull in HTML.
_ACTIVE_ELEMENTS = frozenset(
    [
        "script",
        "foreignobject",
        "iframe",
        "embed",
        "object",
        "handler",
        "listener",
        "audio",
        "video",
        "canvas",
        "html",
        "body",
    ]
)
#: Animations that could rewrite a link or an event handler.
_ANIMATIONS = frozenset({"set", "animate", "animatemotion", "animatetransform"})
_REFERENCE_ATTRIBUTES = frozenset({"href", "src"})
_CSS_REFERENCE = re.compile(r"url\s*\(\s*['\"]?\s*(?!#)|@import|expression\s*\(", re.I)


def _local(name: str) -> str:
    return name.rsplit(":", 1)[-1].lower()


class _SvgChecker(xml.sax.ContentHandler):
    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.problems: list[Problem] = []
        self._locator: xml.sax.xmlreader.Locator | None = None
        self._root_seen = False
        self._in_style = 0
        self._style_line = 0

    def setDocumentLocator(self, locator: xml.sax.xmlreader.Locator) -> None:
        self._locator = locator

    def _line(self) -> int:
        line = self._locator.getLineNumber() if self._locator is not None else None
        return line or 1

    def _problem(self, message: str, line: int | None = None) -> None:
        self.problems.append(Problem(self.path, line or self._line(), message))

    def startElement(self, name: str, attrs: xml.sax.xmlreader.AttributesImpl) -> None:
        element = _local(name)
        if not self._root_seen:
            self._root_seen = True
            if element != "svg":
                self._problem(f"an .svg file must be an SVG image, not <{name}>")
        if element in _ACTIVE_ELEMENTS:
            self._problem(
                f"the image contains <{name}>, which can run code or show another page: remove it"
            )
        if element == "style":
            self._in_style += 1
            self._style_line = self._line()
        for attribute, value in attrs.items():
            self._attribute(element, _local(attribute), attribute, value)

    def _attribute(self, element: str, local: str, attribute: str, value: str) -> None:
        if local.startswith("on"):
            self._problem(
                f'the image has an event handler ({attribute}="…"), which runs code: remove it'
            )
        elif local in _REFERENCE_ATTRIBUTES and not value.strip().startswith("#"):
            self._problem(
                f'the image links to "{value.strip()[:60]}" ({attribute}): an image may only refer '
                "to parts of itself (#id); put what it shows in the image itself"
            )
        elif local == "style" and _CSS_REFERENCE.search(value):
            self._problem(
                "the image's style fetches something from elsewhere (url or @import): remove it"
            )
        elif element in _ANIMATIONS and local == "attributename":
            target = _local(value.strip())
            if target.startswith("on") or target in _REFERENCE_ATTRIBUTES:
                self._problem(
                    f'the image animates "{value}", which could run code: remove the animation'
                )

    def endElement(self, name: str) -> None:
        if _local(name) == "style":
            self._in_style -= 1

    def characters(self, content: str) -> None:
        if self._in_style and _CSS_REFERENCE.search(content):
            self._problem(
                "the image's <style> fetches something from elsewhere (url or @import): remove it",
                self._line(),
            )


def svg_problems(path: Path) -> list[Problem]:
    """Why this SVG image is not safe to show (an empty list when it is)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return [Problem(path, None, f"cannot be read: {error.strerror or error}")]
    checker = _SvgChecker(path)
    try:
        parseString(data, checker)
    except DefusedXmlException:
        return [
            Problem(
                path,
                1,
                "the image declares entities, which are not allowed: save it as plain SVG",
            )
        ]
    except xml.sax.SAXParseException as error:
        return [
            Problem(
                path,
                error.getLineNumber(),
                f"the image is not valid SVG ({error.getMessage()}): save it again from the "
                "drawing program",
            )
        ]
    return checker.problems
