"""Every kind of problem the checker reports: exact message and line, one test per kind."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaders.catalogue import ContentError, Problem, check, load_catalogue

from .conftest import MAPPING, NEXT, WELCOME, WORKING, Tree, lesson_md

EXTRA = "sample-course/01-first-steps/03-extra.md"


def quiz_lesson(quiz: str) -> str:
    """A lesson whose quiz block starts on line 8 (YAML from line 9)."""
    return lesson_md(f"Some prose.\n\n/// quiz\n{quiz.strip()}\n///")


GOOD_QUESTION = """\
  - question: Pick one
    options:
      - text: Right
        correct: true
        feedback: Yes.
      - text: Wrong
        feedback: No."""


# Layout ----------------------------------------------------------------------------------------


def test_missing_course_md(tree: Tree) -> None:
    tree.path("sample-course/course.md").unlink()
    assert tree.problems() == [
        (
            "sample-course",
            None,
            "the course folder has no course.md: add one with a title, summary and outcomes",
        )
    ]


def test_missing_module_md(tree: Tree) -> None:
    tree.path("sample-course/02-going-further/module.md").unlink()
    assert tree.problems() == [
        (
            "sample-course/02-going-further",
            None,
            "the module folder has no module.md: add one with a title, summary and outcomes",
        )
    ]


def test_badly_named_module_folder(tree: Tree) -> None:
    tree.path("sample-course/02-going-further").rename(tree.path("sample-course/2-Going-Further"))
    assert tree.problems() == [
        (
            "sample-course/2-Going-Further",
            None,
            'module folder "2-Going-Further" is not named correctly: start it with a two-digit '
            "number and a hyphen, then use lower-case letters, digits and hyphens only, like "
            "01-your-place-as-a-system",
        )
    ]


def test_badly_named_lesson_file(tree: Tree) -> None:
    tree.path(NEXT).rename(tree.path("sample-course/02-going-further/02_next_steps.md"))
    assert tree.problems() == [
        (
            "sample-course/02-going-further/02_next_steps.md",
            None,
            'lesson file "02_next_steps.md" is not named correctly: start it with a two-digit '
            "number and a hyphen, then use lower-case letters, digits and hyphens only, and end it "
            "with .md, like 01-what-is-a-place-based-system.md",
        )
    ]


def test_badly_named_course_folder(tree: Tree) -> None:
    tree.path("sample-course").rename(tree.path("Sample Course"))
    problems = tree.problems()
    assert problems[0] == (
        "Sample Course",
        None,
        'course folder "Sample Course" is not named correctly: use lower-case letters, digits and '
        "hyphens only, like leading-your-place",
    )


def test_stray_markdown_files(tree: Tree) -> None:
    tree.write("notes.md", "stray")
    tree.write("sample-course/notes.md", "stray")
    tree.write("sample-course/01-first-steps/drafts/01-draft.md", "stray")
    tree.write("README.md", "The authoring guide is allowed.")
    tree.write("sample-course/01-first-steps/drafts/picture.png", "not markdown: ignored")
    assert tree.problems() == [
        (
            "notes.md",
            None,
            "stray Markdown file: the content folder holds course folders only; put lessons in a "
            "module folder, like a-course/01-a-module/01-a-lesson.md",
        ),
        (
            "sample-course/01-first-steps/drafts/01-draft.md",
            None,
            "stray Markdown file: it will not be shown, because lessons must sit directly in the "
            "module folder",
        ),
        (
            "sample-course/notes.md",
            None,
            "stray Markdown file: a course folder holds only course.md and module folders; put "
            "lessons in a module folder, like 01-introduction/01-welcome.md",
        ),
    ]


def test_duplicate_lesson_keys(tree: Tree) -> None:
    tree.write("sample-course/01-first-steps/03-welcome.md", lesson_md("Again."))
    assert tree.problems() == [
        (
            "sample-course/01-first-steps/03-welcome.md",
            None,
            'lesson key "sample-course/first-steps/welcome" is also used by 01-welcome.md: give '
            "the lessons different names after their numbers",
        )
    ]


def test_duplicate_module_keys(tree: Tree) -> None:
    tree.write(
        "sample-course/03-first-steps/module.md",
        tree.read("sample-course/01-first-steps/module.md"),
    )
    tree.write("sample-course/03-first-steps/01-more.md", lesson_md("More."))
    assert tree.problems() == [
        (
            "sample-course/03-first-steps",
            None,
            'module key "sample-course/first-steps" is also used by 01-first-steps: give the '
            "modules different names after their numbers",
        )
    ]


def test_module_with_no_lessons(tree: Tree) -> None:
    tree.write(
        "sample-course/03-empty/module.md", tree.read("sample-course/01-first-steps/module.md")
    )
    assert tree.problems() == [
        (
            "sample-course/03-empty",
            None,
            "the module has no lessons: add a lesson file, like 01-introduction.md",
        )
    ]


def test_course_with_no_modules(tree: Tree) -> None:
    tree.write("other-course/course.md", tree.read("sample-course/course.md"))
    assert tree.problems() == [
        (
            "other-course",
            None,
            "the course has no modules: add a module folder, like 01-introduction, with a "
            "module.md and at least one lesson",
        )
    ]


def test_missing_content_folder(tmp_path: Path) -> None:
    problems = check(tmp_path / "nowhere")
    assert [(p.line, p.message) for p in problems] == [
        (None, "the content folder does not exist: check the folder name")
    ]


def test_file_that_is_not_utf8(tree: Tree) -> None:
    tree.path(NEXT).write_bytes(b"---\ntitle: Next\nminutes: 5\n---\n\nCaf\xe9 society.\n")
    assert tree.problems() == [
        (
            "sample-course/02-going-further/02-next-steps.md",
            6,
            "is not UTF-8 text: save the file with UTF-8 encoding",
        )
    ]


# Front matter ----------------------------------------------------------------------------------


def test_no_front_matter(tree: Tree) -> None:
    tree.write(NEXT, "# Next steps\n\nSome text.\n")
    assert tree.problems() == [
        (
            NEXT,
            1,
            "the file does not start with front matter: put its settings between two lines of "
            "three dashes (---) at the very top",
        )
    ]


def test_front_matter_not_closed(tree: Tree) -> None:
    tree.write(NEXT, "---\ntitle: Next steps\nminutes: 5\n\nSome text.\n")
    assert tree.problems() == [
        (NEXT, 1, "the front matter is not closed: add a line of three dashes (---) after it")
    ]


def test_front_matter_yaml_error_has_its_line(tree: Tree) -> None:
    tree.write(
        NEXT, "---\ntitle: Next steps\nminutes: 5\nsummary: Steps: what next: now\n---\n\nText.\n"
    )
    assert tree.problems() == [
        (
            NEXT,
            4,
            "the front matter is not valid YAML: mapping values are not allowed in this context: check the "
            "indentation, and put text that contains a colon or starts with a quote in quotes",
        )
    ]


def test_front_matter_that_is_not_settings(tree: Tree) -> None:
    tree.write(NEXT, "---\n- title\n- minutes\n---\n\nText.\n")
    assert tree.problems() == [
        (
            NEXT,
            2,
            'the front matter must be settings, one on each line, like "title: Your place as a '
            'system"',
        )
    ]


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("title", 'the front matter has no title: add a line like "title: Your place as a system"'),
        (
            "minutes",
            'the front matter has no minutes: add a line like "minutes: 15" (how long the lesson '
            "takes)",
        ),
    ],
)
def test_missing_required_lesson_field(tree: Tree, field: str, message: str) -> None:
    text = tree.read(NEXT)
    tree.write(NEXT, "\n".join(line for line in text.split("\n") if not line.startswith(field)))
    assert tree.problems() == [(NEXT, 1, message)]


def test_missing_required_module_fields(tree: Tree) -> None:
    tree.write("sample-course/02-going-further/module.md", "---\ntitle: Going further\n---\n")
    path = "sample-course/02-going-further/module.md"
    assert tree.problems() == [
        (
            path,
            1,
            "the front matter has no outcomes: add a list of outcomes, each on a line starting "
            'with "  - "',
        ),
        (
            path,
            1,
            'the front matter has no summary: add one sentence, like "summary: How the bodies fit '
            'together."',
        ),
    ]


@pytest.mark.parametrize("minutes", ["ten", "0", "121", "12.5", "true", "[10]"])
def test_minutes_must_be_a_whole_number_from_1_to_120(tree: Tree, minutes: str) -> None:
    tree.replace(NEXT, "minutes: 5", f"minutes: {minutes}")
    shown = "a list" if minutes == "[10]" else minutes
    assert tree.problems() == [
        (NEXT, 3, f'minutes must be a whole number from 1 to 120, not "{shown}"')
    ]


@pytest.mark.parametrize(
    "outcomes", ["outcomes: Explain things", "outcomes: []", "outcomes:\n  - [a, b]"]
)
def test_outcomes_must_be_a_list_of_text(tree: Tree, outcomes: str) -> None:
    path = "sample-course/02-going-further/module.md"
    tree.replace(path, "outcomes:\n  - Map the public bodies that serve your area", outcomes)
    assert tree.problems() == [
        (
            path,
            4,
            'outcomes must be a list of at least one outcome, each on a line starting with "  - "',
        )
    ]


def test_title_must_be_text(tree: Tree) -> None:
    tree.replace(NEXT, "title: Next steps", "title:\n  - Next steps")
    assert tree.problems() == [(NEXT, 2, 'title must be text on the same line, like "title: ..."')]


def test_unknown_setting_is_reported_at_its_line(tree: Tree) -> None:
    tree.replace(NEXT, "minutes: 5", "minutes: 5\nminuts: 5")
    assert tree.problems() == [
        (
            NEXT,
            4,
            'unknown setting "minuts" (did you mean "minutes"?): a lesson\'s settings are title, '
            "minutes, summary, aliases, reviewed and review_by",
        )
    ]


def test_a_setting_written_twice(tree: Tree) -> None:
    tree.replace(NEXT, "minutes: 5", "minutes: 5\ntitle: Again")
    assert tree.problems() == [(NEXT, 4, 'front matter setting "title" is written twice')]


def test_aliases_must_be_a_list(tree: Tree) -> None:
    tree.replace(WORKING, "aliases:\n  - partnerships", "aliases: partnerships")
    assert tree.problems() == [
        (
            WORKING,
            5,
            'aliases must be a list of earlier lesson names, each on a line starting with "  - "',
        )
    ]


# Aliases ---------------------------------------------------------------------------------------


def test_alias_that_is_another_lessons_key(tree: Tree) -> None:
    tree.replace(WORKING, "  - partnerships", "  - welcome")
    assert tree.problems() == [
        (
            WORKING,
            6,
            'alias "welcome" is the key of another lesson '
            "(sample-course/01-first-steps/01-welcome.md): an alias must be a name that no lesson "
            "has now",
        )
    ]


def test_alias_listed_by_two_lessons(tree: Tree) -> None:
    tree.replace(WELCOME, "minutes: 10", "minutes: 10\naliases:\n  - partnerships")
    assert tree.problems() == [
        (
            WORKING,
            6,
            'alias "partnerships" can lead to only one lesson, but it is also an alias of '
            "sample-course/01-first-steps/01-welcome.md: remove one",
        )
    ]


def test_alias_listed_twice(tree: Tree) -> None:
    tree.replace(
        WORKING, "  - partnerships", "  - partnerships\n  - sample-course/first-steps/partnerships"
    )
    assert tree.problems() == [
        (
            WORKING,
            7,
            'alias "sample-course/first-steps/partnerships" can lead to only one lesson, but it is '
            "listed twice: remove one",
        )
    ]


def test_alias_that_is_the_lessons_own_key(tree: Tree) -> None:
    tree.replace(WORKING, "  - partnerships", "  - working-together")
    assert tree.problems() == [
        (WORKING, 6, 'alias "working-together" is this lesson\'s own key: remove it')
    ]


def test_alias_that_is_not_a_key(tree: Tree) -> None:
    tree.replace(WORKING, "  - partnerships", "  - Old Partnerships")
    assert tree.problems() == [
        (
            WORKING,
            6,
            'alias "Old Partnerships" is not a lesson name or key: write an earlier name of this '
            "lesson, like problem-types, or a full key, like course/module/lesson",
        )
    ]


# Body and blocks -------------------------------------------------------------------------------


def test_empty_lesson(tree: Tree) -> None:
    tree.write(NEXT, "---\ntitle: Next steps\nminutes: 5\n---\n\n  \n")
    assert tree.problems() == [
        (NEXT, 1, "the lesson has no content: write the lesson below the front matter")
    ]


def test_unknown_block(tree: Tree) -> None:
    tree.lesson("Text.\n\n/// warning | Careful\nDo not.\n///")
    assert tree.problems() == [
        (
            EXTRA,
            8,
            'unknown block "warning": use one of note, key-idea, case-study, details, activity, '
            "quiz, reflection",
        )
    ]


def test_unclosed_block(tree: Tree) -> None:
    tree.lesson("Text.\n\n/// note\nNever closed.\n\nMore text.")
    assert tree.problems() == [
        (EXTRA, 8, 'block "note" is not closed: add a line with /// where it ends')
    ]


def test_unclosed_inner_block_is_reported_when_the_outer_one_closes(tree: Tree) -> None:
    tree.lesson("//// activity | Try it\nStep one.\n\n/// note\nInner.\n////")
    assert tree.problems() == [
        (EXTRA, 9, 'block "note" is not closed: add a line with /// where it ends')
    ]


@pytest.mark.parametrize("name", ["case-study", "details", "activity"])
def test_block_that_needs_a_title(tree: Tree, name: str) -> None:
    tree.lesson(f"Text.\n\n/// {name}\nBody.\n///")
    assert tree.problems() == [
        (EXTRA, 8, f'block "{name}" needs a title: write it as "/// {name} | Title"')
    ]


def test_block_inside_a_block_with_as_many_slashes(tree: Tree) -> None:
    tree.lesson("/// activity | Try it\nStep one.\n\n/// note\nInner.\n///\n///")
    assert tree.problems() == [
        (
            EXTRA,
            9,
            'block "note" starts inside block "activity" (line 6), which is not closed yet: close '
            "it first with ///, or, to put one block inside another, give the outer block more "
            "slashes (////)",
        )
    ]


def test_closing_line_with_no_block(tree: Tree) -> None:
    tree.lesson("Text.\n\n///")
    assert tree.problems() == [
        (
            EXTRA,
            8,
            "this /// does not close any block: remove it, or check that the block it ends starts "
            "with the same number of slashes",
        )
    ]


def test_block_line_that_cannot_be_read(tree: Tree) -> None:
    tree.lesson("Text.\n\n/// note Remember this\nBody.")
    assert tree.problems() == [
        (
            EXTRA,
            8,
            'this line starts like a block but cannot be read: write it as "/// name" or '
            '"/// name | Title", with a line of just "///" to end the block',
        )
    ]


def test_quiz_inside_another_block(tree: Tree) -> None:
    tree.lesson(
        "//// note\nText.\n\n/// quiz\nid: inner\nquestions:\n" + GOOD_QUESTION + "\n///\n////"
    )
    assert tree.problems() == [
        (
            EXTRA,
            9,
            'a quiz cannot go inside another block ("note", line 6): move it after the end of '
            "that block",
        )
    ]


def test_quiz_outside_a_lesson(tree: Tree) -> None:
    path = "sample-course/02-going-further/module.md"
    tree.write(path, tree.read(path) + "\n/// reflection\nprompts:\n  - id: a\n    text: B\n///\n")
    assert tree.problems() == [
        (path, 10, "a reflection can only go in a lesson, not here: move it into a lesson")
    ]


# Quizzes ---------------------------------------------------------------------------------------


def test_quiz_with_malformed_yaml(tree: Tree) -> None:
    tree.write(EXTRA, quiz_lesson("id: broken\nquestions:\n  - question: What: now?\n"))
    assert tree.problems() == [
        (
            EXTRA,
            11,
            "quiz settings are not valid YAML: mapping values are not allowed in this context: check the "
            "indentation, and put text that contains a colon or starts with a quote in quotes",
        )
    ]


def test_quiz_without_an_id(tree: Tree) -> None:
    tree.write(EXTRA, quiz_lesson("questions:\n" + GOOD_QUESTION))
    assert tree.problems() == [
        (
            EXTRA,
            8,
            'quiz has no id: add a line like "id: check-your-understanding" (attempts are stored '
            "against it, so never change it)",
        )
    ]


def test_quiz_with_an_invalid_id(tree: Tree) -> None:
    tree.write(EXTRA, quiz_lesson("id: Check 1\nquestions:\n" + GOOD_QUESTION))
    assert tree.problems() == [
        (
            EXTRA,
            9,
            'quiz id "Check 1" is not valid: use lower-case letters, digits and hyphens only, like '
            "check-your-understanding",
        )
    ]


def test_duplicate_quiz_ids_in_a_lesson(tree: Tree) -> None:
    quiz = "/// quiz\nid: same\nquestions:\n" + GOOD_QUESTION + "\n///"
    tree.lesson(f"Text.\n\n{quiz}\n\nMore.\n\n{quiz}")
    assert tree.problems() == [
        (
            EXTRA,
            22,
            'quiz id "same" is already used by the quiz at line 8: give each quiz in a lesson a '
            "different id",
        )
    ]


def test_quiz_with_no_questions(tree: Tree) -> None:
    tree.write(EXTRA, quiz_lesson("id: empty\nquestions: []"))
    assert tree.problems() == [
        (EXTRA, 10, 'quiz "empty" has no questions: add at least one under "questions:"')
    ]


def test_question_with_fewer_than_two_options(tree: Tree) -> None:
    quiz = """
id: short
questions:
  - question: Only one?
    options:
      - text: Yes
        correct: true
        feedback: Indeed.
"""
    tree.write(EXTRA, quiz_lesson(quiz))
    assert tree.problems() == [
        (
            EXTRA,
            12,
            'quiz "short": question 1 has fewer than two options: add at least two under '
            '"options:"',
        )
    ]


def test_question_with_no_correct_option(tree: Tree) -> None:
    quiz = GOOD_QUESTION.replace("        correct: true\n", "")
    tree.write(EXTRA, quiz_lesson(f"id: none-right\nquestions:\n{quiz}"))
    assert tree.problems() == [
        (
            EXTRA,
            11,
            'quiz "none-right": question 1 has no correct option: add "correct: true" to at least '
            "one option",
        )
    ]


def test_option_without_feedback_uses_the_guides_message(tree: Tree) -> None:
    quiz = GOOD_QUESTION + "\n  - question: Second\n    options:\n"
    quiz += "      - text: A\n        correct: true\n        feedback: Yes.\n"
    quiz += "      - text: B\n        feedback: No.\n      - text: C\n"
    tree.write(EXTRA, quiz_lesson(f"id: problem-types\nquestions:\n{quiz}"))
    assert tree.problems() == [
        (EXTRA, 25, 'quiz "problem-types": question 2, option 3 has no feedback')
    ]


def test_unknown_quiz_question_and_option_settings(tree: Tree) -> None:
    quiz = """
id: typos
passmark: 50
questions:
  - question: Pick one
    answers: 2
    options:
      - text: Right
        correct: true
        feedbak: Yes.
        feedback: Yes.
      - text: Wrong
        feedback: No.
"""
    tree.write(EXTRA, quiz_lesson(quiz))
    assert tree.problems() == [
        (
            EXTRA,
            10,
            'quiz "typos": unknown setting "passmark" (did you mean "pass_mark"?): a quiz\'s '
            "settings are id, pass_mark and questions",
        ),
        (
            EXTRA,
            13,
            'quiz "typos": question 1 has an unknown setting "answers": a question\'s settings are '
            "question, multiple and options",
        ),
        (
            EXTRA,
            17,
            'quiz "typos": question 1, option 1 has an unknown setting "feedbak" (did you mean '
            '"feedback"?): an option\'s settings are text, correct and feedback',
        ),
    ]


@pytest.mark.parametrize("pass_mark", ["0", "101", "fifty", "75.5"])
def test_pass_mark_must_be_1_to_100(tree: Tree, pass_mark: str) -> None:
    tree.write(
        EXTRA, quiz_lesson(f"id: marks\npass_mark: {pass_mark}\nquestions:\n{GOOD_QUESTION}")
    )
    assert tree.problems() == [
        (EXTRA, 10, 'quiz "marks": pass_mark must be a whole number from 1 to 100')
    ]


def test_correct_and_multiple_must_be_true_or_false(tree: Tree) -> None:
    quiz = GOOD_QUESTION.replace("correct: true", "correct: maybe").replace(
        "  - question: Pick one", "  - question: Pick one\n    multiple: sometimes"
    )
    tree.write(EXTRA, quiz_lesson(f"id: flags\nquestions:\n{quiz}"))
    assert tree.problems() == [
        (EXTRA, 12, 'quiz "flags": question 1: multiple must be true or false'),
        (EXTRA, 15, 'quiz "flags": question 1, option 1: correct must be true or false'),
    ]


def test_an_option_written_yes_stays_the_word_yes(tree: Tree) -> None:
    quiz = GOOD_QUESTION.replace("text: Right", "text: Yes").replace("text: Wrong", "text: No")
    tree.write(EXTRA, quiz_lesson(f"id: yes-no\nquestions:\n{quiz}"))
    catalogue = tree.load()
    found = catalogue.quiz("sample-course/first-steps/extra#yes-no")
    assert found is not None
    assert [o.text_html for o in found.questions[0].options] == ["Yes", "No"]


# Reflections -----------------------------------------------------------------------------------


def reflection_lesson(body: str) -> str:
    """A lesson whose reflection block starts on line 8 (YAML from line 9)."""
    return lesson_md(f"Some prose.\n\n/// reflection | Think\n{body.strip()}\n///")


def test_reflection_with_no_prompts(tree: Tree) -> None:
    tree.write(EXTRA, reflection_lesson("prompts: []"))
    assert tree.problems() == [
        (
            EXTRA,
            9,
            'reflection has no prompts: add "prompts:" with at least one prompt, each with "- id:" '
            'and "text:"',
        )
    ]


def test_prompt_without_id_or_text(tree: Tree) -> None:
    tree.write(EXTRA, reflection_lesson("prompts:\n  - text: No id here\n  - id: no-text"))
    assert tree.problems() == [
        (
            EXTRA,
            10,
            'reflection: prompt 1 has no id: add a line like "id: who-holds-levers" (journal '
            "entries are stored against it, so never change it)",
        ),
        (
            EXTRA,
            11,
            'reflection: prompt 2 has no text: add "text:" with the question to reflect on',
        ),
    ]


def test_duplicate_prompt_ids_across_a_lesson(tree: Tree) -> None:
    first = "/// reflection\nprompts:\n  - id: same\n    text: One?\n///"
    second = "/// reflection\nprompts:\n  - id: same\n    text: Two?\n///"
    tree.lesson(f"Text.\n\n{first}\n\nMore.\n\n{second}")
    assert tree.problems() == [
        (
            EXTRA,
            18,
            'prompt id "same" is already used by the prompt at line 10: give each prompt in a '
            "lesson a different id",
        )
    ]


def test_unknown_reflection_setting(tree: Tree) -> None:
    tree.write(EXTRA, reflection_lesson("prompt:\n  - id: a\n    text: B"))
    assert tree.problems() == [
        (
            EXTRA,
            8,
            'reflection has no prompts: add "prompts:" with at least one prompt, each with "- id:" '
            'and "text:"',
        ),
        (
            EXTRA,
            9,
            'reflection: unknown setting "prompt" (did you mean "prompts"?): a reflection\'s '
            "settings are prompts",
        ),
    ]


# Links and images ------------------------------------------------------------------------------


def test_broken_lesson_link(tree: Tree) -> None:
    tree.lesson("Intro.\n\nSee [the map](lesson:going-further/maps) for more.")
    assert tree.problems() == [
        (
            EXTRA,
            8,
            'lesson link "lesson:going-further/maps" goes to a lesson that does not exist: check '
            "the module and lesson names (without their numbers)",
        )
    ]


def test_lesson_link_that_is_not_a_key(tree: Tree) -> None:
    tree.lesson("Intro.\n\nSee [the map](lesson:02-going-further/01-mapping-your-place.md).")
    assert tree.problems() == [
        (
            EXTRA,
            8,
            'lesson link "lesson:02-going-further/01-mapping-your-place.md" is not a lesson key: '
            "write it as lesson:module/lesson or lesson:course/module/lesson, using names without "
            "their numbers",
        )
    ]


def test_broken_links_in_quiz_feedback_are_found_too(tree: Tree) -> None:
    quiz = GOOD_QUESTION.replace("feedback: No.", "feedback: See [this](lesson:first-steps/gone).")
    tree.write(EXTRA, quiz_lesson(f"id: linked\nquestions:\n{quiz}"))
    assert [(line, message.split(":", 2)[:2]) for _, line, message in tree.problems()] == [
        (17, ['lesson link "lesson', 'first-steps/gone" goes to a lesson that does not exist'])
    ]


def test_missing_image(tree: Tree) -> None:
    tree.lesson("Intro.\n\n![A map](missing-map.png)")
    assert tree.problems() == [
        (
            EXTRA,
            8,
            'image "missing-map.png" is not in the module folder (01-first-steps): add the file, '
            "or check the spelling (names are case-sensitive)",
        )
    ]


def test_image_of_the_wrong_type(tree: Tree) -> None:
    tree.write("sample-course/01-first-steps/notes.pdf", "%PDF")
    tree.lesson("Intro.\n\n![Notes](notes.pdf)")
    assert tree.problems() == [
        (
            EXTRA,
            8,
            'image "notes.pdf" is not a type the platform can show: use .gif, .jpeg, .jpg, .png, '
            ".svg, .webp",
        )
    ]


def test_image_without_a_description(tree: Tree) -> None:
    tree.lesson("Intro.\n\nText before.\n\n![](partners.png)")
    assert tree.problems() == [
        (
            EXTRA,
            10,
            'image "partners.png" has no description: write what it shows between the square '
            "brackets, like ![A map of the public bodies in the area](partners.png)",
        )
    ]


@pytest.mark.parametrize("src", ["https://example.com/map.png", "../02-going-further/map.png"])
def test_image_outside_the_module_folder(tree: Tree, src: str) -> None:
    tree.lesson(f"Intro.\n\n![A map]({src})")
    assert tree.problems() == [
        (
            EXTRA,
            8,
            f'image "{src}" must be a file in the module folder: save it there and use just its '
            "file name, like system-map.png",
        )
    ]


# Reporting -------------------------------------------------------------------------------------


def test_every_problem_is_reported_in_one_pass_sorted_by_file_and_line(tree: Tree) -> None:
    tree.replace(NEXT, "minutes: 5", "minutes: lots")
    tree.replace(MAPPING, "/// activity | Map", "/// exercise | Map")
    tree.replace(MAPPING, "  - id: first-conversation\n", "  - id: who-is-missing\n")
    tree.replace(WELCOME, "title: Welcome to the programme\n", "")
    tree.replace(WELCOME, "lesson:first-steps/working-together", "lesson:first-steps/nope")
    assert tree.problems() == [
        (
            WELCOME,
            1,
            'the front matter has no title: add a line like "title: Your place as a system"',
        ),
        (
            WELCOME,
            35,
            'lesson link "lesson:first-steps/nope" goes to a lesson that does not exist: check '
            "the module and lesson names (without their numbers)",
        ),
        (
            MAPPING,
            9,
            'unknown block "exercise": use one of note, key-idea, case-study, details, activity, '
            "quiz, reflection",
        ),
        (
            MAPPING,
            19,
            'prompt id "who-is-missing" is already used by the prompt at line 17: give each prompt '
            "in a lesson a different id",
        ),
        (NEXT, 3, 'minutes must be a whole number from 1 to 120, not "lots"'),
    ]


def test_problem_formats_as_path_line_message(tree: Tree, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tree.root.parent)
    problem = Problem(tree.path(NEXT), 3, "minutes must be a whole number")
    assert str(problem) == f"content/{NEXT}:3: minutes must be a whole number"
    folder = Problem(tree.path("sample-course"), None, "the course has no modules")
    assert str(folder) == "content/sample-course: the course has no modules"
    outside = Problem(Path("/elsewhere/x.md"), 1, "m")
    assert str(outside) == "/elsewhere/x.md:1: m"


def test_load_catalogue_raises_with_every_problem(tree: Tree) -> None:
    tree.replace(NEXT, "minutes: 5", "minutes: lots")
    tree.path("sample-course/02-going-further/module.md").unlink()
    with pytest.raises(ContentError) as caught:
        load_catalogue(tree.root)
    assert len(caught.value.problems) == 2
    message = str(caught.value)
    assert message.startswith("The content has 2 problems:\n")
    assert "02-next-steps.md:3: minutes must be a whole number from 1 to 120" in message
    assert "02-going-further: the module folder has no module.md" in message


def test_footnote_without_a_note(tree: Tree) -> None:
    tree.lesson("Text.[^ons] And more.[^lga]\n\n[^lga]: Local Government Association, 2023.")
    assert tree.problems() == [
        (
            EXTRA,
            6,
            'footnote "[^ons]" has no note: add a line like "[^ons]: Source, 2024." at the end of '
            "the file",
        )
    ]
