"""Benchmark: a signed-in lesson page against a bare endpoint of the same app, served by gunicorn.

    .venv/bin/python bench/pages.py [--seconds 2] [--rounds 7] [--clients 4]

Starts gunicorn (2 sync workers, production settings, a fresh SQLite database), signs in a learner who is
in a cohort on the course (so every lesson view runs the cohort-gated upsert),
then alternates rounds of GET /healthz (no database, no templates) and GET of a lesson with a
knowledge check and a reflection, from several client threads over loopback. Prints the median
requests per second of each, the median of each round's ratio (lesson over the bare run just
before it: on a shared machine, neighbours come and go over seconds, so short rounds side by side
compare like with like), and the SQL queries one lesson page issues (counted in-process with the
same app). Target (issue 19): lesson page >= 60% of the bare endpoint, <= 4 queries.
The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import _production as production  # noqa: E402  (bench/_production.py)

LESSON = "/courses/leading-your-place/skills-and-aspiration/keeping-young-people-in-the-place"
EMAIL, PASSWORD = "bench@example.org", "bench-harbour-lantern-copper"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(env: dict[str, str]) -> None:
    """Migrate a fresh database and create the learner, in a child process with the bench's env."""
    code = (
        "from flask_migrate import upgrade\n"
        "from leaders import create_app\n"
        "from datetime import date\n"
        "from leaders.auth.services import create_user\n"
        "from leaders.cohorts.models import Cohort, CohortMember\n"
        "from leaders.extensions import db\n"
        "app = create_app('production')\n"
        "with app.app_context():\n"
        "    upgrade()\n"
        f"    user = create_user({EMAIL!r}, 'Bench Learner', password={PASSWORD!r})\n"
        "    cohort = Cohort(course_key='leading-your-place', name='Bench', starts_on=date(2026, 1, 1), ends_on=date(2027, 12, 31))\n"
        "    db.session.add(cohort); db.session.flush()\n"
        "    db.session.add(CohortMember(cohort_id=cohort.id, user_id=user.id, role='learner')); db.session.commit()\n"
    )
    subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True, capture_output=True)


def count_queries(env: dict[str, str]) -> int:
    """SQL statements for one signed-in lesson page, counted in-process (after a first view)."""
    code = f"""
import json, re
from sqlalchemy import event
from leaders import create_app
from leaders.extensions import db
app = create_app('production', {{'SESSION_COOKIE_SECURE': False, 'SESSION_COOKIE_NAME': 'session', 'PREFERRED_URL_SCHEME': 'http'}})
client = app.test_client()
page = client.get('/sign-in').get_data(as_text=True)
token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
assert client.post('/sign-in', data={{'email': {EMAIL!r}, 'password': {PASSWORD!r}, 'csrf_token': token}}).status_code == 302
client.get({LESSON!r})
statements = []
with app.app_context():
    engine = db.engine
event.listen(engine, 'before_cursor_execute', lambda *a: statements.append(a[2]))
assert client.get({LESSON!r}).status_code == 200
print(json.dumps(len(statements)))
"""
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if out.returncode:
        raise SystemExit(f"counting queries failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


class Client:
    def __init__(self, port: int) -> None:
        self.port = port
        self.cookie = ""

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str, dict]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read().decode()
        cookies = response.headers.get_all("Set-Cookie") or []
        for cookie in cookies:
            self.cookie = cookie.split(";", 1)[0]
        conn.close()
        return response.status, data, dict(response.headers)

    def sign_in(self) -> None:
        _, page, _ = self.request("GET", "/sign-in")
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        form = urlencode({"email": EMAIL, "password": PASSWORD, "csrf_token": token})
        status, _, _ = self.request("POST", "/sign-in", form)
        assert status == 302, f"sign-in failed: {status}"


def hammer(port: int, cookie: str, path: str, seconds: float, clients: int) -> float:
    """Requests per second for `path` from `clients` threads for `seconds` (all must be 200)."""
    done = [0] * clients
    errors: list[str] = []
    stop = time.perf_counter() + seconds

    def worker(i: int) -> None:
        client = Client(port)
        client.cookie = cookie
        while time.perf_counter() < stop:
            status, _, _ = client.request("GET", path)
            if status != 200:
                errors.append(f"{path}: {status}")
                return
            done[i] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise SystemExit(f"errors during the run: {errors[:3]}")
    return sum(done) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        env = os.environ | {
            **production.settings(),
            "LEADERS_CONFIG": "production",
            "SECRET_KEY": secrets.token_hex(32),
            "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite",
            "CONTENT_CACHE_DIR": f"{tmp}/cache",
            "INSTANCE_DIR": tmp,
            "SIGN_IN_RATE_LIMIT": "1000 per minute",
            "LOG_LEVEL": "WARNING",
        }
        prepare(env)
        queries = count_queries(env)
        port = free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                str(args.workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
                "leaders.wsgi:app",
            ],
            env=env,
            cwd=ROOT,
        )
        try:
            client = Client(port)
            for _ in range(100):
                try:
                    if client.request("GET", "/healthz")[0] == 200:
                        break
                except OSError:
                    time.sleep(0.1)
            else:
                raise SystemExit("gunicorn did not start")
            client.sign_in()
            assert client.request("GET", LESSON)[0] == 200
            bare_runs, lesson_runs = [], []
            for round_ in range(args.rounds):
                bare_runs.append(
                    hammer(port, client.cookie, "/healthz", args.seconds, args.clients)
                )
                lesson_runs.append(hammer(port, client.cookie, LESSON, args.seconds, args.clients))
                print(
                    f"round {round_ + 1}: bare {bare_runs[-1]:.0f} req/s, lesson {lesson_runs[-1]:.0f} req/s"
                    f" ({lesson_runs[-1] / bare_runs[-1]:.2f})"
                )
        finally:
            server.terminate()
            server.wait(timeout=10)

    bare, lesson = statistics.median(bare_runs), statistics.median(lesson_runs)
    ratio = statistics.median(x / y for x, y in zip(lesson_runs, bare_runs, strict=True))
    print(
        f"gunicorn {args.workers} sync workers, {args.clients} client threads, {args.rounds} rounds of {args.seconds:.0f} s"
    )
    print(f"bare endpoint  /healthz: {bare:.0f} req/s (median)")
    print(f"lesson page (signed in): {lesson:.0f} req/s (median)")
    print(
        f"lesson vs bare: {ratio:.2f}, the median of the rounds' ratios (target >= 0.60)   "
        f"SQL queries per lesson page: {queries} (target <= 4)"
    )
    print(
        json.dumps(
            {
                "bare_rps": round(bare, 1),
                "lesson_rps": round(lesson, 1),
                "lesson_vs_bare": round(ratio, 3),
                "queries": queries,
            }
        )
    )


if __name__ == "__main__":
    main()
