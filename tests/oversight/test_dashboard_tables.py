"""The dashboard's tables from the address: filter, search, sort and page; exports of the same view;
organisation leads' downloads hold their own staff only (issue 14 points 1 and 10)."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

from sqlalchemy import select

from leaders.audit import Action, AuditEvent
from leaders.extensions import db
from leaders.learning.models import LessonProgress
from leaders.timeutil import utcnow
from tests.factories import enrol, make_user
from tests.helpers import page, text_of

WELCOME = "sample-course/first-steps/welcome"


def _complete(user, *keys):
    for key in keys:
        db.session.add(
            LessonProgress(
                user_id=user.id, lesson_key=key, completed_at=utcnow(), version_completed="x"
            )
        )
    db.session.commit()


def _matrix_names(response) -> list[str]:
    """The learners in the progress matrix, in the order shown."""
    html = response.get_data(as_text=True)
    matrix = html[html.index('id="progress"') :]
    matrix = matrix[: matrix.index("</table>")]
    return re.findall(r'<th scope="row"[^>]*><a [^>]*>([^<]+)</a>', matrix)


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_filter_by_organisation_keeps_the_headline_figures_over_everyone(cast, as_user):
    client = as_user(cast.manager)
    response = client.get(f"/cohorts/{cast.cohort.id}?organisation=Barnsley+Council")
    assert _matrix_names(response) == ["Ann Council", "Ben Council"]
    body = text_of(response)
    assert "3 learners" in body  # the figure is over every learner
    assert "Showing 2 of 3 learners, filtered by organisation: “Barnsley Council”" in body
    # The filter is kept in the form (a GET form, so the view is a link) and in the sort links.
    form = page(response).one("form", id="filters")
    assert form.get("method") == "get"
    assert 'value="Barnsley Council" selected' in response.get_data(as_text=True)
    assert (
        "organisation=Barnsley+Council" in response.get_data(as_text=True).split('id="progress"')[1]
    )
    assert "Apply filters" in body
    assert "Clear filters" in body


def test_search_status_reason_and_unknown_values(cast, as_user):
    ann, ben, cat = cast.learners
    ann.last_sign_in_at = ann.last_active_at = utcnow()
    ben.last_sign_in_at = utcnow() - timedelta(days=30)
    ben.last_active_at = utcnow() - timedelta(days=20)
    db.session.commit()
    _complete(ann, WELCOME)
    client = as_user(cast.manager)
    base = f"/cohorts/{cast.cohort.id}"
    assert _matrix_names(client.get(f"{base}?q={cat.email.upper()}")) == ["Cat Health"]
    assert _matrix_names(client.get(f"{base}?q=council+ben")) == ["Ben Council"]
    assert _matrix_names(client.get(f"{base}?status=in-progress")) == ["Ann Council"]
    assert _matrix_names(client.get(f"{base}?status=not-started")) == ["Ben Council", "Cat Health"]
    assert _matrix_names(client.get(f"{base}?reason=inactive")) == ["Ben Council"]
    assert _matrix_names(client.get(f"{base}?reason=not-signed-in")) == ["Cat Health"]
    assert _matrix_names(client.get(f"{base}?reason=none")) == ["Ann Council"]
    assert _matrix_names(client.get(f"{base}?sector=nhs")) == ["Cat Health"]
    # A stale bookmark (an organisation no longer in the cohort, a made-up sort) shows everyone.
    stale = client.get(f"{base}?organisation=Gone+Council&sort=password_hash&dir=up&page=x")
    assert stale.status_code == 200
    assert _matrix_names(stale) == ["Ann Council", "Ben Council", "Cat Health"]
    assert "Showing" not in text_of(stale)
    nobody = client.get(f"{base}?q=nobody-at-all")
    assert "No learners match the filters." in text_of(nobody)


def test_sort_by_a_column_both_ways_with_aria_sort(cast, as_user):
    ann, ben, _cat = cast.learners
    _complete(ben, WELCOME)
    _complete(ann, WELCOME, "sample-course/first-steps/working-together")
    client = as_user(cast.manager)
    base = f"/cohorts/{cast.cohort.id}"
    down = client.get(f"{base}?sort=progress&dir=desc")
    assert _matrix_names(down) == ["Ann Council", "Ben Council", "Cat Health"]
    html = down.get_data(as_text=True)
    assert re.search(
        r'aria-sort="descending">\s*<a [^>]*href="[^"]*sort=progress&amp;dir=asc', html
    )
    up = client.get(f"{base}?sort=progress&dir=asc")
    assert _matrix_names(up) == ["Cat Health", "Ben Council", "Ann Council"]
    by_name = client.get(f"{base}?sort=name&dir=desc")
    assert _matrix_names(by_name) == ["Cat Health", "Ben Council", "Ann Council"]


def test_more_than_a_hundred_learners_are_paged(cast, as_user):
    for i in range(101):
        enrol(cast.cohort, make_user(name=f"Zed {i:03}", password=None))
    client = as_user(cast.manager)
    first = client.get(f"/cohorts/{cast.cohort.id}")
    assert len(_matrix_names(first)) == 100
    assert "Showing 1 to 100 of 104 learners." in text_of(first)
    second = client.get(f"/cohorts/{cast.cohort.id}?page=2")
    assert _matrix_names(second) == ["Zed 097", "Zed 098", "Zed 099", "Zed 100"]
    # Past the end: the last page.
    assert _matrix_names(client.get(f"/cohorts/{cast.cohort.id}?page=9")) == _matrix_names(second)


def test_exports_carry_the_filter_and_sort_and_say_so_in_the_audit_log(cast, as_user):
    client = as_user(cast.manager)
    base = f"/cohorts/{cast.cohort.id}"
    html = client.get(f"{base}?organisation=Barnsley+Council&sort=name&dir=desc").get_data(
        as_text=True
    )
    link = re.search(r'href="([^"]*/export/learners\.csv[^"]*)"', html)[1].replace("&amp;", "&")
    assert "organisation=Barnsley+Council" in link
    rows = _csv(client.get(link))
    assert [r[0] for r in rows[1:]] == ["Ben Council", "Ann Council"]
    entry = db.session.execute(
        select(AuditEvent).where(AuditEvent.action == Action.EXPORTED.value)
    ).scalar_one()
    assert entry.detail == "learners.csv, 2 rows, filtered by organisation Barnsley Council"
    everyone = _csv(client.get(f"{base}/export/progress.csv"))
    assert len(everyone) == 4


def test_organisation_lead_downloads_their_own_staff_only(cast, as_user):
    """Lee leads Barnsley Council: Cat (the ICB) is never in his downloads, whatever he asks."""
    cat = cast.learners[2]
    client = as_user(cast.lead)
    dashboard = client.get(f"/cohorts/{cast.cohort.id}")
    body = text_of(dashboard)
    assert "Download your organisation's learners" in body
    assert "your organisation's staff only" in body
    assert "Cat Health" not in body
    assert "South Yorkshire ICB" not in body  # not even as a filter option
    base = f"/cohorts/{cast.cohort.id}/export"
    for what in ("progress", "learners"):
        rows = _csv(client.get(f"{base}/{what}.csv"))
        assert [r[0] for r in rows[1:]] == ["Ann Council", "Ben Council"]
        assert cat.email not in str(rows)
        forged = _csv(client.get(f"{base}/{what}.csv?organisation=South+Yorkshire+ICB&q=cat"))
        assert cat.email not in str(forged)
        assert len(forged) == 1  # the headings, no one else's staff
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(client.get(f"{base}/learners.xlsx").get_data()))
    names = [row[0] for row in book.active.iter_rows(min_row=2, values_only=True)]
    assert names == ["Ann Council", "Ben Council"]


def test_a_lead_whose_organisation_has_no_learners_downloads_no_one(cast, as_user):
    from tests.factories import make_organisation

    other = make_organisation("Doncaster Council")
    other_lead = make_user(name="Dot Lead", organisation_id=other.id)
    enrol(cast.cohort, other_lead, "organisation_lead")
    client = as_user(other_lead)
    rows = _csv(client.get(f"/cohorts/{cast.cohort.id}/export/learners.csv"))
    assert rows[1:] == []  # none of the cohort's learners work for Doncaster
