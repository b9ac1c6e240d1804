"""Loading the fixture course: keys, look-ups, ordering, aliases and versions."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

import pytest

from leaders.catalogue import (
    Catalogue,
    HtmlSegment,
    QuizSegment,
    ReflectionSegment,
    check,
    lesson_url,
)
from leaders.catalogue.parse import fingerprint

from .conftest import FIXTURE, WELCOME, WORKING, Tree


def test_the_fixture_content_is_valid() -> None:
    assert check(FIXTURE) == []


def test_keys_come_from_names_without_numbers(sample: Catalogue) -> None:
    assert list(sample.courses) == ["sample-course"]
    course = sample.course("sample-course")
    assert course is not None
    assert [m.key for m in course.modules] == [
        "sample-course/first-steps",
        "sample-course/going-further",
    ]
    assert [lesson.key for lesson in sample.lessons_in("sample-course")] == [
        "sample-course/first-steps/welcome",
        "sample-course/first-steps/working-together",
        "sample-course/going-further/mapping-your-place",
        "sample-course/going-further/next-steps",
    ]


def test_front_matter_becomes_fields(sample: Catalogue) -> None:
    course = sample.course("sample-course")
    assert course is not None
    assert course.title == "Sample course"
    assert course.outcomes[1] == "Map the public bodies that serve your area"
    assert course.body_html.startswith('<p class="govuk-body">This course is a small')
    module = sample.module("sample-course/first-steps")
    assert module is not None
    assert (module.title, module.slug, module.position) == ("First steps", "first-steps", 1)
    assert module.minutes == 25
    assert course.minutes == 50
    lesson = sample.lesson("sample-course/first-steps/welcome")
    assert lesson is not None
    assert lesson.title == "Welcome to the programme"
    assert lesson.minutes == 10
    assert lesson.summary == "What the programme covers and how to get the most from it."
    assert lesson.module_key == "sample-course/first-steps"
    assert lesson.slug == "welcome"
    assert lesson.position == 1
    assert lesson.source_path == FIXTURE.absolute() / WELCOME
    assert lesson.url == "/courses/sample-course/first-steps/welcome"
    next_steps = sample.lesson("sample-course/going-further/next-steps")
    assert next_steps is not None
    assert next_steps.summary == ""


def test_objects_are_immutable(sample: Catalogue) -> None:
    lesson = sample.lesson("sample-course/first-steps/welcome")
    assert lesson is not None
    with pytest.raises(dataclasses.FrozenInstanceError):
        lesson.title = "Changed"  # type: ignore[misc]  # the assignment a frozen dataclass refuses
    assert isinstance(lesson.segments, tuple)
    with pytest.raises(TypeError):
        sample.courses["other"] = sample.courses["sample-course"]  # type: ignore[index]  # a read-only mapping refuses it


def test_unknown_keys_give_none(sample: Catalogue) -> None:
    assert sample.course("nope") is None
    assert sample.module("sample-course/nope") is None
    assert sample.lesson("sample-course/first-steps/nope") is None
    assert sample.canonical_key("nope") is None
    assert sample.quiz("sample-course/first-steps/welcome#nope") is None
    assert sample.prompt("nope#nope") is None
    assert sample.lessons_in("nope") == ()
    assert sample.next_lesson("nope") is None


def test_next_and_previous_cross_module_boundaries(sample: Catalogue) -> None:
    def key(lesson: object) -> str | None:
        return getattr(lesson, "key", None)

    assert key(sample.previous_lesson("sample-course/first-steps/welcome")) is None
    assert key(sample.next_lesson("sample-course/first-steps/welcome")) == (
        "sample-course/first-steps/working-together"
    )
    assert key(sample.next_lesson("sample-course/first-steps/working-together")) == (
        "sample-course/going-further/mapping-your-place"
    )
    assert key(sample.previous_lesson("sample-course/going-further/mapping-your-place")) == (
        "sample-course/first-steps/working-together"
    )
    assert key(sample.next_lesson("sample-course/going-further/next-steps")) is None


def test_an_alias_resolves_to_the_current_lesson(sample: Catalogue) -> None:
    lesson = sample.lesson("sample-course/first-steps/partnerships")
    assert lesson is not None
    assert lesson.key == "sample-course/first-steps/working-together"
    assert lesson.aliases == ("sample-course/first-steps/partnerships",)
    assert sample.canonical_key("sample-course/first-steps/partnerships") == lesson.key
    assert sample.canonical_key(lesson.key) == lesson.key
    assert sample.next_lesson("sample-course/first-steps/partnerships") == sample.lesson(
        "sample-course/going-further/mapping-your-place"
    )


def test_quizzes_and_prompts_are_looked_up_by_key(sample: Catalogue) -> None:
    quiz = sample.quiz("sample-course/first-steps/working-together#working-together-check")
    assert quiz is not None
    assert quiz.pass_mark == 50
    assert quiz.title == "Check your understanding"
    assert len(quiz.version) == 12
    # The lesson's old key still finds it, so attempts stored before a rename keep working.
    assert sample.quiz("sample-course/first-steps/partnerships#working-together-check") is quiz
    practice = sample.quiz("sample-course/going-further/mapping-your-place#mapping-check")
    assert practice is not None
    assert practice.pass_mark is None
    prompt = sample.prompt("sample-course/going-further/mapping-your-place#who-is-missing")
    assert prompt is not None
    assert prompt.text == "Which public body is missing from your conversations, and why?"


def test_lesson_segments_interleave_html_and_forms(sample: Catalogue) -> None:
    lesson = sample.lesson("sample-course/going-further/mapping-your-place")
    assert lesson is not None
    kinds = [type(segment) for segment in lesson.segments]
    assert kinds == [HtmlSegment, ReflectionSegment, QuizSegment]
    reflection = lesson.segments[1]
    assert isinstance(reflection, ReflectionSegment)
    assert reflection.reflection.title == "Reflect on your map"
    assert [p.key for p in reflection.reflection.prompts] == [
        "sample-course/going-further/mapping-your-place#who-is-missing",
        "sample-course/going-further/mapping-your-place#first-conversation",
    ]
    assert lesson.prompts == reflection.reflection.prompts
    assert [q.id for q in lesson.quizzes] == ["mapping-check"]


def test_quiz_questions(sample: Catalogue) -> None:
    quiz = sample.quiz("sample-course/first-steps/working-together#working-together-check")
    assert quiz is not None
    first, second = quiz.questions
    assert first.index == 1
    assert first.text_html == "What is an <em>anchor institution</em>?"
    assert first.multiple is False
    assert [option.correct for option in first.options] == [True, False]
    assert first.options[0].feedback_html == (
        "Right. Hospitals, councils and universities are typical anchors."
    )
    # Two correct options make a question multiple-choice even without "multiple: true".
    assert second.multiple is True
    assert second.correct_indexes == frozenset({0, 1})


def test_word_count_counts_the_prose_only(sample: Catalogue) -> None:
    lesson = sample.lesson("sample-course/going-further/next-steps")
    assert lesson is not None
    assert lesson.word_count == 20
    working = sample.lesson("sample-course/first-steps/working-together")
    assert working is not None
    # The quiz's questions, options and feedback are not prose.
    assert working.word_count == 84


def test_module_files_are_found_only_when_they_are_images_in_the_module(sample: Catalogue) -> None:
    found = sample.module_file("sample-course", "first-steps", "partners.png")
    assert found == FIXTURE.absolute() / "sample-course/01-first-steps/partners.png"
    assert sample.module_file("sample-course", "first-steps", "module.md") is None
    assert sample.module_file("sample-course", "first-steps", "01-welcome.md") is None
    assert sample.module_file("sample-course", "first-steps", "../course.md") is None
    assert sample.module_file("sample-course", "going-further", "partners.png") is None
    assert sample.module_file("nope", "first-steps", "partners.png") is None


def test_lesson_url() -> None:
    assert lesson_url("a/b/c") == "/courses/a/b/c"
    assert lesson_url("a/b/c", "part-2") == "/courses/a/b/c#part-2"


def test_reordering_keeps_keys(tree: Tree) -> None:
    before = tree.load()
    folder = tree.path("sample-course/01-first-steps")
    (folder / "01-welcome.md").rename(folder / "05-welcome.md")
    tree.path("sample-course/01-first-steps").rename(tree.path("sample-course/03-first-steps"))
    after = tree.load()
    assert set(after.lessons) == set(before.lessons)
    course, module = after.course("sample-course"), after.module("sample-course/first-steps")
    assert course is not None
    assert module is not None
    assert [m.slug for m in course.modules] == [
        "going-further",
        "first-steps",
    ]
    assert [lesson.slug for lesson in module.lessons] == [
        "working-together",
        "welcome",
    ]
    welcome = after.lesson("sample-course/first-steps/welcome")
    assert welcome is not None
    assert welcome.version == before.lessons["sample-course/first-steps/welcome"].version


def test_a_renamed_lesson_keeps_progress_through_its_alias(tree: Tree) -> None:
    old_key = "sample-course/first-steps/welcome"
    tree.path(WELCOME).rename(tree.path("sample-course/01-first-steps/01-introduction.md"))
    tree.replace(
        "sample-course/01-first-steps/01-introduction.md",
        "minutes: 10\n",
        "minutes: 10\naliases:\n  - welcome\n",
    )
    # The other lesson that linked to the old name still works: the link follows the alias.
    catalogue = tree.load()
    lesson = catalogue.lesson(old_key)
    assert lesson is not None
    assert lesson.key == "sample-course/first-steps/introduction"
    assert catalogue.canonical_key(old_key) == "sample-course/first-steps/introduction"
    next_steps = catalogue.lesson("sample-course/going-further/next-steps")
    assert next_steps is not None
    segment = next_steps.segments[0]
    assert isinstance(segment, HtmlSegment)
    html = segment.html
    assert 'href="/courses/sample-course/first-steps/introduction#why-place-matters"' in html


def test_aliases_may_be_full_keys_from_another_module(tree: Tree) -> None:
    tree.replace(
        WORKING, "  - partnerships\n", "  - partnerships\n  - sample-course/old/teamwork\n"
    )
    catalogue = tree.load()
    lesson = catalogue.lesson("sample-course/old/teamwork")
    assert lesson is not None
    assert lesson.key == "sample-course/first-steps/working-together"


def test_version_ignores_line_end_spaces_and_line_endings(tree: Tree) -> None:
    before = tree.load().lessons["sample-course/first-steps/welcome"].version
    text = tree.read(WELCOME)
    tree.path(WELCOME).write_bytes(text.replace("\n", "   \r\n").encode() + b"\r\n\r\n")
    assert tree.load().lessons["sample-course/first-steps/welcome"].version == before
    tree.replace(WELCOME, "Welcome.", "Hello.")
    assert tree.load().lessons["sample-course/first-steps/welcome"].version != before


def test_fingerprint_is_12_hex_characters_of_sha256_of_the_normalised_text() -> None:
    assert fingerprint("a  \r\nb\t\n\n\n") == hashlib.sha256(b"a\nb").hexdigest()[:12]


def test_an_empty_content_folder_is_valid(tmp_path: Path) -> None:
    catalogue = Tree(tmp_path).load()
    assert dict(catalogue.courses) == {}
