"""The disk cache: warm loads render nothing, and anything that would change the HTML re-renders."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from leaders.catalogue import ContentError, HtmlSegment
from leaders.catalogue import cache as cache_module
from leaders.catalogue import render as render_module

from .conftest import NEXT, WELCOME, Tree

DOCUMENTS = 7  # one course page, two module pages and four lessons


def test_a_cold_load_renders_everything_and_fills_the_cache(tree: Tree, tmp_path: Path) -> None:
    catalogue = tree.load(tmp_path / "cache")
    assert (catalogue.stats.rendered, catalogue.stats.cached) == (DOCUMENTS, 0)
    files = sorted((tmp_path / "cache").glob("*.json"))
    assert len(files) == DOCUMENTS
    assert not list((tmp_path / "cache").glob(".tmp-*")), "temporary files are renamed into place"


def test_a_warm_load_renders_nothing(
    tree: Tree, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cold = tree.load(tmp_path / "cache")

    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("a warm load must not render")

    monkeypatch.setattr(render_module.Renderer, "__init__", fail)
    monkeypatch.setattr(render_module.Renderer, "render", fail)
    warm = tree.load(tmp_path / "cache")
    assert (warm.stats.rendered, warm.stats.cached) == (0, DOCUMENTS)
    assert warm == cold
    assert warm.lessons["sample-course/first-steps/welcome"].toc == (
        cold.lessons["sample-course/first-steps/welcome"].toc
    )


def test_a_warm_load_does_not_even_import_markdown(tree: Tree, tmp_path: Path) -> None:
    tree.load(tmp_path / "cache")
    script = (
        "import sys\n"
        "from leaders.catalogue import load_catalogue\n"
        f"catalogue = load_catalogue({str(tree.root)!r}, {str(tmp_path / 'cache')!r})\n"
        "assert catalogue.stats.rendered == 0, catalogue.stats\n"
        "heavy = sorted({'markdown', 'pymdownx', 'nh3'} & set(sys.modules))\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, cwd=Path(__file__).parents[2])  # noqa: S603


def test_only_the_edited_lesson_is_rendered_again(tree: Tree, tmp_path: Path) -> None:
    tree.load(tmp_path / "cache")
    tree.replace(NEXT, "You have finished", "Well done: you have finished")
    catalogue = tree.load(tmp_path / "cache")
    assert (catalogue.stats.rendered, catalogue.stats.cached) == (1, DOCUMENTS - 1)
    lesson = catalogue.lesson("sample-course/going-further/next-steps")
    assert lesson is not None
    assert isinstance(lesson.segments[0], HtmlSegment)
    assert "Well done" in lesson.segments[0].html


def test_a_corrupt_cache_file_is_ignored_and_rewritten(tree: Tree, tmp_path: Path) -> None:
    cold = tree.load(tmp_path / "cache")
    files = sorted((tmp_path / "cache").glob("*.json"))
    files[0].write_bytes(b"\x00not json")
    files[1].write_text(json.dumps({"format": 1}))
    files[2].write_text("[1, 2, 3]")
    catalogue = tree.load(tmp_path / "cache")
    assert (catalogue.stats.rendered, catalogue.stats.cached) == (3, DOCUMENTS - 3)
    assert catalogue == cold
    again = tree.load(tmp_path / "cache")
    assert (again.stats.rendered, again.stats.cached) == (0, DOCUMENTS)


def test_a_moved_link_target_renders_the_linking_lesson_again(tree: Tree, tmp_path: Path) -> None:
    tree.load(tmp_path / "cache")
    # Rename the welcome lesson, keeping its old name as an alias: next-steps links to it.
    tree.path(WELCOME).rename(tree.path("sample-course/01-first-steps/01-hello.md"))
    tree.replace(
        "sample-course/01-first-steps/01-hello.md",
        "minutes: 10",
        "minutes: 10\naliases:\n  - welcome",
    )
    catalogue = tree.load(tmp_path / "cache")
    # The renamed lesson (a new key) and the lesson linking to it, whose source did not change.
    assert catalogue.stats.rendered == 2
    lesson = catalogue.lesson("sample-course/going-further/next-steps")
    assert lesson is not None
    assert isinstance(lesson.segments[0], HtmlSegment)
    assert (
        'href="/courses/sample-course/first-steps/hello#why-place-matters"'
        in lesson.segments[0].html
    )


def test_a_deleted_link_target_is_a_problem_even_when_cached(tree: Tree, tmp_path: Path) -> None:
    tree.load(tmp_path / "cache")
    tree.path(WELCOME).unlink()
    with pytest.raises(ContentError) as caught:
        tree.load(tmp_path / "cache")
    assert [(p.path.name, p.line) for p in caught.value.problems] == [("02-next-steps.md", 7)]


def test_a_deleted_image_is_a_problem_even_when_cached(tree: Tree, tmp_path: Path) -> None:
    tree.load(tmp_path / "cache")
    tree.path("sample-course/01-first-steps/partners.png").unlink()
    with pytest.raises(ContentError) as caught:
        tree.load(tmp_path / "cache")
    assert [(p.path.name, p.line) for p in caught.value.problems] == [
        ("02-working-together.md", 12)
    ]


def test_a_new_renderer_renders_everything_again(
    tree: Tree, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree.load(tmp_path / "cache")
    monkeypatch.setattr(cache_module, "renderer_key", lambda: "2/other-markdown")
    catalogue = tree.load(tmp_path / "cache")
    assert (catalogue.stats.rendered, catalogue.stats.cached) == (DOCUMENTS, 0)


def test_content_with_problems_is_not_cached(tree: Tree, tmp_path: Path) -> None:
    tree.replace(NEXT, "[why place matters]", "![](nothing.png) [why place matters]")
    with pytest.raises(ContentError):
        tree.load(tmp_path / "cache")
    assert len(list((tmp_path / "cache").glob("*.json"))) == DOCUMENTS - 1


def test_an_unwritable_cache_folder_only_costs_rendering(tree: Tree, tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the folder should be")
    catalogue = tree.load(blocker)
    assert catalogue.stats.rendered == DOCUMENTS
