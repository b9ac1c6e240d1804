"""Rendering: GOV.UK markup for Markdown and every block, outline, contents, links, safety."""

from __future__ import annotations

import pytest

from leaders.catalogue import Catalogue, HtmlSegment, Lesson, QuizSegment
from tests.helpers import page

from .conftest import Tree, lesson_md

EXTRA_KEY = "sample-course/first-steps/extra"


def render(tree: Tree, body: str) -> Lesson:
    tree.lesson(body)
    lesson = tree.load().lesson(EXTRA_KEY)
    assert lesson is not None
    return lesson


def html_of(lesson: Lesson) -> str:
    return "".join(s.html for s in lesson.segments if isinstance(s, HtmlSegment))


def test_markdown_gets_govuk_classes(tree: Tree) -> None:
    html = html_of(
        render(
            tree,
            """
            ## Section

            Text with [a link](https://www.gov.uk/).

            - one
            - two

            1. first
            2. second

            > Quoted.

            ---

            ### Sub-section

            #### Smaller
            """,
        )
    )
    assert '<h2 class="govuk-heading-l" id="section">Section</h2>' in html
    assert (
        '<p class="govuk-body">Text with <a class="govuk-link" href="https://www.gov.uk/">' in html
    )
    assert '<ul class="govuk-list govuk-list--bullet">' in html
    assert '<ol class="govuk-list govuk-list--number">' in html
    assert '<blockquote class="govuk-inset-text">' in html
    assert (
        '<hr class="govuk-section-break govuk-section-break--l govuk-section-break--visible">'
        in html
    )
    assert '<h3 class="govuk-heading-m" id="sub-section">' in html
    assert '<h4 class="govuk-heading-s" id="smaller">' in html


def test_tables_get_govuk_classes_and_header_scope(tree: Tree) -> None:
    html = html_of(render(tree, "| Tier | Councils |\n|---|--:|\n| County | 21 |"))
    assert '<table class="govuk-table">' in html
    assert '<thead class="govuk-table__head">' in html
    assert '<tbody class="govuk-table__body">' in html
    assert '<tr class="govuk-table__row">' in html
    assert '<th class="govuk-table__header" scope="col">Tier</th>' in html
    # Right-aligned columns are numbers: GOV.UK's numeric class, not an inline style.
    assert '<th class="govuk-table__header govuk-table__header--numeric" scope="col">' in html
    assert '<td class="govuk-table__cell">County</td>' in html
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">21</td>' in html
    assert "style=" not in html


def test_footnotes(sample: Catalogue) -> None:
    lesson = sample.lesson("sample-course/first-steps/welcome")
    assert lesson is not None
    html = html_of(lesson)
    assert (
        '<sup id="fnref-lga"><a class="footnote-ref govuk-link" href="#fn-lga">1</a></sup>' in html
    )
    assert '<div class="footnote app-footnotes">' in html
    assert '<li id="fn-lga">' in html
    assert 'class="footnote-backref govuk-link" href="#fnref-lga"' in html


def test_top_level_headings_are_shifted_to_h2(tree: Tree) -> None:
    html = html_of(render(tree, "# Part one\n\nText.\n\n## Detail\n\nText."))
    assert '<h2 class="govuk-heading-l" id="part-one">Part one</h2>' in html
    assert '<h3 class="govuk-heading-m" id="detail">Detail</h3>' in html
    assert "<h1" not in html


def test_headings_that_start_too_deep_are_raised_to_h2(tree: Tree) -> None:
    html = html_of(render(tree, "### Part one\n\nText.\n\n#### Detail"))
    assert '<h2 class="govuk-heading-l" id="part-one">' in html
    assert '<h3 class="govuk-heading-m" id="detail">' in html


def test_contents_list_needs_three_sections(tree: Tree) -> None:
    three = render(
        tree, "## One\n\nA.\n\n### Sub\n\nB.\n\n## Two `x` & *y*\n\nC.\n\n## Three\n\nD."
    )
    assert three.toc == (("one", "One"), ("two-x-y", "Two x & y"), ("three", "Three"))
    two = render(tree, "## One\n\nA.\n\n## Two\n\nB.")
    assert two.toc == ()


def test_note_and_key_idea_are_inset_text(tree: Tree) -> None:
    html = html_of(
        render(
            tree,
            """
            /// note
            No title.
            ///

            ## Section

            /// key-idea | Collaborate or risk *mediocrity*
            No single body holds all the levers.
            ///
            """,
        )
    )
    assert html.startswith(
        '<div class="govuk-inset-text app-callout app-callout--note">\n'
        '<p class="govuk-body">No title.</p>\n</div>'
    )
    # Under an h2 section, a callout's title is an h3.
    assert (
        '<div class="govuk-inset-text app-callout app-callout--key-idea">\n'
        '<h3 class="govuk-heading-s" id="collaborate-or-risk-mediocrity">Collaborate or risk '
        "<em>mediocrity</em></h3>\n"
        '<p class="govuk-body">No single body holds all the levers.</p>\n</div>'
    ) in html


def test_callout_title_before_any_section_is_an_h2(tree: Tree) -> None:
    html = html_of(render(tree, "/// note | Remember\nCouncils change.\n///"))
    assert '<h2 class="govuk-heading-s" id="remember">Remember</h2>' in html


def test_case_study_is_a_labelled_aside(tree: Tree) -> None:
    html = html_of(
        render(tree, "## Examples\n\n/// case-study | Preston's *anchors*\nIn 2013 ...\n///")
    )
    assert (
        '<aside aria-label="Case study: Preston\'s anchors" class="app-callout '
        'app-callout--case-study">\n'
        '<h3 class="govuk-heading-m" id="prestons-anchors">Preston\'s <em>anchors</em></h3>\n'
        '<p class="govuk-body">In 2013 ...</p>\n</aside>'
    ) in html


def test_activity_is_a_section_labelled_by_its_heading(tree: Tree) -> None:
    html = html_of(
        render(tree, "## Try it\n\n/// activity | Map the bodies\n1. List them.\n2. Ask them.\n///")
    )
    assert (
        '<section aria-labelledby="activity-map-the-bodies" class="app-callout '
        'app-callout--activity">\n'
        '<h3 class="govuk-heading-m" id="activity-map-the-bodies">Activity: Map the bodies</h3>\n'
        '<ol class="govuk-list govuk-list--number">'
    ) in html


def test_details_is_the_govuk_details_component(tree: Tree) -> None:
    html = html_of(render(tree, "/// details | Where the numbers come from\nThe ONS.\n///"))
    assert html == (
        '<details class="govuk-details">\n'
        '<summary class="govuk-details__summary"><span class="govuk-details__summary-text">'
        "Where the numbers come from</span></summary>\n"
        '<div class="govuk-details__text">\n<p class="govuk-body">The ONS.</p>\n</div>\n'
        "</details>"
    )


def test_blocks_nest_with_more_slashes_and_hold_any_markdown(tree: Tree) -> None:
    lesson = render(
        tree,
        """
        ## Practice

        //// activity | Plan a meeting
        - Invite partners.

        | Who | When |
        |---|---|
        | ICB | May |

        /// details | Help
        Ask your *facilitator*.
        ///
        ////

        Afterwards.
        """,
    )
    html = html_of(lesson)
    section = html[html.index("<section") : html.index("</section>")]
    assert '<ul class="govuk-list govuk-list--bullet">' in section
    assert '<table class="govuk-table">' in section
    assert '<details class="govuk-details">' in section
    assert "<em>facilitator</em>" in section
    assert html.endswith('</section>\n<p class="govuk-body">Afterwards.</p>')
    assert "///" not in html


def test_headings_inside_callouts_fit_the_outline(tree: Tree) -> None:
    html = html_of(render(tree, "## Section\n\n/// activity | Plan\n## Steps\n\nDo it.\n///"))
    # The activity's title is an h3 under the h2 section, so its own heading becomes an h4.
    assert '<h3 class="govuk-heading-m" id="activity-plan">Activity: Plan</h3>' in html
    assert '<h4 class="govuk-heading-s" id="steps">Steps</h4>' in html


def test_ids_are_unique_on_the_page(tree: Tree) -> None:
    html = html_of(
        render(
            tree,
            "## Notes\n\nA.\n\n## Notes\n\nB.\n\n## Main content\n\nC.\n\n/// note | Notes\nD.\n///",
        )
    )
    ids = page(html).ids()
    assert ids == ["notes", "notes_1", "main-content-2", "notes_2"]
    assert len(set(ids)) == len(ids)


def test_quiz_answers_and_feedback_never_reach_the_html(sample: Catalogue) -> None:
    lesson = sample.lesson("sample-course/first-steps/working-together")
    assert lesson is not None
    assert [type(s).__name__ for s in lesson.segments] == ["HtmlSegment", "QuizSegment"]
    html = html_of(lesson)
    for secret in ("correct", "feedback", "Hospitals, councils and universities", "Trust built"):
        assert secret not in html
    quiz_segment = lesson.segments[1]
    assert isinstance(quiz_segment, QuizSegment)
    assert quiz_segment.quiz.questions[0].options[0].feedback_html.startswith("Right.")


def test_quiz_position_is_kept_between_html_segments(tree: Tree) -> None:
    quiz = (
        "/// quiz | Quick check\nid: quick\nquestions:\n  - question: One?\n    options:\n"
        "      - text: A\n        correct: true\n        feedback: Yes.\n"
        "      - text: B\n        feedback: No.\n///"
    )
    lesson = render(tree, f"Before.\n\n{quiz}\nAfter.")
    kinds = [type(s).__name__ for s in lesson.segments]
    assert kinds == ["HtmlSegment", "QuizSegment", "HtmlSegment"]
    assert lesson.segments[0] == HtmlSegment('<p class="govuk-body">Before.</p>')
    assert lesson.segments[2] == HtmlSegment('<p class="govuk-body">After.</p>')
    assert lesson.quizzes[0].title == "Quick check"
    assert lesson.word_count == 2


def test_scripts_handlers_and_javascript_urls_are_removed(tree: Tree) -> None:
    html = html_of(
        render(
            tree,
            """
            Safe text.

            <script>alert("x")</script>

            <p onclick="steal()" style="color: red">Styled</p>

            <img src="x.png" onerror="steal()" alt="x">

            [click](javascript:alert(1)) and <a href="javascript:alert(2)">this</a>
            """,
        )
    )
    for bad in ("<script", "alert(", "onclick", "onerror", "style=", "javascript:", "steal"):
        assert bad not in html
    assert "Safe text." in html
    assert "Styled" in html


def test_lesson_links_resolve_to_lesson_urls(tree: Tree) -> None:
    html = html_of(
        render(
            tree,
            """
            [Same course](lesson:going-further/next-steps),
            [full key](lesson:sample-course/going-further/mapping-your-place#maps),
            [old name](lesson:first-steps/partnerships).
            """,
        )
    )
    assert 'href="/courses/sample-course/going-further/next-steps"' in html
    assert 'href="/courses/sample-course/going-further/mapping-your-place#maps"' in html
    # An alias links to the lesson's current URL.
    assert 'href="/courses/sample-course/first-steps/working-together"' in html
    assert "lesson:" not in html


def test_images_point_at_the_module_file_url(sample: Catalogue) -> None:
    lesson = sample.lesson("sample-course/first-steps/working-together")
    assert lesson is not None
    assert (
        '<img alt="A diagram of partners around a shared problem" class="app-content-image" '
        'src="/courses/sample-course/first-steps/files/partners.png">'
    ) in html_of(lesson)


def test_module_pages_render_their_overview(sample: Catalogue) -> None:
    module = sample.module("sample-course/going-further")
    assert module is not None
    assert module.body_html == (
        '<p class="govuk-body">In this module you apply the ideas to your own place.</p>'
    )


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("Plain *text*", "Plain <em>text</em>"),
        (
            "First.\n\nSecond.",
            '<p class="govuk-body">First.</p>\n<p class="govuk-body">Second.</p>',
        ),
    ],
)
def test_quiz_text_is_inline_html_when_it_is_one_paragraph(
    tree: Tree, markdown: str, expected: str
) -> None:
    quiz = (
        "/// quiz\nid: q\nquestions:\n  - question: Q?\n    options:\n"
        "      - text: A\n        correct: true\n        feedback: |\n"
        + "".join(f"          {line}\n" for line in markdown.split("\n"))
        + "      - text: B\n        feedback: No.\n///"
    )
    tree.write("sample-course/01-first-steps/03-extra.md", lesson_md(f"Text.\n\n{quiz}"))
    lesson = tree.load().lesson(EXTRA_KEY)
    assert lesson is not None
    assert lesson.quizzes[0].questions[0].options[0].feedback_html == expected


def test_tables_scroll_sideways_in_a_labelled_region(tree: Tree) -> None:
    # A table wider than a phone scrolls inside its region, not the page (tests/browser/test_reflow.py
    # skips what is inside such a region); the region takes focus so a keyboard can scroll it.
    import html5lib

    html = html_of(
        render(tree, "Before.\n\n| Tier | Councils |\n|---|--:|\n| County | 21 |\n\nAfter.")
    )
    body = html5lib.parseFragment(html, treebuilder="etree", namespaceHTMLElements=False)
    regions = [el for el in body.iter("div") if el.get("class") == "app-table-scroll"]
    assert len(regions) == 1
    region = regions[0]
    assert region.get("role") == "region"
    assert region.get("tabindex") == "0"
    assert region.get("aria-label") == "Table (scrolls sideways)"
    assert [child.tag for child in region] == ["table"]
    assert html.index("Before.") < html.index("app-table-scroll") < html.index("After.")
