"""The catalogue in a Flask app (init_app, get_catalogue, auto-reload) and the content commands."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from leaders.catalogue import ContentError
from leaders.catalogue import store as store_module
from leaders.catalogue.cli import content_cli
from leaders.catalogue.store import CatalogueStore, get_catalogue, init_app

from .conftest import FIXTURE, NEXT, Tree


def make_app(content: Path, **config: Any) -> Flask:
    app = Flask(__name__)
    app.config.update(CONTENT_DIR=str(content), **config)
    app.cli.add_command(content_cli)
    return app


def run_cli(args: list[str], content: Path):
    """Run `flask content …` as Flask runs a plugin command: no app, CONTENT_DIR from the environment."""
    from click.testing import CliRunner

    return CliRunner().invoke(content_cli, args, env={"CONTENT_DIR": str(content)})


def touch_later(path: Path) -> None:
    """Make sure a file's modification time changes even on coarse-grained file systems."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


def test_init_app_loads_the_catalogue(tmp_path: Path) -> None:
    app = make_app(FIXTURE, CONTENT_CACHE_DIR=str(tmp_path / "cache"))
    store = init_app(app)
    assert app.extensions["catalogue"] is store
    with app.app_context():
        catalogue = get_catalogue()
    assert "sample-course/first-steps/welcome" in catalogue.lessons
    assert len(list((tmp_path / "cache").glob("*.json"))) == 7


def test_invalid_content_stops_the_app_with_every_problem(tree: Tree) -> None:
    tree.replace(NEXT, "minutes: 5", "minutes: lots")
    tree.path("sample-course/02-going-further/module.md").unlink()
    app = make_app(tree.root)
    with pytest.raises(ContentError) as caught:
        init_app(app)
    assert len(caught.value.problems) == 2
    assert "minutes must be a whole number from 1 to 120" in str(caught.value)
    assert "the module folder has no module.md" in str(caught.value)


def test_loading_can_wait_until_first_use(tree: Tree) -> None:
    tree.replace(NEXT, "minutes: 5", "minutes: lots")
    app = make_app(tree.root, CONTENT_LOAD_ON_START=False)
    init_app(app)  # does not raise: the content commands must work on broken content
    with app.app_context(), pytest.raises(ContentError):
        get_catalogue()


def test_without_auto_reload_edits_are_not_seen(tree: Tree) -> None:
    app = make_app(tree.root)
    init_app(app)
    with app.app_context():
        first = get_catalogue()
        tree.replace(NEXT, "title: Next steps", "title: Changed")
        assert get_catalogue() is first


@pytest.fixture
def reloading(tree: Tree, monkeypatch: pytest.MonkeyPatch) -> Flask:
    monkeypatch.setattr(store_module, "RELOAD_INTERVAL", 0.0)
    app = make_app(tree.root, CONTENT_AUTO_RELOAD=True)
    init_app(app)
    return app


def test_auto_reload_sees_edited_added_and_removed_files(reloading: Flask, tree: Tree) -> None:
    with reloading.app_context():
        first = get_catalogue()
        assert get_catalogue() is first, "nothing changed, so no reload"
        tree.replace(NEXT, "title: Next steps", "title: What next")
        touch_later(tree.path(NEXT))
        edited = get_catalogue()
        assert edited.lessons["sample-course/going-further/next-steps"].title == "What next"
        tree.write(
            "sample-course/02-going-further/03-more.md",
            "---\ntitle: More\nminutes: 5\n---\n\nMore.\n",
        )
        assert "sample-course/going-further/more" in get_catalogue().lessons
        tree.path("sample-course/02-going-further/03-more.md").unlink()
        assert "sample-course/going-further/more" not in get_catalogue().lessons


def test_auto_reload_keeps_the_last_good_catalogue_when_content_breaks(
    reloading: Flask, tree: Tree, caplog: pytest.LogCaptureFixture
) -> None:
    with reloading.app_context():
        good = get_catalogue()
        tree.replace(NEXT, "minutes: 5", "minutes: lots")
        touch_later(tree.path(NEXT))
        with caplog.at_level(logging.ERROR):
            assert get_catalogue() is good
        assert "minutes must be a whole number from 1 to 120" in caplog.text
        assert get_catalogue() is good, "the same broken files are not reloaded again"
        tree.replace(NEXT, "minutes: lots", "minutes: 6")
        touch_later(tree.path(NEXT))
        assert get_catalogue().lessons["sample-course/going-further/next-steps"].minutes == 6


def test_auto_reload_checks_at_most_once_a_second(tree: Tree) -> None:
    store = CatalogueStore(tree.root, auto_reload=True)
    first = store.load()
    tree.replace(NEXT, "title: Next steps", "title: Soon")
    touch_later(tree.path(NEXT))
    assert store.get() is first
    store._checked_at = time.monotonic() - 1.5
    assert store.get() is not first


# Commands --------------------------------------------------------------------------------------


def test_check_valid_content(tree: Tree, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tree.root.parent)
    result = run_cli(["check"], tree.root)
    assert result.exit_code == 0
    # Warnings (no published keys, no review dates) are listed but do not fail the check.
    *warnings, last = result.output.splitlines()
    assert last == "Content in content is valid (5 warnings): 1 course, 2 modules, 4 lessons."
    assert [line.split(": ", 2)[1] for line in warnings] == ["warning"] * 5


def test_check_lists_every_problem_and_fails(tree: Tree, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tree.root.parent)
    tree.replace(NEXT, "minutes: 5", "minutes: lots")
    tree.path("sample-course/02-going-further/module.md").unlink()
    result = run_cli(["check", "content"], FIXTURE)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "content/published-keys.txt: warning: there is no published-keys.txt, so renamed "
        "lessons cannot be checked: run `flask --app leaders content keys` to create it",
        "content/sample-course/02-going-further: the module folder has no module.md: add one "
        "with a title, summary and outcomes",
        "content/sample-course/02-going-further/02-next-steps.md:3: minutes must be a whole "
        'number from 1 to 120, not "lots"',
        "Found 2 problems in content.",
    ]


def test_check_works_even_when_the_apps_own_content_is_broken(
    tree: Tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree.replace(NEXT, "minutes: 5", "minutes: lots")
    app = make_app(tree.root, CONTENT_LOAD_ON_START=False)
    init_app(app)
    result = app.test_cli_runner().invoke(args=["content", "check", str(FIXTURE)])
    assert result.exit_code == 0
    assert result.output.endswith("is valid (5 warnings): 1 course, 2 modules, 4 lessons.\n")


def test_list_shows_the_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    result = run_cli(["list"], FIXTURE)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "sample-course  Sample course  (4 lessons, 315 words, 50 min)"
    assert lines[1] == "  sample-course/first-steps  First steps  (2 lessons, 243 words, 25 min)"
    assert lines[2].startswith("    sample-course/first-steps/welcome")
    assert "     159 words   10 min  Welcome to the programme" in lines[2]
    assert lines[3].endswith(
        "Working together  [1 quiz; aliases: sample-course/first-steps/partnerships]"
    )
    assert lines[-1] == "Total: 1 course, 2 modules, 4 lessons, 315 words, 50 min."


def test_list_fails_on_invalid_content(tree: Tree) -> None:
    tree.replace(NEXT, "minutes: 5", "minutes: lots")
    result = run_cli(["list", str(tree.root)], FIXTURE)
    assert result.exit_code == 1
    assert result.output.splitlines()[-1].startswith("Found 1 problem in ")
