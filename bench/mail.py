"""Benchmark: a cohort import of 60 learners, its invitations sent through the job queue.

    .venv/bin/python bench/mail.py

A real SMTP server (aiosmtpd) on a free loopback port answers each message after 1 s, and is down
(connection refused) for the first 20 s of each run. The import is confirmed through the real page
(in-process test client) on a fresh SQLite database; then `flask worker` consumers (one, then two,
in separate processes) deliver the invitations. Prints the import request's time, the time until
every invitation was delivered, and counts. Target: the import request under 1 s, 60 delivered,
0 duplicates, 0 lost. The last line is one JSON object (the two-consumer run).
"""

from __future__ import annotations

import io
import json
import os
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LEARNERS = 60
DOWN_FOR = 20.0


def run(consumers: int) -> dict:
    from flask_migrate import upgrade

    from leaders import create_app
    from leaders.extensions import db
    from leaders.outbox import Email
    from tests.cohorts.conftest import Cast
    from tests.factories import PASSWORD
    from tests.helpers import plan_field
    from tests.queue.consumer import Consumer, environment, wait_for
    from tests.queue.smtp import SmtpServer

    folder = Path(tempfile.mkdtemp(prefix="leaders-bench-mail-"))
    database = f"sqlite:///{folder / 'bench.sqlite'}"
    queue_url = f"sqlite:///{folder / 'queue.sqlite'}"
    smtp = SmtpServer()
    smtp.handler.data_delay = 1.0
    settings = smtp.settings() | {
        "SQLALCHEMY_DATABASE_URI": database,
        "QUEUE_URL": queue_url,
        "QUEUE_IMMEDIATE": False,
        "RATELIMIT_ENABLED": False,
        "WTF_CSRF_ENABLED": False,  # the bench times the import, not the form checks
    }
    app = create_app("test", settings)
    with app.app_context():
        upgrade()
        cast = Cast()
        cohort_id = cast.cohort.id
        client = app.test_client()
        signed = client.post("/sign-in", data={"email": cast.manager.email, "password": PASSWORD})
        assert signed.status_code == 302, signed.status_code
        rows = "".join(
            f"Learner {i},learner{i}@bench.example,Barnsley Council,Officer,learner\n"
            for i in range(LEARNERS)
        )
        csv = "name,email,organisation,job title,cohort role\n" + rows
        upload = client.post(
            f"/cohorts/{cohort_id}/people/import",
            data={"file": (io.BytesIO(csv.encode()), "p.csv")},
            content_type="multipart/form-data",
        )
        assert upload.status_code == 302, (
            upload.status_code,
            re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", upload.get_data(as_text=True)))[:1500],
        )
        location = upload.headers["Location"]
        confirm = client.get(location)
        fields = {"plan": plan_field(confirm)}
        for name in re.findall(r'name="(sector-\d+)"', confirm.get_data(as_text=True)):
            fields[name] = "local_government"

        started = time.monotonic()  # the SMTP server is down from here for DOWN_FOR seconds
        env = environment(
            database,
            queue_url,
            folder,
            smtp.settings(),
            QUEUE_RETRY_BASE_SECONDS=2,
            QUEUE_WORKERS=4,
        )
        workers = [
            Consumer(env, folder / f"consumer-{n}.log", workers=4).start() for n in range(consumers)
        ]
        t0 = time.monotonic()
        done = client.post(location, data=fields)
        import_request_s = time.monotonic() - t0
        assert done.status_code == 302, done.status_code
        time.sleep(max(0.0, DOWN_FOR - (time.monotonic() - started)))
        smtp.start()

        def all_sent() -> bool:
            db.session.expire_all()
            return db.session.query(Email).filter(Email.status == "sent").count() >= LEARNERS

        try:
            wait_for(all_sent, timeout=300, what="every invitation")
            all_delivered_s = time.monotonic() - t0
            time.sleep(2)  # anything sent twice would arrive now
        finally:
            for worker in workers:
                worker.stop()
            smtp.stop()
        counts = Counter(smtp.handler.recipients())
        expected = {f"learner{i}@bench.example" for i in range(LEARNERS)}
        result = {
            "import_request_s": round(import_request_s, 3),
            "all_delivered_s": round(all_delivered_s, 1),
            "delivered": len(expected & set(counts)),
            "duplicates": sum(n - 1 for n in counts.values()),
            "lost": len(expected - set(counts)),
            "consumers": consumers,
        }
        db.session.remove()
        db.engine.dispose()
    return result


def main() -> None:
    os.environ.setdefault("LEADERS_CONFIG", "test")
    for consumers in (1, 2):
        result = run(consumers)
        print(
            f"{consumers} consumer(s): import request {result['import_request_s']} s, every "
            f"invitation delivered after {result['all_delivered_s']} s (server down for the first "
            f"{DOWN_FOR:.0f} s, 1 s a message); delivered {result['delivered']}, duplicates "
            f"{result['duplicates']}, lost {result['lost']}"
        )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
