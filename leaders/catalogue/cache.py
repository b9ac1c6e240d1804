"""The disk cache of rendered documents: one small JSON file per lesson, module or course page.

An entry is used only if it was rendered from the same source version, by the same renderer, and
its lesson links still resolve to the same URLs (a hash of them is stored). Files are written
atomically (temporary file + ``os.replace``), so concurrent workers never read half a file; a file
that cannot be read is ignored and rewritten.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from .document import RenderedDocument, Resolver, links_hash, renderer_key, resolve_link
from .model import (
    HtmlSegment,
    Option,
    Prompt,
    Question,
    Quiz,
    QuizSegment,
    Reflection,
    ReflectionSegment,
    Segment,
)

#: Bump when the layout of a cache file changes.
FORMAT = 1


class DiskCache:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._ready = False

    def _file(self, kind: str, key: str) -> Path:
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]
        return self.directory / f"{kind}-{digest}.json"

    def get(
        self,
        kind: str,
        key: str,
        version: str,
        course_key: str,
        resolve: Resolver,
        images: frozenset[str] | set[str] | dict[str, Path],
    ) -> RenderedDocument | None:
        """The cached document, if it is still what rendering the source now would give."""
        try:
            with self._file(kind, key).open("rb") as file:
                entry = json.loads(file.read())
            if (
                entry["format"] != FORMAT
                or entry["renderer"] != renderer_key()
                or entry["key"] != key
                or entry["version"] != version
            ):
                return None
            links = [(raw, url) for raw, url in entry["links"]]
            current = [(raw, resolve_link(raw, course_key, resolve)) for raw, _ in links]
            resolved = [(raw, url) for raw, url in current if url is not None]
            if len(resolved) != len(current):
                return None
            if links_hash(resolved) != entry["links_hash"]:
                return None
            if any(name not in images for name in entry["images"]):
                return None
            return _document(entry, key)
        except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
            return None

    def put(self, kind: str, key: str, version: str, document: RenderedDocument) -> None:
        """Store a document; failure to write only costs a re-render next time."""
        entry = {
            "format": FORMAT,
            "renderer": renderer_key(),
            "key": key,
            "version": version,
            "links": [list(link) for link in document.links],
            "links_hash": links_hash(document.links),
            "images": list(document.images),
            "toc": [list(item) for item in document.toc],
            "word_count": document.word_count,
            "segments": [_dump_segment(segment) for segment in document.segments],
        }
        data = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        target = self._file(kind, key)
        temporary = None
        try:
            if not self._ready:
                self.directory.mkdir(parents=True, exist_ok=True)
                self._ready = True
            fd, temporary = tempfile.mkstemp(dir=self.directory, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "wb") as file:
                file.write(data)
            os.replace(temporary, target)
            temporary = None
        except OSError:
            pass
        finally:
            if temporary is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)


def _dump_segment(segment: Segment) -> list[Any]:
    if isinstance(segment, HtmlSegment):
        return ["html", segment.html]
    if isinstance(segment, QuizSegment):
        quiz = segment.quiz
        questions = [
            [
                q.text_html,
                q.multiple,
                [[o.text_html, o.correct, o.feedback_html] for o in q.options],
            ]
            for q in quiz.questions
        ]
        return ["quiz", quiz.id, quiz.title, quiz.pass_mark, quiz.version, questions]
    reflection = segment.reflection
    return ["reflection", reflection.title, [[p.id, p.text] for p in reflection.prompts]]


def _document(entry: dict[str, Any], key: str) -> RenderedDocument:
    segments: list[Segment] = []
    for item in entry["segments"]:
        kind = item[0]
        if kind == "html":
            segments.append(HtmlSegment(item[1]))
        elif kind == "quiz":
            _, quiz_id, title, pass_mark, version, questions = item
            segments.append(
                QuizSegment(
                    Quiz(
                        quiz_id,
                        f"{key}#{quiz_id}",
                        title,
                        pass_mark,
                        tuple(
                            Question(
                                index,
                                text,
                                multiple,
                                tuple(Option(o[0], o[1], o[2]) for o in options),
                            )
                            for index, (text, multiple, options) in enumerate(questions, start=1)
                        ),
                        version,
                    )
                )
            )
        elif kind == "reflection":
            prompts = tuple(Prompt(pid, f"{key}#{pid}", text) for pid, text in item[2])
            segments.append(ReflectionSegment(Reflection(item[1], prompts)))
        else:
            raise ValueError(kind)
    return RenderedDocument(
        tuple(segments),
        tuple((anchor, text) for anchor, text in entry["toc"]),
        int(entry["word_count"]),
        tuple((raw, url) for raw, url in entry["links"]),
        tuple(entry["images"]),
    )
