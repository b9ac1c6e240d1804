"""Benchmark: the cohort dashboard at 100, 200 and 1,000 learners on the 30-lesson course.

    .venv/bin/python bench/dashboard.py [--runs 7]

Builds a fresh SQLite database (migrations), a cohort of 100 and one of 1,000 learners with realistic
progress (most keep up, some lag, a few never start), attendance at six past sessions, then times
GET /cohorts/<id> as the cohort's programme manager, in-process (median of several runs), and counts
its SQL statements. The page works out its figures, at-risk reasons, funnel and mix over every
learner and draws the first page (100 rows) of its tables. Also timed: the full CSV export of the
1,000 learners' progress (every row), and the bytes on the wire for the 1,000-learner page when the
browser accepts Brotli. Garbage collection is tuned as in production (leaders.runtime.tune_gc).
Targets (issue 19): ms_200 < 12, ms_1000 < 60, export_1000_ms < 150, at most 12 queries, growth no
worse than linear, wire_kb_1000 < 100. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import _production as production  # noqa: E402  (bench/_production.py)

PASSWORD = "bench-harbour-lantern-copper"


def build(app, sizes: list[int]) -> dict[int, int]:
    """One cohort per size, with learners, progress and attendance. Returns size → cohort id."""
    from sqlalchemy import insert

    from leaders.auth.models import Role
    from leaders.auth.services import create_user
    from leaders.catalogue.store import get_catalogue
    from leaders.cohorts.models import Attendance, Cohort, CohortMember, CohortModule, CohortSession
    from leaders.extensions import db
    from leaders.learning.models import LessonProgress
    from leaders.organisations.models import Organisation

    rng = random.Random(7)
    course = get_catalogue().course("leading-your-place")
    lessons = course.lessons
    assert len(lessons) >= 30, len(lessons)  # the course has grown; the bench completes up to 30
    now = datetime.now(UTC)
    sectors = [
        "local_government",
        "nhs",
        "police",
        "fire_and_rescue",
        "education",
        "voluntary_and_community",
    ]
    orgs = [Organisation(name=f"Body {i}", sector=sectors[i % len(sectors)]) for i in range(20)]
    db.session.add_all(orgs)
    manager = create_user(
        "manager@bench.example", "Bench Manager", password=PASSWORD, role=Role.PROGRAMME_MANAGER
    )
    db.session.flush()
    cohorts = {}
    user_n = 0
    for size in sizes:
        cohort = Cohort(
            course_key=course.key,
            name=f"Bench {size}",
            starts_on=date(2026, 1, 5),
            ends_on=date(2026, 12, 1),
        )
        db.session.add(cohort)
        db.session.flush()
        cohorts[size] = cohort.id
        db.session.add(
            CohortMember(cohort_id=cohort.id, user_id=manager.id, role="programme_manager")
        )
        for i, module in enumerate(course.modules):
            opens = date(2026, 1, 5) + timedelta(days=30 * i)
            db.session.add(
                CohortModule(
                    cohort_id=cohort.id,
                    module_key=module.key,
                    opens_on=opens,
                    due_on=opens + timedelta(days=35),
                )
            )
        users = []
        for i in range(size):
            user_n += 1
            users.append(
                {
                    "email": f"learner{user_n}@bench.example",
                    # A bulk insert skips the model's validator, so the lookup key is set here.
                    "email_key": f"learner{user_n}@bench.example",
                    "name": f"Learner {user_n}",
                    "job_title": "Head of Service",
                    "role": "learner",
                    "active": True,
                    "session_version": 1,
                    "created_at": now,
                    "organisation_id": orgs[i % len(orgs)].id,
                    "password_hash": None,
                    "last_sign_in_at": None
                    if i % 20 == 0
                    else now - timedelta(days=rng.randint(0, 30)),
                    "last_active_at": None
                    if i % 20 == 0
                    else now - timedelta(days=rng.randint(0, 30)),
                }
            )
        from leaders.auth.models import User

        ids = [row[0] for row in db.session.execute(insert(User).returning(User.id), users)]
        db.session.execute(
            insert(CohortMember),
            [
                {"cohort_id": cohort.id, "user_id": uid, "role": "learner", "added_at": now}
                for uid in ids
            ],
        )
        progress = []
        for uid in ids:
            done = rng.choice([30, 28, 24, 20, 16, 12, 8, 4, 0])
            for lesson in lessons[:done]:
                when = now - timedelta(days=rng.randint(1, 200))
                progress.append(
                    {
                        "user_id": uid,
                        "lesson_key": lesson.key,
                        "first_viewed_at": when,
                        "last_viewed_at": when,
                        "completed_at": when,
                        "version_completed": lesson.version,
                    }
                )
        db.session.execute(insert(LessonProgress), progress)
        sessions = [
            CohortSession(
                cohort_id=cohort.id,
                title=f"Workshop {k}",
                kind="workshop",
                starts_at=now - timedelta(days=30 * k),
                location="",
            )
            for k in range(1, 7)
        ]
        db.session.add_all(sessions)
        db.session.flush()
        db.session.execute(
            insert(Attendance),
            [
                {
                    "session_id": s.id,
                    "user_id": uid,
                    "status": rng.choices(["present", "apologies", "absent"], [85, 10, 5])[0],
                    "recorded_at": now,
                }
                for s in sessions
                for uid in ids
            ],
        )
        db.session.commit()
    return cohorts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        from flask_migrate import upgrade
        from sqlalchemy import event

        from leaders.extensions import db

        app = production.in_process_app(tmp, "b")
        with app.app_context():
            upgrade()
            started = time.perf_counter()
            cohorts = build(app, [100, 200, 1000])
            print(
                f"built cohorts of 100, 200 and 1,000 learners in {time.perf_counter() - started:.1f} s"
            )
            engine = db.engine
        client = app.test_client()
        production.sign_in(client, "manager@bench.example", PASSWORD)

        from leaders.runtime import tune_gc

        def timed(path: str) -> float:
            runs = []
            for _ in range(args.runs):
                started = time.perf_counter()
                response = client.get(path)
                runs.append(time.perf_counter() - started)
                assert response.status_code == 200, path
            return statistics.median(runs) * 1000

        for cohort_id in cohorts.values():
            client.get(f"/cohorts/{cohort_id}")  # warm
        tune_gc()  # as each gunicorn worker does once the app is loaded
        ms = {size: timed(f"/cohorts/{cohort_id}") for size, cohort_id in cohorts.items()}
        export_path = f"/cohorts/{cohorts[1000]}/export/progress.csv"
        exported = client.get(export_path)
        rows = exported.get_data(as_text=True).count("\n") - 1
        assert exported.status_code == 200
        assert rows >= 1000, rows
        export_ms = timed(export_path)
        plain = client.get(f"/cohorts/{cohorts[1000]}")
        wire = client.get(f"/cohorts/{cohorts[1000]}", headers={"Accept-Encoding": "br, gzip"})
        assert wire.headers.get("Content-Encoding") == "br"
        wire_kb = len(wire.data) / 1024
        statements: list[str] = []
        listener = lambda *a: statements.append(a[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        client.get(f"/cohorts/{cohorts[1000]}")
        event.remove(engine, "before_cursor_execute", listener)
        growth = (ms[1000] / 1000) / (ms[100] / 100)
        print(f"dashboard, 100 learners:   {ms[100]:.1f} ms (median of {args.runs})")
        print(
            f"dashboard, 200 learners:   {ms[200]:.1f} ms (median of {args.runs}); target < 12 ms"
        )
        print(
            f"dashboard, 1,000 learners: {ms[1000]:.1f} ms (median of {args.runs}); target < 60 ms"
        )
        print(f"SQL statements per dashboard: {len(statements)} (target <= 12)")
        print(f"CSV export of {rows} learners' progress: {export_ms:.1f} ms; target < 150 ms")
        print(
            f"1,000-learner page on the wire: {wire_kb:.1f} KB with Brotli "
            f"({len(plain.data) / 1024:.0f} KB uncompressed); target < 100 KB"
        )
        print(
            f"time per learner at 1,000 / at 100: {growth:.2f} (1.0 = linear; below 1 = better than linear)"
        )
        print(
            json.dumps(
                {
                    "ms_100": round(ms[100], 1),
                    "ms_200": round(ms[200], 1),
                    "ms_1000": round(ms[1000], 1),
                    "export_1000_ms": round(export_ms, 1),
                    "queries": len(statements),
                    "growth_per_learner_1000_vs_100": round(growth, 3),
                    "wire_kb_1000": round(wire_kb, 1),
                }
            )
        )


if __name__ == "__main__":
    main()
