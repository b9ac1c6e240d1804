"""Content that must not escape its folder or run in a browser, and YAML that must not hang."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from leaders.catalogue import yamlnodes
from leaders.catalogue.keys import MANIFEST

from .conftest import NEXT, WELCOME, WORKING, Tree, lesson_md

MODULE = "sample-course/01-first-steps"
LINK_OUT = "symbolic link to outside the content folder: replace it with the file itself"


# Symbolic links --------------------------------------------------------------------------------


def test_link_to_a_file_outside_the_folder_is_refused(tree: Tree, tmp_path: Path) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG not yours")
    os.symlink(secret, tree.path(f"{MODULE}/secret.png"))
    assert tree.problems() == [(f"{MODULE}/secret.png", None, LINK_OUT)]


def test_link_to_a_folder_outside_is_refused(tree: Tree) -> None:
    os.symlink("/etc", tree.path(f"{MODULE}/etc"))
    os.symlink("/etc", tree.path("sample-course/03-system"))
    assert tree.problems() == [
        (f"{MODULE}/etc", None, LINK_OUT),
        ("sample-course/03-system", None, LINK_OUT),
    ]


def test_link_out_that_climbs_with_dots_is_refused(tree: Tree) -> None:
    os.symlink("../../../../../../../../etc/hostname", tree.path(f"{MODULE}/host.png"))
    assert tree.problems() == [(f"{MODULE}/host.png", None, LINK_OUT)]


def test_link_inside_the_folder_is_allowed(tree: Tree) -> None:
    os.symlink("partners.png", tree.path(f"{MODULE}/partners-again.png"))
    os.symlink("../01-first-steps/partners.png", tree.path("sample-course/02-going-further/p.png"))
    assert tree.problems() == []
    catalogue = tree.load()
    served = catalogue.module_file("sample-course", "first-steps", "partners-again.png")
    assert served == tree.path(f"{MODULE}/partners.png").resolve()


def test_module_file_refuses_a_link_out_made_after_the_check(tree: Tree, tmp_path: Path) -> None:
    catalogue = tree.load()
    assert catalogue.module_file("sample-course", "first-steps", "partners.png") is not None
    image = tree.path(f"{MODULE}/partners.png")
    image.unlink()
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"secret")
    os.symlink(secret, image)
    assert catalogue.module_file("sample-course", "first-steps", "partners.png") is None


# SVG -------------------------------------------------------------------------------------------

SAFE_SVG = """\
<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">
  <style>.a { fill: #1d70b8; }</style>
  <defs><linearGradient id="g"><stop offset="0"/></linearGradient></defs>
  <rect class="a" width="10" height="10" style="fill: url(#g)"/>
  <use xlink:href="#g"/>
</svg>
"""


def svg_problems(tree: Tree, svg: str) -> list[tuple[str, int | None, str]]:
    tree.write(f"{MODULE}/diagram.svg", textwrap.dedent(svg))
    return tree.problems()


def test_plain_svg_is_allowed(tree: Tree) -> None:
    assert svg_problems(tree, SAFE_SVG) == []


def test_svg_with_script_is_refused_at_its_line(tree: Tree) -> None:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg">\n  <rect/>\n  <script>alert(1)</script>\n</svg>\n'
    )
    assert svg_problems(tree, svg) == [
        (
            f"{MODULE}/diagram.svg",
            3,
            "the image contains <script>, which can run code or show another page: remove it",
        )
    ]


@pytest.mark.parametrize(
    ("body", "start"),
    [
        ('<rect onload="alert(1)"/>', "the image has an event handler (onload"),
        ("<foreignObject><div/></foreignObject>", "the image contains <foreignObject>"),
        ('<svg:script xmlns:svg="http://www.w3.org/2000/svg"/>', "the image contains <svg:script>"),
        (
            '<image href="https://example.org/track.png"/>',
            'the image links to "https://example.org',
        ),
        ('<a xlink:href="javascript:alert(1)"><rect/></a>', 'the image links to "javascript:'),
        ('<rect style="fill: url(https://example.org/x)"/>', "the image's style fetches"),
        ("<style>@import url(//example.org/x.css);</style>", "the image's <style> fetches"),
        ('<set attributeName="href" to="javascript:alert(1)"/>', 'the image animates "href"'),
    ],
)
def test_active_or_external_svg_is_refused(tree: Tree, body: str, start: str) -> None:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">\n'
        f"{body}\n</svg>\n"
    )
    problems = svg_problems(tree, svg)
    assert len(problems) == 1, problems
    path, line, message = problems[0]
    assert (path, line) == (f"{MODULE}/diagram.svg", 2)
    assert message.startswith(start)


def test_svg_with_entities_is_refused(tree: Tree) -> None:
    svg = '<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY a "aaaaaaaa">]>\n<svg>&a;</svg>\n'
    assert svg_problems(tree, svg) == [
        (
            f"{MODULE}/diagram.svg",
            1,
            "the image declares entities, which are not allowed: save it as plain SVG",
        )
    ]


def test_broken_svg_is_refused_at_its_line(tree: Tree) -> None:
    problems = svg_problems(tree, "<svg>\n<rect>\n</svg>\n")
    assert [(path, line) for path, line, _ in problems] == [(f"{MODULE}/diagram.svg", 3)]
    assert problems[0][2].startswith("the image is not valid SVG (mismatched tag)")


# YAML ------------------------------------------------------------------------------------------

LAUGHS = "\n".join(
    ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 12)]
)


def test_billion_laughs_fails_fast_with_a_clear_error(tree: Tree) -> None:
    tree.write(NEXT, lesson_md("Prose.", front=f"title: Laughs\nminutes: 5\n{LAUGHS}"))
    started = time.monotonic()
    problems = tree.problems()
    assert time.monotonic() - started < 2
    assert problems == [
        (
            NEXT,
            4,
            "the front matter is not valid YAML: anchors and aliases (& and *) are not allowed: "
            "write each value out in full, and put text that starts with & or * in quotes",
        )
    ]


def test_billion_laughs_in_a_quiz_does_not_hang_the_check(tree: Tree) -> None:
    """In a separate process with a time limit, so a regression fails rather than hangs."""
    quiz = "/// quiz\nid: laughs\n" + LAUGHS + "\nquestions: *a11\n///"
    tree.write(NEXT, lesson_md(f"Prose.\n\n{quiz}"))
    script = (
        "import sys; from leaders.catalogue import check\n"
        "print('\\n'.join(p.format() for p in check(sys.argv[1])))"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", script, str(tree.root)],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=Path(__file__).resolve().parents[2],
        check=True,
    )
    assert "02-next-steps.md:10: quiz settings are not valid YAML: anchors and aliases" in (
        result.stdout
    )


def test_an_alias_of_itself_is_refused() -> None:
    with pytest.raises(yamlnodes.YamlProblem) as raised:
        yamlnodes.load("a: &x [*x]", first_line=2)
    assert raised.value.line == 2


def test_ampersands_and_asterisks_in_text_are_fine() -> None:
    root, _ = yamlnodes.load('title: Health & care *now*\nsummary: "&x and *y"', first_line=2)
    assert yamlnodes.plain(root) == {"title": "Health & care *now*", "summary": "&x and *y"}


def test_unclosed_quote_is_reported_where_it_opens(tree: Tree) -> None:
    tree.replace(NEXT, "title: Next steps", 'title: "Next steps')
    assert tree.problems() == [
        (
            NEXT,
            2,
            "the front matter is not valid YAML: a quote is not closed: end the text with the "
            "same quote mark it starts with",
        )
    ]


def test_unclosed_bracket_in_a_quiz_is_reported_where_it_opens(tree: Tree) -> None:
    quiz = "/// quiz\nid: q\npass_mark: [50, 60\nquestions: x\n///"
    tree.write(NEXT, lesson_md(f"Prose.\n\n{quiz}"))
    problems = tree.problems()
    assert problems[0] == (
        NEXT,
        10,
        "quiz settings are not valid YAML: a bracket is not closed: end the list with ], or put "
        "the text in quotes",
    )


def test_impossible_date_is_text_not_a_crash(tree: Tree) -> None:
    root, _ = yamlnodes.load("a: 2025-13-01", first_line=2)
    assert yamlnodes.plain(root) == {"a": "2025-13-01"}


# Control characters ----------------------------------------------------------------------------


def test_nul_byte_is_refused_at_its_line(tree: Tree) -> None:
    tree.write(NEXT, lesson_md("First line.\n\nSecond\x00 line."))
    assert tree.problems() == [
        (
            NEXT,
            8,
            "the line contains a control character U+0000 (NUL), which is not allowed: delete it "
            "(it is often left by copying from another program)",
        )
    ]


def test_nul_byte_in_front_matter_is_refused_at_its_line(tree: Tree) -> None:
    tree.replace(WELCOME, "minutes: 10", "minutes: 1\x000")
    assert [(p, line) for p, line, _ in tree.problems()] == [(WELCOME, 3)]


def test_other_control_characters_are_refused(tree: Tree) -> None:
    tree.replace(WORKING, "title:", "title: \x1b[31m")
    tree.replace(NEXT, "title:", "title: \x7f")
    problems = tree.problems()
    assert [(p, line) for p, line, _ in problems] == [(WORKING, 2), (NEXT, 2)]
    assert "U+001B" in problems[0][2]
    assert "U+007F" in problems[1][2]


def test_tabs_and_line_ends_are_not_control_characters(tree: Tree) -> None:
    tree.write(NEXT, lesson_md("A line.\r\n\r\nCode:\n\n\tindented\n"))
    assert tree.problems() == []


def test_control_character_in_the_manifest_is_refused(tree: Tree) -> None:
    tree.write(MANIFEST, "sample-course/first-steps/welcome\x00\n")
    problems = tree.problems()
    assert (MANIFEST, 1) in [(p, line) for p, line, _ in problems]
