"""Helpers for catalogue tests: a copy of the fixture course that a test can break."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from leaders.catalogue import Catalogue, Problem, check, load_catalogue

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "content"
COURSE = "sample-course"
WELCOME = "sample-course/01-first-steps/01-welcome.md"
WORKING = "sample-course/01-first-steps/02-working-together.md"
MAPPING = "sample-course/02-going-further/01-mapping-your-place.md"
NEXT = "sample-course/02-going-further/02-next-steps.md"


def lesson_md(body: str, front: str = "title: A lesson\nminutes: 10") -> str:
    """A lesson file. With the default two-line front matter the body starts on line 6."""
    return f"---\n{front}\n---\n\n{textwrap.dedent(body).strip()}\n"


class Tree:
    """A content folder in tmp_path, with short ways to change it and check it."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, relative: str) -> Path:
        return self.root / relative

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def read(self, relative: str) -> str:
        return (self.root / relative).read_text(encoding="utf-8")

    def replace(self, relative: str, old: str, new: str) -> None:
        text = self.read(relative)
        assert old in text, f"{old!r} not in {relative}"
        self.write(relative, text.replace(old, new, 1))

    def lesson(self, body: str, relative: str = "sample-course/01-first-steps/03-extra.md") -> Path:
        return self.write(relative, lesson_md(body))

    def problems(self) -> list[tuple[str, int | None, str]]:
        """Every problem as (path relative to the content folder, line, message)."""
        return [_relative(problem, self.root) for problem in check(self.root)]

    def load(self, cache: Path | None = None) -> Catalogue:
        return load_catalogue(self.root, cache)


def _relative(problem: Problem, root: Path) -> tuple[str, int | None, str]:
    return (problem.path.relative_to(root.absolute()).as_posix(), problem.line, problem.message)


@pytest.fixture
def tree(tmp_path: Path) -> Tree:
    """A fresh copy of the valid fixture content."""
    shutil.copytree(FIXTURE, tmp_path / "content")
    return Tree(tmp_path / "content")


@pytest.fixture(scope="session")
def sample() -> Catalogue:
    """The fixture content, loaded once."""
    return load_catalogue(FIXTURE)
