"""A cohort with known data for the report tests: who, what they completed, attended, scored, and
whom they named in two survey waves. Every expected figure is worked out by hand in KNOWN."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from leaders.auth.models import Role
from leaders.catalogue.store import get_catalogue
from leaders.cohorts.models import Attendance, CohortSession
from leaders.extensions import db
from leaders.learning.models import LessonProgress, QuizAttempt
from leaders.network.models import SurveyAnswer, SurveyResponse, SurveyWave
from leaders.places.models import Place
from leaders.timeutil import utcnow
from tests.factories import enrol, make_cohort, make_organisation, make_user

W = "sample-course/first-steps/welcome"
T = "sample-course/first-steps/working-together"
M = "sample-course/going-further/mapping-your-place"
N = "sample-course/going-further/next-steps"
EARLY = datetime(2026, 3, 1, 10, tzinfo=UTC)
LATE = datetime(2026, 6, 15, 10, tzinfo=UTC)


@dataclass
class Known:
    cohort: object
    other: object
    manager: object
    lead: object
    facilitator: object
    people: dict


def _at(when):
    return when


@pytest.fixture
def known(app) -> Known:
    db.session.add_all(
        [
            Place(code="E08000016", name="Barnsley", kind="metropolitan", country="England"),
            Place(code="E08000019", name="Sheffield", kind="metropolitan", country="England"),
        ]
    )
    db.session.commit()
    council = make_organisation("Barnsley Council", "local_government", "E08000016")
    trust = make_organisation("Sheffield Trust", "nhs", "E08000019")
    police = make_organisation("South Yorkshire Police", "police")
    cohort = make_cohort(name="Known 2026")
    other = make_cohort(name="Other 2026")
    manager = make_user(name="Mo Manager", role=Role.PROGRAMME_MANAGER)
    enrol(cohort, manager, "programme_manager")
    enrol(other, manager, "programme_manager")
    lead = make_user(name="Lee Lead", organisation_id=council.id)
    enrol(cohort, lead, "organisation_lead")
    facilitator = make_user(name="Fay Facilitator")
    enrol(cohort, facilitator, "facilitator")
    orgs = {"c": council, "t": trust, "p": police}
    people = {}
    for key in ["c1", "c2", "c3", "t1", "t2", "p1", "p2", "x"]:
        user = make_user(
            name=f"Learner {key.upper()}",
            organisation_id=orgs[key[0] if key != "x" else "c"].id,
            last_sign_in_at=EARLY,
        )
        enrol(cohort, user)
        people[key] = user
    people["x"].active = False  # erased: in no figure
    outsider = make_user(name="Otto Outsider", organisation_id=council.id, last_sign_in_at=EARLY)
    enrol(other, outsider)
    people["outsider"] = outsider

    done = {
        "c1": [W, T, M, N],
        "c2": [W, T],
        "c3": [W],
        "t1": [W, T, M],
        "t2": [],
        "p1": [W, T, M, N],
        "p2": [W],
        "x": [W, T, M, N],
        "outsider": [W],
    }
    for key, lessons in done.items():
        for lesson in lessons:
            db.session.add(
                LessonProgress(
                    user_id=people[key].id,
                    lesson_key=lesson,
                    completed_at=EARLY,
                    version_completed="v",
                )
            )
    # One completion after a period that ends on 1 June 2026.
    db.session.add(
        LessonProgress(
            user_id=people["p2"].id, lesson_key=N, completed_at=LATE, version_completed="v"
        )
    )

    s1 = CohortSession(
        cohort_id=cohort.id, title="Workshop 1", starts_at=datetime(2026, 3, 10, 9, tzinfo=UTC)
    )
    s2 = CohortSession(
        cohort_id=cohort.id, title="Workshop 2", starts_at=datetime(2026, 5, 10, 9, tzinfo=UTC)
    )
    s3 = CohortSession(
        cohort_id=cohort.id, title="Workshop 3", starts_at=utcnow() + timedelta(days=30)
    )
    db.session.add_all([s1, s2, s3])
    db.session.flush()
    marks = [
        (s1, "c1", "present"),
        (s1, "c2", "present"),
        (s1, "c3", "absent"),
        (s1, "t1", "apologies"),
        (s1, "p1", "present"),
        (s2, "c1", "present"),
        (s2, "t1", "present"),
        (s2, "t2", "absent"),
        (s2, "x", "present"),
    ]
    for session, key, status in marks:
        db.session.add(Attendance(session_id=session.id, user_id=people[key].id, status=status))

    catalogue = get_catalogue()
    quiz_t = catalogue.lessons[T].quizzes[0]
    quiz_m = catalogue.lessons[M].quizzes[0]
    for key, quiz, score, total, passed in [
        ("c1", quiz_t, 1, 2, True),
        ("c1", quiz_t, 2, 2, True),
        ("c2", quiz_t, 0, 2, False),
        ("t1", quiz_t, 1, 2, True),
        ("p1", quiz_m, 1, 1, None),
        ("x", quiz_t, 2, 2, True),
    ]:
        db.session.add(
            QuizAttempt(
                user_id=people[key].id,
                quiz_key=quiz.key,
                quiz_version="v",
                answers=[],
                score=score,
                total=total,
                passed=passed,
                created_at=EARLY,
            )
        )

    baseline = SurveyWave(cohort_id=cohort.id, name="baseline", opened_at=EARLY, closed_at=EARLY)
    end = SurveyWave(cohort_id=cohort.id, name="end", opened_at=LATE, closed_at=LATE)
    db.session.add_all([baseline, end])
    db.session.flush()
    answers = {
        baseline: [("c1", "c2", True, False), ("c1", "t1", False, True)],
        end: [
            ("c1", "c2", True, False),
            ("c1", "t1", False, True),
            ("c3", "p1", False, True),
            ("t2", "p2", False, True),
            ("c2", "t2", False, True),
        ],
    }
    for wave, rows in answers.items():
        for respondent in {r for r, *_ in rows}:
            db.session.add(SurveyResponse(wave_id=wave.id, respondent_id=people[respondent].id))
        for respondent, named, knew, worked in rows:
            db.session.add(
                SurveyAnswer(
                    wave_id=wave.id,
                    respondent_id=people[respondent].id,
                    other_id=people[named].id,
                    knew_before=knew,
                    worked_with=worked,
                )
            )
    db.session.commit()
    return Known(cohort, other, manager, lead, facilitator, people)
