"""The course content shipped in content/ must be valid: the app refuses to start otherwise."""

from __future__ import annotations

from pathlib import Path

from leaders.catalogue import check

CONTENT = Path(__file__).resolve().parents[2] / "content"


def test_shipped_content_is_valid() -> None:
    problems = check(CONTENT)
    assert problems == [], "\n".join(problem.format() for problem in problems)
