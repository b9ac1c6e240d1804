"""The hand-written components in components/nav.html draw the same markup as the GOV.UK macros.

They are hand-written because they are drawn on every page and the macros cost real time on the
lesson page (bench/pages.py: about 0.31 of the bare endpoint with these, 0.27 with the macros).
Each test renders the hand-written component and the govuk-frontend-jinja macro with the same
inputs, parses both with html5lib and compares the element trees: tags, attributes and text, with
runs of whitespace treated as one space.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import html5lib
import pytest
from markupsafe import Markup

from tests.helpers import element_tree, squashed

SERVICE_NAVIGATION = "govuk_frontend_jinja/components/service-navigation/macro.html"
BREADCRUMBS = "govuk_frontend_jinja/components/breadcrumbs/macro.html"
PAGINATION = "govuk_frontend_jinja/components/pagination/macro.html"


def _parse(markup: str) -> tuple:
    fragment = html5lib.parseFragment(markup, treebuilder="etree", namespaceHTMLElements=False)
    assert not squashed(fragment.text), "markup starts with text outside an element"
    return tuple(element_tree(child) for child in fragment)


def _same(hand: str, macro: str) -> None:
    assert _parse(hand) == _parse(macro)
    assert len(_parse(hand)) == 1


NAV_ITEMS = [
    {"href": "/home", "text": "Home", "active": False},
    {"href": "/courses", "text": "Courses & <more>", "active": True},
    {"href": "/network", "text": "Network", "active": False},
]


def test_service_navigation(render):
    hand = render("{{ service_navigation(items) }}", items=NAV_ITEMS)
    macro = render(
        f'{{% from "{SERVICE_NAVIGATION}" import govukServiceNavigation %}}'
        '{{ govukServiceNavigation({"navigation": items}) }}',
        items=NAV_ITEMS,
    )
    assert "Courses &amp; &lt;more&gt;" in hand
    _same(hand, macro)


@pytest.mark.parametrize(
    "crumbs",
    [
        [("Cohorts", "/cohorts")],
        [("Cohorts", "/cohorts"), ("South <Yorkshire> & 2026", "/cohorts/1?a=1&b=2")],
    ],
)
def test_breadcrumbs(render, crumbs):
    hand = render("{{ breadcrumbs(crumbs) }}", crumbs=crumbs)
    macro = render(
        f'{{% from "{BREADCRUMBS}" import govukBreadcrumbs %}}'
        "{{ govukBreadcrumbs({'items': items}) }}",
        items=[{"text": text, "href": href} for text, href in crumbs],
    )
    _same(hand, macro)


class Page:
    def __init__(self, url: str, title: str) -> None:
        self.url, self.title = url, title


@pytest.mark.parametrize(
    ("previous", "next_"),
    [
        (Page("/lessons/1", "Why place <matters>"), Page("/lessons/3", "Partners & power")),
        (None, Page("/lessons/2", "The second lesson")),
        (Page("/lessons/1", "The first lesson"), None),
    ],
)
def test_pagination(render, previous, next_):
    hand = render(
        '{{ pagination(previous, next, "Lessons", "lesson") }}', previous=previous, next=next_
    )

    def link(page, word):
        if page is None:
            return None
        return {
            "href": page.url,
            "labelText": page.title,
            "html": f'{word}<span class="govuk-visually-hidden"> lesson</span>',
        }

    macro = render(
        f'{{% from "{PAGINATION}" import govukPagination %}}{{{{ govukPagination(params) }}}}',
        params={
            "landmarkLabel": "Lessons",
            "previous": link(previous, "Previous"),
            "next": link(next_, "Next"),
        },
    )
    _same(hand, macro)


# The dashboard's at-risk list, progress matrix and learner list: hand-written inline in
# oversight/dashboard.html (between `{# hand-written: name #}` and `{# end: name #}`) because govukTable
# made the dashboard at 1,000 learners about 2.5 times slower (bench/dashboard.py); the govukTable
# version of each is kept in tests/fixtures/dashboard_tables_macro.html to compare with.
ROOT = Path(__file__).parent.parent
DASHBOARD = (ROOT / "leaders" / "templates" / "oversight" / "dashboard.html").read_text()
DASHBOARD_MACRO_TABLES = (
    Path(__file__).parent / "fixtures" / "dashboard_tables_macro.html"
).read_text()


def _hand_written(name: str, source: str = DASHBOARD) -> str:
    match = re.search(
        r"\{# hand-written: " + name + r" #\}\n(.*?)\n\{# end: " + name + r" #\}", source, re.S
    )
    assert match, f"the template has no hand-written {name}"
    return match[1]


def _board():
    from leaders.organisations.models import Sector
    from leaders.oversight.dashboard import Cell

    def person(user_id, name, organisation, sector, place, last_active_at):
        return SimpleNamespace(
            user_id=user_id,
            name=name,
            organisation=organisation,
            sector=sector,
            place=place,
            last_active_at=last_active_at,
        )

    def row(person, cells, percent, attended, held):
        return SimpleNamespace(
            person=person,
            cells=cells,
            cells_html=Markup("").join(c.html for c in cells),
            percent=percent,
            attended=attended,
            held=held,
        )

    columns = [
        SimpleNamespace(module=SimpleNamespace(title="Why place <matters> & how")),
        SimpleNamespace(module=SimpleNamespace(title="Partners")),
    ]
    learners = [
        row(
            person(7, "Ann <b>O'Hara</b>", "Barnsley & Co", list(Sector)[1].value, "Leeds", None),
            [Cell(3, 3, "completed", False), Cell(1, 4, "in-progress", True)],
            57,
            2,
            3,
        ),
        row(
            person(9, "Bo\x0b Smith", None, None, None, datetime(2026, 3, 2, 10, 0, tzinfo=UTC)),
            [Cell(0, 3, "not-started", False), Cell(0, 4, "not-open", False)],
            0,
            0,
            0,
        ),
    ]
    learners[0].risks = ["Has not signed in <yet>", "Module 2 is overdue"]
    learners[1].risks = ["Has done nothing for 14 days"]
    return SimpleNamespace(columns=columns, learners=learners, at_risk=learners)


TABLE_MACROS = '{% from "components/table.html" import sort_header %}'
SORTABLE = {
    "progress_matrix": {"name", "m1", "m2", "progress"},
    "learner_table": {
        "name",
        "organisation",
        "sector",
        "place",
        "last-active",
        "progress",
        "attendance",
    },
    "at_risk_table": set(),
}
MACRO_CALLS = {
    "progress_matrix": "progress_matrix(board, learners, matrix_args, learner_url)",
    "learner_table": "learner_table(learners, list_args, learner_url)",
    "at_risk_table": "at_risk_table(risk, risk_args, learner_url)",
}


@pytest.mark.parametrize("sort", ["name", "m2", "progress"])
@pytest.mark.parametrize("table", ["progress_matrix", "learner_table", "at_risk_table"])
def test_dashboard_tables(render, table, sort):
    """The same markup, sortable headings included (aria-sort, links keeping the other table's
    sort and the filters), whichever column the learners are sorted by."""
    from leaders.tables import TableState

    board = _board()
    state = TableState.read(
        {"sort": sort, "dir": "desc", "organisation": "Barnsley & Co"},
        sorts=["name", "m1", "m2", "progress", "organisation", "attendance"],
        default_sort="name",
        filters=["organisation"],
    )
    risk_state = TableState.read(
        {"risk-sort": "why"}, sorts=["name", "why"], default_sort="name", prefix="risk-"
    )
    learners, risk = state.paged(board.learners), risk_state.paged(board.at_risk)
    context = {
        "board": board,
        "learner_url": "/cohorts/1/learners/",
        "learners": learners,
        "state": state,
        "risk": risk,
        "matrix_args": {"cohort_id": 1, "_anchor": "progress", **risk_state.args()},
        "list_args": {"cohort_id": 1, "_anchor": "learners", **risk_state.args()},
        "risk_args": {"cohort_id": 1, "_anchor": "at-risk", **state.args()},
    }
    hand = render(TABLE_MACROS + _hand_written(table), **context)
    macro = render(DASHBOARD_MACRO_TABLES + f"{{{{ {MACRO_CALLS[table]} }}}}", **context)
    assert "Ann &lt;b&gt;O&#39;Hara&lt;/b&gt;" in hand
    assert "Bo\ufffd Smith" in hand  # a control character shown as the template shows it
    assert 'href="/cohorts/1/learners/9"' in hand
    # Only the sorted column says a direction: the learners by `sort`, descending; the at-risk
    # list by why, ascending.
    sorted_here = sort in SORTABLE[table]
    assert hand.count('aria-sort="descending"') == (1 if sorted_here else 0)
    assert hand.count('aria-sort="ascending"') == (1 if table == "at_risk_table" else 0)
    assert "organisation=Barnsley+%26+Co" in hand
    _same(hand, macro)


# The dashboard's count tables (learners by module, sector, organisation and place): hand-written in
# components/charts.html because through govukTable the four of them were about a quarter of rendering
# the dashboard at 200 learners (bench/dashboard.py); the govukTable version is in
# tests/fixtures/count_table_macro.html.
COUNT_TABLE_MACRO = (Path(__file__).parent / "fixtures" / "count_table_macro.html").read_text()


@pytest.mark.parametrize(
    "counts",
    [
        [("Barnsley & <Co>", 3, 50), ('O\'Hara "Trust"', 2, 33), ("Not recorded", 1, 17)],
        [("Local government", 0, 0)],
        [],
    ],
)
def test_count_table(render, counts):
    from leaders.charts import Count

    context = {"counts": [Count(*c) for c in counts]}
    hand = render('{{ count_table("Learners by <place>", counts, "Place & area") }}', **context)
    macro = render(
        COUNT_TABLE_MACRO
        + '{{ count_table_macro("Learners by <place>", counts, "Place & area") }}',
        **context,
    )
    assert "Learners by &lt;place&gt;" in hand
    assert hand.count('<tr class="govuk-table__row">') == len(counts) + 1
    _same(hand, macro)


# The dashboard's filter selects: hand-written in oversight/_dashboard_filters.html because the five
# govukSelect calls were about a fifth of rendering the dashboard at 200 learners (bench/dashboard.py).
FILTERS = ROOT / "leaders" / "templates" / "oversight" / "_dashboard_filters.html"
SELECT = "govuk_frontend_jinja/components/select/macro.html"


@pytest.mark.parametrize("chosen", ["", "b&c", "-"])
def test_filter_select(render, chosen):
    from leaders.oversight.dashboard_table import Filter

    f = Filter(
        "organisation",
        "Organisation & <body>",
        [("a", "Barnsley <Council>"), ("b&c", 'O\'Hara "Trust"'), ("-", "Not recorded")],
        chosen,
    )
    hand = render(_hand_written("filter_select", FILTERS.read_text()), f=f)
    macro = render(
        f'{{% from "{SELECT}" import govukSelect %}}'
        '{{ govukSelect({"id": f.name, "name": f.name, "label": {"text": f.label, "classes": '
        '"govuk-label--s"}, "items": f.items}) }}',
        f=f,
    )
    assert hand.count(" selected") == (1 if chosen else 0)
    assert "Barnsley &lt;Council&gt;" in hand
    _same(hand, macro)


# The lesson page's radios, checkboxes and buttons: hand-written in templates/learning (between the same
# markers) because through govukRadios and govukButton the lesson page fell from 0.42 to 0.29 of the bare
# endpoint (bench/pages.py, two runs each).
LEARNING = ROOT / "leaders" / "templates" / "learning"
RADIOS = "govuk_frontend_jinja/components/radios/macro.html"
CHECKBOXES = "govuk_frontend_jinja/components/checkboxes/macro.html"
BUTTON = "govuk_frontend_jinja/components/button/macro.html"
VISIBILITY_HINT = (
    "You share only with people in the cohort you are in when you first save it. Programme managers,"
    " organisation leads and admins never read your reflections."
)


def _learning(template: str, name: str) -> str:
    return _hand_written(name, (LEARNING / template).read_text())


@pytest.mark.parametrize(
    ("visibility", "error"),
    [("private", None), ("cohort", None), (None, "Choose who can read <it> & why")],
)
def test_visibility_radios(render, visibility, error):
    from leaders.learning.forms import VISIBILITY_CHOICES

    field = "app-p1"
    draft = SimpleNamespace(visibility=visibility, visibility_error=error)
    hand = render(_learning("_reflection.html", "visibility_radios"), field=field, draft=draft)
    macro = render(
        f'{{% from "{RADIOS}" import govukRadios %}}{{{{ govukRadios(params) }}}}',
        params={
            "idPrefix": f"{field}-visibility",
            "name": f"{field}-visibility",
            "classes": "govuk-radios--small",
            "fieldset": {
                "legend": {"text": "Who can read it", "classes": "govuk-fieldset__legend--s"}
            },
            "hint": {"text": VISIBILITY_HINT},
            "errorMessage": {"text": error} if error else None,
            "items": [
                {
                    "value": value,
                    "text": label,
                    "hint": {"text": hint},
                    "checked": value == visibility,
                }
                for value, label, hint in VISIBILITY_CHOICES
            ],
        },
    )
    assert len(VISIBILITY_CHOICES) > 1
    assert hand.count(" checked") == (1 if visibility else 0)
    _same(hand, macro)


@pytest.mark.parametrize("multiple", [False, True])
@pytest.mark.parametrize(("mine", "missing"), [([], False), ([1], False), ([], True)])
def test_quiz_question(render, multiple, mine, missing):
    question = SimpleNamespace(
        index=2,
        multiple=multiple,
        text_html=Markup("Who <em>holds</em> the budget?"),
        options=[
            SimpleNamespace(text_html=text)
            for text in [
                Markup("The council"),
                Markup("Health <strong>and</strong> care"),
                Markup("Nobody &amp; everybody"),
            ]
        ],
    )
    qid = "app-quiz-check-q2"
    hand = render(
        _learning("_quiz_questions.html", "quiz_question"),
        question=question,
        qid=qid,
        mine=mine,
        missing=missing,
    )
    kind = "checkboxes" if multiple else "radios"
    macro = render(
        f'{{% from "{RADIOS}" import govukRadios %}}{{% from "{CHECKBOXES}" import govukCheckboxes %}}'
        "{{ govukCheckboxes(params) if multiple else govukRadios(params) }}",
        multiple=multiple,
        params={
            "idPrefix": qid,
            "name": "q2",
            "classes": f"govuk-{kind}--small",
            "fieldset": {
                "legend": {
                    "html": Markup('<span class="govuk-visually-hidden">Question 2: </span>')
                    + question.text_html,
                    "classes": "govuk-fieldset__legend--s",
                }
            },
            "hint": {"text": "Select all that apply."} if multiple else None,
            "errorMessage": {"text": "Answer question 2"} if missing else None,
            "items": [
                {"value": index, "html": option.text_html, "checked": index in mine}
                for index, option in enumerate(question.options)
            ],
        },
    )
    assert f'id="{qid}-2"' in hand
    _same(hand, macro)


NEXT = SimpleNamespace(url="/lessons/3?a=1&b=2", title="Partners & <power>")


@pytest.mark.parametrize(
    ("template", "name", "context", "params"),
    [
        (
            "_reflection.html",
            "reflection_button",
            {"draft": SimpleNamespace(saved="")},
            {"text": "Save reflection", "classes": "govuk-button--secondary"},
        ),
        (
            "_reflection.html",
            "reflection_button",
            {"draft": SimpleNamespace(saved="Saved today. Only you can read it.")},
            {"text": "Update reflection", "classes": "govuk-button--secondary"},
        ),
        (
            "_quiz.html",
            "check_button",
            {},
            {"text": "Check your answers", "classes": "govuk-button--secondary"},
        ),
        ("_lesson_main.html", "complete_button", {}, {"text": "Mark as complete and continue"}),
        (
            "_lesson_main.html",
            "continue_button",
            {"page": SimpleNamespace(next=NEXT)},
            {
                "href": NEXT.url,
                "html": Markup('Continue<span class="govuk-visually-hidden">: %s</span>')
                % NEXT.title,
            },
        ),
        (
            "_lesson_main.html",
            "continue_button",
            {"page": SimpleNamespace(next=None, course=SimpleNamespace(url="/courses/x"))},
            {"href": "/courses/x", "text": "Back to the course"},
        ),
    ],
)
def test_lesson_buttons(render, template, name, context, params):
    hand = render(_learning(template, name), **context)
    macro = render(
        f'{{% from "{BUTTON}" import govukButton %}}{{{{ govukButton(params) }}}}', params=params
    )
    _same(hand, macro)


@pytest.mark.parametrize("ticked", [False, True])
def test_quote_checkbox(render, ticked):
    from leaders.learning.forms import QUOTE_HINT, QUOTE_LABEL

    field = "app-p1"
    draft = SimpleNamespace(quote_consent=ticked)
    hand = render(
        _learning("_reflection.html", "quote_checkbox"),
        field=field,
        draft=draft,
        quote_label=QUOTE_LABEL,
        quote_hint=QUOTE_HINT,
    )
    macro = render(
        f'{{% from "{CHECKBOXES}" import govukCheckboxes %}}{{{{ govukCheckboxes(params) }}}}',
        params={
            "idPrefix": f"{field}-quote_consent",
            "name": f"{field}-quote_consent",
            "classes": "govuk-checkboxes--small",
            "items": [
                {"value": "y", "text": QUOTE_LABEL, "hint": {"text": QUOTE_HINT}, "checked": ticked}
            ],
        },
    )
    assert hand.count(" checked") == (1 if ticked else 0)
    _same(hand, macro)
