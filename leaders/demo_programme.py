"""Demo programme data for development: organisations, three cohorts, progress, attendance.

Deterministic (a fixed random seed) and idempotent (a cohort that exists is left alone), so
`make run` can call it every time. Dates are relative to today, so the dashboard always shows a
programme in flight: some modules open, some due, a few learners at risk.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from leaders.auth.models import User
from leaders.catalogue.model import Catalogue
from leaders.cohorts.models import (
    Attendance,
    Cohort,
    CohortMember,
    CohortModule,
    CohortSession,
)
from leaders.extensions import db
from leaders.learning.journal import render_reflection
from leaders.learning.models import JournalEntry, LessonProgress, QuizAttempt
from leaders.organisations.models import Organisation
from leaders.places.models import Place
from leaders.timeutil import UK, uk_today, utcnow

COURSE = "leading-your-place"

# name, sector, GSS code of the place it mainly serves (None: national or regional body)
ORGANISATIONS = [
    ("Barnsley Metropolitan Borough Council", "local_government", "E08000016"),
    ("Sheffield City Council", "local_government", "E08000019"),
    ("City of Doncaster Council", "local_government", "E08000017"),
    ("Rotherham Metropolitan Borough Council", "local_government", "E08000018"),
    ("NHS South Yorkshire Integrated Care Board", "nhs", "E08000019"),
    ("Sheffield Teaching Hospitals NHS Foundation Trust", "nhs", "E08000019"),
    ("Barnsley Hospital NHS Foundation Trust", "nhs", "E08000016"),
    ("South Yorkshire Police", "police", "E08000019"),
    ("South Yorkshire Fire and Rescue", "fire_and_rescue", "E08000019"),
    ("South Yorkshire Mayoral Combined Authority", "combined_authority", "E08000019"),
    ("Barnsley College", "education", "E08000016"),
    ("Sheffield Hallam University", "education", "E08000019"),
    ("Voluntary Action Sheffield", "voluntary_and_community", "E08000019"),
    ("Kent County Council", "local_government", "E10000016"),
    ("Maidstone Borough Council", "local_government", "E07000110"),
    ("Medway Council", "local_government", "E06000035"),
    ("NHS Kent and Medway Integrated Care Board", "nhs", "E10000016"),
    ("Kent Police", "police", "E10000016"),
    ("Kent Fire and Rescue Service", "fire_and_rescue", "E10000016"),
    ("Cumberland Council", "local_government", "E06000063"),
    ("Westmorland and Furness Council", "local_government", "E06000064"),
    ("North Cumbria Integrated Care NHS Foundation Trust", "nhs", "E06000063"),
    ("Cumbria Police", "police", "E06000063"),
    ("Jobcentre Plus (Department for Work and Pensions)", "central_government", None),
    ("Business in the Community", "business", None),
]

JOB_TITLES = {
    "local_government": [
        "Head of Housing",
        "Assistant Director, Adult Social Care",
        "Head of Regeneration",
        "Service Manager, Children's Services",
        "Head of Public Health",
        "Head of Policy",
    ],
    "nhs": [
        "Clinical Lead, Community Services",
        "Director of Strategy",
        "Head of Nursing",
        "Associate Director of Transformation",
        "Consultant in Public Health",
    ],
    "police": ["Superintendent", "Chief Inspector, Neighbourhood Policing", "Head of Partnerships"],
    "fire_and_rescue": ["Station Manager", "Group Manager, Prevention", "Head of Community Safety"],
    "combined_authority": [
        "Head of Skills",
        "Head of Economic Strategy",
        "Programme Director, Transport",
    ],
    "education": [
        "Vice Principal",
        "Head of Employer Partnerships",
        "Director of Civic Engagement",
    ],
    "voluntary_and_community": ["Chief Executive", "Head of Community Development"],
    "central_government": ["Partnership Manager", "District Operations Leader"],
    "business": ["Regional Director"],
}

FIRST = [
    "Aisha",
    "Ben",
    "Chloe",
    "Daniel",
    "Emma",
    "Farhan",
    "Grace",
    "Harry",
    "Imogen",
    "Jack",
    "Kiran",
    "Laura",
    "Mohammed",
    "Nadia",
    "Oliver",
    "Priya",
    "Rachel",
    "Sam",
    "Tariq",
    "Uma",
    "Victoria",
    "Will",
    "Yasmin",
    "Zoe",
    "Adam",
    "Bethany",
    "Callum",
    "Deborah",
    "Ethan",
    "Fiona",
    "Gareth",
    "Hannah",
    "Isaac",
    "Jasmine",
    "Kwame",
    "Lucy",
    "Martin",
    "Niamh",
    "Owen",
    "Paula",
]
LAST = [
    "Ahmed",
    "Baker",
    "Clarke",
    "Dixon",
    "Evans",
    "Fletcher",
    "Green",
    "Hussain",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Murphy",
    "Nowak",
    "O'Brien",
    "Patel",
    "Quinn",
    "Robinson",
    "Shah",
    "Taylor",
    "Upton",
    "Varley",
    "Walker",
    "Young",
    "Begum",
    "Chowdhury",
    "Edwards",
    "Foster",
    "Hughes",
    "Mensah",
]

# cohort name, days since it started, number of learners, the organisations it draws from (indexes)
COHORTS = [
    ("South Yorkshire 2026", 85, 30, range(0, 13)),
    ("Kent and Medway 2026", 45, 24, [13, 14, 15, 16, 17, 18, 23, 24]),
    ("Cumbria 2026", 16, 20, [19, 20, 21, 22, 23]),
]

REFLECTIONS = [
    "Our approach to delayed discharges has been treated as a capacity problem. It is wicked: it crosses "
    "social care, housing and the hospital, and each of us has been solving our own bit.",
    "I realised I had never spoken to the fire service's prevention team about falls, although we visit "
    "the same homes. I have arranged a call for next week.",
    "Our town's history in mining still shapes how people feel about work and training. Any plan for skills "
    "needs to start from that pride, not ignore it.",
    "We have the **data**, but not a shared story. The next step is a one-page narrative agreed by all partners.",
]


def seed_programme(
    catalogue: Catalogue, demo_users: dict[str, User], now: datetime | None = None
) -> Iterator[str]:
    """Organisations and three cohorts with a programme in flight. Yields lines to print."""
    now = now or utcnow()
    today = uk_today(now)
    rng = random.Random(2026)
    course = catalogue.course(COURSE)
    if course is None:
        yield f"Demo programme skipped: the course {COURSE} is not in the content."
        return
    orgs = _organisations()
    yield f"  {len(orgs)} organisations across {len({o.sector for o in orgs})} sectors"
    shared_hash = generate_password_hash(rng.getrandbits(128).to_bytes(16, "big").hex())
    for index, (name, started_days_ago, size, org_indexes) in enumerate(COHORTS):
        if db.session.execute(select(Cohort.id).where(Cohort.name == name)).first():
            yield f"  {name}: already there"
            continue
        starts = today - timedelta(days=started_days_ago)
        cohort = Cohort(
            course_key=COURSE, name=name, starts_on=starts, ends_on=starts + timedelta(days=300)
        )
        db.session.add(cohort)
        db.session.flush()
        _schedule(cohort, course, starts)
        staff = [(demo_users["manager"], "programme_manager")]
        if index == 0:
            staff += [
                (demo_users["facilitator"], "facilitator"),
                (demo_users["lead"], "organisation_lead"),
            ]
        for user, role in staff:
            db.session.add(CohortMember(cohort_id=cohort.id, user_id=user.id, role=role))
        learners = _learners(rng, index, size, [orgs[i] for i in org_indexes], shared_hash, now)
        if index == 0:
            learners.insert(0, demo_users["learner"])
        if index == 1:
            learners.insert(0, demo_users["learner2"])
        for user in learners:
            db.session.add(CohortMember(cohort_id=cohort.id, user_id=user.id, role="learner"))
        db.session.flush()
        schedule = {
            m.module_key: m
            for m in db.session.execute(
                select(CohortModule).where(CohortModule.cohort_id == cohort.id)
            ).scalars()
        }
        demo_ids = {demo_users["learner"].id, demo_users["learner2"].id}
        for position, user in enumerate(learners):
            if user.id in demo_ids:
                _demo_learner_progress(user, course, now)
            else:
                _progress(rng, user, course, schedule, today, now, position, cohort.id)
        _sessions(rng, cohort, learners, starts, now)
        if index == 0:
            _network(rng, cohort, learners, now)
            _demo_learning_set(cohort, learners[:6])
        yield f"  {name}: {len(learners)} learners, started {starts:%d %B %Y}"


def _organisations() -> list[Organisation]:
    known = {o.name.lower(): o for o in db.session.execute(select(Organisation)).scalars()}
    places = set(db.session.execute(select(Place.code)).scalars())
    result = []
    for name, sector, code in ORGANISATIONS:
        org = known.get(name.lower())
        if org is None:
            org = Organisation(
                name=name, sector=sector, place_code=code if code in places else None
            )
            db.session.add(org)
        result.append(org)
    db.session.flush()
    return result


def _schedule(cohort: Cohort, course, starts: date) -> None:
    """The introduction and module 1 open at the start; one module a month after that, due a month on."""
    for i, module in enumerate(course.modules):
        opens = starts + timedelta(days=30 * max(0, i - 1))
        db.session.add(
            CohortModule(
                cohort_id=cohort.id,
                module_key=module.key,
                opens_on=opens,
                due_on=opens + timedelta(days=35),
            )
        )


def _learners(rng, cohort_index, size, orgs, password_hash, now) -> list[User]:
    users = []
    for n in range(size):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        org = orgs[n % len(orgs)]
        email = f"{first}.{last}.{cohort_index}{n}@example.org".lower().replace("'", "")
        user = db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()
        if user is None:
            user = User(
                email=email,
                name=f"{first} {last}",
                job_title=rng.choice(JOB_TITLES[org.sector]),
                organisation_id=org.id,
                password_hash=password_hash,
                role="learner",
            )
            db.session.add(user)
        users.append(user)
    db.session.flush()
    return users


def _progress(rng, user, course, schedule, today, now, position, cohort_id) -> None:
    """Most learners keep up; some lag; a few never start or drift away (the at-risk cases)."""
    kind = "never" if position % 13 == 5 else "drifted" if position % 11 == 3 else None
    # Most finish each module by its due date; a few fall behind on one; current modules are part done.
    behind_on = rng.choice([None] * 6 + ["one"])
    pace_now = rng.choice([1.0, 0.8, 0.6, 0.5, 0.3])
    if kind == "never":
        return  # invited, never signed in
    last_active = now - timedelta(days=rng.randint(0, 5))
    if kind == "drifted":
        last_active = now - timedelta(days=rng.randint(18, 30))
    user.last_sign_in_at = last_active - timedelta(hours=rng.randint(0, 48))
    user.last_active_at = last_active
    lagging_module = None
    for module in course.modules:
        row = schedule.get(module.key)
        if row and row.opens_on and row.opens_on > today:
            break
        due_passed = bool(row and row.due_on and row.due_on < today)
        if due_passed and behind_on and lagging_module is None and rng.random() < 0.5:
            lagging_module = module.key
        if kind == "drifted":
            pace = 0.5
        elif due_passed and module.key != lagging_module:
            pace = 1.0
        else:
            pace = pace_now if not due_passed else 0.5
        for lesson in module.lessons:
            if rng.random() > pace:
                continue
            when = min(
                now,
                datetime.combine(row.opens_on if row else today, time(12), tzinfo=UK)
                + timedelta(days=rng.randint(1, 20), hours=rng.randint(0, 8)),
            )
            if kind == "drifted":
                when = min(when, last_active)
            db.session.add(
                LessonProgress(
                    user_id=user.id,
                    lesson_key=lesson.key,
                    first_viewed_at=when,
                    last_viewed_at=when,
                    completed_at=when,
                    version_completed=lesson.version,
                )
            )
            for quiz in lesson.quizzes:
                total = len(quiz.questions)
                first_score = max(0, total - rng.randint(1, 3))
                db.session.add(
                    QuizAttempt(
                        user_id=user.id,
                        quiz_key=quiz.key,
                        quiz_version=quiz.version,
                        answers=[
                            [q.options.index(next(o for o in q.options if o.correct))]
                            for q in quiz.questions
                        ],
                        score=first_score,
                        total=total,
                        passed=None
                        if quiz.pass_mark is None
                        else 100 * first_score >= quiz.pass_mark * total,
                        created_at=when - timedelta(minutes=6),
                    )
                )
                if quiz.pass_mark and 100 * first_score < quiz.pass_mark * total:
                    db.session.add(
                        QuizAttempt(
                            user_id=user.id,
                            quiz_key=quiz.key,
                            quiz_version=quiz.version,
                            answers=[],
                            score=total,
                            total=total,
                            passed=True,
                            created_at=when - timedelta(minutes=2),
                        )
                    )
            for prompt in lesson.prompts:
                if rng.random() < 0.6:
                    text = rng.choice(REFLECTIONS)
                    db.session.add(
                        JournalEntry(
                            user_id=user.id,
                            cohort_id=cohort_id,
                            prompt_key=prompt.key,
                            body=text,
                            body_html=render_reflection(text),
                            visibility=rng.choice(["private", "private", "facilitators", "cohort"]),
                            created_at=when,
                            updated_at=when,
                        )
                    )


def _demo_learner_progress(user, course, now) -> None:
    """The demo learner has finished the introduction, so "continue" points at module 1."""
    for lesson in course.modules[0].lessons:
        when = now - timedelta(days=3)
        db.session.add(
            LessonProgress(
                user_id=user.id,
                lesson_key=lesson.key,
                first_viewed_at=when,
                last_viewed_at=when,
                completed_at=when,
                version_completed=lesson.version,
            )
        )


def _sessions(rng, cohort, learners, starts, now) -> None:
    """A workshop every four weeks and a learning set meeting in between; registers for past ones."""
    day = starts
    number = 1
    while day <= cohort.ends_on:
        for title, kind, offset in (
            (f"Workshop {number}", "workshop", 0),
            (f"Learning sets, round {number}", "learning_set", 14),
        ):
            when = datetime.combine(
                day + timedelta(days=offset), time(9, 30), tzinfo=UK
            ).astimezone(UTC)
            session = CohortSession(
                cohort_id=cohort.id,
                title=title,
                kind=kind,
                starts_at=when,
                location="Town hall" if kind == "workshop" else "Online",
            )
            db.session.add(session)
            db.session.flush()
            if when < now:
                for position, user in enumerate(learners):
                    if user.last_sign_in_at is None and position % 13 == 5:
                        status = "absent"
                    else:
                        status = rng.choices(["present", "apologies", "absent"], [85, 10, 5])[0]
                    db.session.add(
                        Attendance(session_id=session.id, user_id=user.id, status=status)
                    )
        day += timedelta(days=28)
        number += 1


def _network(rng, cohort, learners, now) -> None:
    """Two survey waves in which ties grow across sectors, and some declared ties.

    Baseline (closed): people mostly know others in their own sector. Midpoint (open now, the
    cohort being a third of the way through; the end-of-programme survey waits for the end): more
    people have worked with people from other sectors, as a programme like this intends. Only
    people who have signed in answer a survey or declare a tie.
    """
    from leaders.network.models import SurveyAnswer, SurveyResponse, SurveyWave, Tie

    sector = {u.id: _sector_of(u) for u in learners}
    ids = [u.id for u in learners]
    signed_in = {u.id for u in learners if u.last_sign_in_at is not None}
    waves = [
        ("baseline", now - timedelta(days=80), now - timedelta(days=66), 0.10, 0.01),
        ("midpoint", now - timedelta(days=2), None, 0.16, 0.10),
    ]
    known: set[tuple[int, int]] = set()
    for name, opened, closed, same_p, cross_p in waves:
        wave = SurveyWave(cohort_id=cohort.id, name=name, opened_at=opened, closed_at=closed)
        db.session.add(wave)
        db.session.flush()
        for a in ids:
            if a not in signed_in or rng.random() < 0.12:
                continue  # some never answer
            db.session.add(
                SurveyResponse(
                    wave_id=wave.id, respondent_id=a, submitted_at=opened + timedelta(days=3)
                )
            )
            for b in ids:
                if a == b:
                    continue
                pair = (min(a, b), max(a, b))
                chance = same_p if sector[a] == sector[b] else cross_p
                knew = name == "baseline" and rng.random() < chance
                worked = pair in known or rng.random() < chance
                if knew or worked:
                    known.add(pair)
                    db.session.add(
                        SurveyAnswer(
                            wave_id=wave.id,
                            respondent_id=a,
                            other_id=b,
                            knew_before=knew,
                            worked_with=worked,
                        )
                    )
    kinds = ["worked_together", "met_at_session", "introduced", "mentoring"]
    declarable = sorted(pair for pair in known if pair[0] in signed_in)
    for a, b in rng.sample(declarable, min(25, len(declarable))):
        db.session.add(
            Tie(cohort_id=cohort.id, user_a_id=a, user_b_id=b, kind=rng.choice(kinds), created_by=a)
        )


def _demo_learning_set(cohort, members) -> None:
    """A confirmed learning set for the demo learner (first), where two others share with the set."""
    from leaders.network.models import LearningSet, LearningSetMember

    learning_set = LearningSet(cohort_id=cohort.id, name="Set 1")
    db.session.add(learning_set)
    db.session.flush()
    for user in members:
        db.session.add(
            LearningSetMember(cohort_id=cohort.id, set_id=learning_set.id, user_id=user.id)
        )
    entries = db.session.execute(
        select(JournalEntry)
        .where(JournalEntry.user_id.in_([u.id for u in members[1:]]))
        .order_by(JournalEntry.user_id, JournalEntry.id)
    ).scalars()
    authors: set[int] = set()
    for entry in entries:
        if entry.visibility == "private" and entry.user_id not in authors and len(authors) < 3:
            entry.visibility = "learning_set"
            authors.add(entry.user_id)


def _sector_of(user) -> str | None:
    org = db.session.get(Organisation, user.organisation_id) if user.organisation_id else None
    return org.sector if org else None
