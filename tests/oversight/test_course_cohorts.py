"""All the cohorts of a course side by side (issue 14 point 11), and the audit log's sorting."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

from leaders import audit
from leaders.audit import Action
from leaders.cohorts.models import Attendance, CohortSession
from leaders.extensions import db
from leaders.network.models import SurveyAnswer, SurveyWave, Tie
from leaders.timeutil import utcnow
from tests.helpers import text_of

PAGE = "/courses/sample-course/cohorts"


def _rows(response) -> list[str]:
    """Each cohort row's text, in the order shown."""
    html = response.get_data(as_text=True)
    body = html[html.index('<tbody class="govuk-table__body">') :]
    body = body[: body.index("</tbody>")]
    return [
        " ".join(re.sub(r"<[^>]+>", " ", row).split())
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def _networked(cast) -> None:
    """Baseline: Ann and Ben (both council) worked together. End: that, and Ann with Cat (NHS):
    one new cross-sector tie. Ben and Cat's declared tie is not a survey answer: not counted."""
    ann, ben, cat = cast.learners
    baseline = SurveyWave(cohort_id=cast.cohort.id, name="baseline")
    end = SurveyWave(cohort_id=cast.cohort.id, name="end")
    db.session.add_all([baseline, end])
    db.session.flush()
    db.session.add_all(
        [
            SurveyAnswer(
                wave_id=baseline.id, respondent_id=ann.id, other_id=ben.id, worked_with=True
            ),
            SurveyAnswer(wave_id=end.id, respondent_id=ann.id, other_id=ben.id, worked_with=True),
            SurveyAnswer(wave_id=end.id, respondent_id=ann.id, other_id=cat.id, worked_with=True),
            Tie(
                cohort_id=cast.cohort.id,
                user_a_id=min(ben.id, cat.id),
                user_b_id=max(ben.id, cat.id),
                kind="mentoring",
            ),
        ]
    )
    session = CohortSession(
        cohort_id=cast.cohort.id, title="W1", starts_at=utcnow() - timedelta(days=2)
    )
    db.session.add(session)
    db.session.flush()
    db.session.add_all(
        [
            Attendance(session_id=session.id, user_id=ann.id, status="present"),
            Attendance(session_id=session.id, user_id=ben.id, status="absent"),
        ]
    )
    db.session.commit()


def test_a_manager_compares_the_cohorts_they_run_and_an_admin_every_cohort(cast, as_user):
    _networked(cast)
    client = as_user(cast.manager)
    response = client.get(PAGE)
    assert response.status_code == 200
    rows = _rows(response)
    # Tom runs South Yorkshire 2027 only: Kent 2027 (Olga's) is not his to see.
    assert rows == [
        "South Yorkshire 2027 1 January 2026 3 0% 33% 3 1 Baseline to end",
    ]
    html = response.get_data(as_text=True)
    assert 'aria-sort="descending"' in html  # newest first by default
    assert "govuk-table__header--numeric" in html
    # The cohorts list links here.
    assert PAGE in client.get("/cohorts").get_data(as_text=True)

    client.post("/sign-out", data={"csrf_token": _token(client)})
    admin = as_user(cast.admin)
    by_name = _rows(admin.get(f"{PAGE}?sort=cohort&dir=asc"))
    assert [r.split(" 2027")[0] for r in by_name] == ["Kent", "South Yorkshire"]
    assert by_name[0].endswith("Needs two survey waves")
    assert "No sessions yet" in by_name[0]
    assert admin.get("/courses/no-such-course/cohorts").status_code == 404


def _token(client) -> str:
    from tests.helpers import form_token

    return form_token(client.get("/home"))


def test_the_audit_log_sorts_by_a_column_and_its_csv_keeps_the_order(cast, as_user):
    for who in (cast.manager, cast.admin, cast.other_manager):
        audit.record_now(Action.EXPORTED, actor=who, cohort=cast.cohort.id, detail="marker")
    admin = as_user(cast.admin)
    args = f"cohort={cast.cohort.id}&action=exported"
    up = admin.get(f"/admin/audit?{args}&sort=who&dir=asc")
    body = text_of(up).split("Detail", 1)[1]  # the table, not the header's "Ada Admin"
    assert body.index("Ada Admin") < body.index("Olga Other") < body.index("Tom Manager")
    html = up.get_data(as_text=True)
    assert re.search(r'aria-sort="ascending"[^>]*>\s*<a [^>]*sort=who&amp;dir=desc', html)
    # The filters stay in the heading links and the CSV link carries the sort.
    assert f"cohort={cast.cohort.id}" in re.search(r'href="([^"]*sort=when[^"]*)"', html)[1]
    csv_link = re.search(r'href="(/admin/audit\.csv[^"]*)"', html)[1].replace("&amp;", "&")
    assert "sort=who" in csv_link
    rows = list(
        csv.reader(io.StringIO(admin.get(csv_link).get_data(as_text=True).lstrip("\ufeff")))
    )
    assert [r[1] for r in rows[1:]] == ["Ada Admin", "Olga Other", "Tom Manager"]
    down = text_of(admin.get(f"/admin/audit?{args}&sort=who&dir=desc")).split("Detail", 1)[1]
    assert down.index("Tom Manager") < down.index("Olga Other") < down.index("Ada Admin")
    # An unknown column falls back to newest first.
    assert admin.get(f"/admin/audit?{args}&sort=ip&dir=sideways").status_code == 200
