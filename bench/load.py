"""Benchmark: how many learners, pausing 5-15 s between pages, the app serves on gunicorn and PostgreSQL.

    .venv/bin/python bench/load.py [--steps 500,1000,2000,3000] [--seconds 60] [--fault]

Locust (in headless mode, driven from this script through its library API) plays the learners;
each is a Locust `FastHttpUser` with `wait_time = between(5, 15)`: it reads a lesson, sometimes answers
its knowledge check (always when a pass mark blocks completion; correctly or not), then marks the
lesson complete and goes on to the next, pausing 5-15 s between pages as a person reading would.

Setup: a fresh PostgreSQL database (postgres@127.0.0.1:5432, dropped at the end), migrations, the
largest step's learners in one cohort on `leading-your-place`, and gunicorn with 4 sync workers and
production settings (its `gunicorn.conf.py`, as deployed). The learners' passwords are hashed with
1,000 rounds of PBKDF2 instead of scrypt so that thousands of sign-ins before the clock do not take
the machine for minutes; sign-in is not what is measured.

For each step of `--steps`, that many learners are started (spread over `--ramp` seconds, each
signing in first), left `--warmup` seconds to spread out, then every request is recorded for
`--seconds`; then they stop. A step **passes** when its p99 latency is under `--p99-ms` (250) and
no request failed (exception, timeout or status >= 500). The result is the largest step passed,
with that step's figures. Percentiles are exact (nearest rank over every recorded request), not
Locust's rounded buckets.

A completion is *acknowledged* when the app answers its POST with the redirect (302). After the
last step the database is read: `lost` counts acknowledged (learner, lesson) pairs without
`completed_at`.

With `--fault` a single step (`--learners`, default the last step) runs, and PostgreSQL is
restarted `--fault-at` seconds into its window (`pg_ctlcluster --skip-systemctl-redirect <version>
main restart`) without touching gunicorn. The fault window runs from just before the restart until
`pg_isready` answers again plus `--grace` seconds; `errors_outside_fault` counts errors of requests
wholly outside it. Expected: errors only in the window, nothing lost, the same workers after.

The machine has 2 cores: the learners (this process), gunicorn and PostgreSQL share them. The
run prints who used the CPU, and the resident memory (RSS) of each gunicorn worker at the end.
The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import resource
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import gevent

# Locust patches the standard library for gevent when imported: first, before sockets are made.
from locust import FastHttpUser, between, events
from locust.env import Environment

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _production as production  # noqa: E402  (bench/_production.py)

PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
COURSE = "leading-your-place"
PASSWORD = "load-harbour-lantern-copper"
BLOCKED = "To complete it, first score at least"
REFUSED = "in the knowledge check before you complete this lesson"

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
QUIZ_FORM_RE = re.compile(r'<form method="post" action="([^"]*/checks/([^"/]+))"')
OPTION_RE = re.compile(r'name="q(\d+)" type="(radio|checkbox)" value="(\d+)"')


def email(i: int) -> str:
    return f"learner{i:05d}@load.example"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Database and PostgreSQL -------------------------------------------------------------------------


def pg_version() -> str:
    versions = sorted(
        os.listdir("/etc/postgresql"), key=lambda v: float(v) if v[0].isdigit() else 0
    )
    if not versions:
        raise SystemExit("no PostgreSQL cluster under /etc/postgresql")
    return versions[-1]


def pg_ready() -> bool:
    try:
        out = subprocess.run(
            ["pg_isready", "-q", "-h", PG["host"], "-p", str(PG["port"]), "-t", "1"],
            capture_output=True,
            timeout=10,
        )
    except subprocess.TimeoutExpired:
        return False
    return out.returncode == 0


def pg_ctl(action: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", pg_version(), "main", action],
        capture_output=True,
        text=True,
        timeout=120,
    )


def wait_ready(seconds: float) -> bool:
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        if pg_ready():
            return True
        time.sleep(0.1)
    return False


def ensure_postgres_running() -> None:
    if pg_ready():
        return
    print("PostgreSQL is not answering: starting it", flush=True)
    pg_ctl("start")
    if not wait_ready(60):
        print("WARNING: PostgreSQL still not ready", file=sys.stderr)


def admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(dbname="postgres", autocommit=True, connect_timeout=10, **PG) as conn:
        conn.execute(sql)


def prepare(env: dict[str, str], learners: int) -> dict:
    """Migrate, create the learners and their cohort; return the course's lessons and answers."""
    code = f"""
import json
from datetime import date
from flask_migrate import upgrade
from sqlalchemy import insert, select
from werkzeug.security import generate_password_hash
from leaders import create_app
from leaders.auth.models import User
from leaders.catalogue.store import get_catalogue
from leaders.cohorts.models import Cohort, CohortMember
from leaders.extensions import db
app = create_app('production')
with app.app_context():
    upgrade()
    password_hash = generate_password_hash({PASSWORD!r}, method='pbkdf2:sha256:1000')
    cohort = Cohort(course_key={COURSE!r}, name='Load', starts_on=date(2026, 1, 1),
                    ends_on=date(2027, 12, 31))
    db.session.add(cohort)
    db.session.flush()
    db.session.execute(insert(User), [dict(email=f"learner{{i:05d}}@load.example", email_key=f"learner{{i:05d}}@load.example",
                  name=f"Load Learner {{i}}", password_hash=password_hash, role='learner', active=True,
                  session_version=1, failed_sign_ins=0, job_title='') for i in range({learners})])
    ids = db.session.execute(select(User.id).where(User.email.like('%@load.example'))).scalars().all()
    db.session.execute(insert(CohortMember), [dict(cohort_id=cohort.id, user_id=i, role='learner') for i in ids])
    db.session.commit()
    lessons = []
    for lesson in get_catalogue().lessons_in({COURSE!r}):
        quizzes = {{q.id: {{'pass_mark': q.pass_mark,
                           'questions': {{str(x.index): {{'options': len(x.options), 'multiple': x.multiple,
                                                         'correct': sorted(x.correct_indexes)}}
                                         for x in q.questions}}}}
                   for q in lesson.quizzes}}
        lessons.append({{'key': lesson.key, 'url': lesson.url, 'quizzes': quizzes}})
    print(json.dumps({{'lessons': lessons}}))
"""
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    if out.returncode:
        raise SystemExit(f"preparing the database failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def completed_pairs(dbname: str) -> set[tuple[str, str]]:
    import psycopg

    with psycopg.connect(dbname=dbname, connect_timeout=10, **PG) as conn:
        rows = conn.execute(
            'SELECT u.email, p.lesson_key FROM lesson_progress p JOIN "user" u ON u.id = p.user_id'
            " WHERE p.completed_at IS NOT NULL"
        ).fetchall()
    return {(e, k) for e, k in rows}


# Learners ---------------------------------------------------------------------------------------


@dataclass
class Sample:
    start: float  # seconds since the window opened
    ms: float
    kind: str
    status: int | None  # None: exception or timeout
    error: str = ""


@dataclass
class Window:
    """What is recorded: requests that start between `started` and `deadline` (perf_counter)."""

    started: float = 0.0
    deadline: float = 0.0
    open: bool = False
    samples: list[Sample] = field(default_factory=list)


@dataclass
class Tally:
    acknowledged: set = field(default_factory=set)  # (email, lesson key)
    acks: int = 0  # 302 answers to /complete, repeats included
    refused: int = 0  # completion refused: knowledge check not passed
    answers: int = 0
    unexpected: list = field(default_factory=list)
    signed_in: int = 0
    numbers: list = field(default_factory=list)  # learner numbers not yet taken


class Learner(FastHttpUser):
    """One learner: reads a lesson, maybe answers its check, completes it; 5-15 s between pages."""

    wait_time = between(5, 15)
    lessons: list[dict] = []
    tally = Tally()
    correct = 0.7
    practice = 0.3

    def on_start(self) -> None:
        self.n = self.tally.numbers.pop()
        self.email = email(self.n)
        self.rng = random.Random(self.n)
        self.position = self.rng.randrange(len(self.lessons))
        self.page: str | None = None
        self.token = ""
        page = self.get("/sign-in", name="sign-in").text
        token = CSRF_RE.search(page).group(1)
        answer = self.post(
            "/sign-in",
            data={"email": self.email, "password": PASSWORD, "csrf_token": token},
            name="sign-in",
            allow_redirects=False,
        )
        if answer.status_code != 302:
            self.tally.unexpected.append(f"sign-in {answer.status_code}")
            raise RuntimeError("sign-in failed")
        self.tally.signed_in += 1

    def on_stop(self) -> None:
        self.tally.numbers.append(self.n)

    def get(self, url: str, **kwargs):
        return self.behind_tls(self.client.get(url, **kwargs))

    def post(self, url: str, data: list[tuple[str, str]] | dict[str, str], **kwargs):
        """A form, encoded here: a check's answers repeat a field name (several options chosen)."""
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return self.behind_tls(
            self.client.post(url, data=urlencode(data), headers=headers, **kwargs)
        )

    def behind_tls(self, response):
        """Send the app's Secure cookie over loopback HTTP, as it would go over HTTPS in production
        (a cookie jar keeps a Secure cookie for https:// only)."""
        for cookie in self.client.cookiejar:
            cookie.secure = False
        return response

    @property
    def lesson(self) -> dict:
        return self.lessons[self.position]

    def task_next(self) -> None:
        """One page: read the lesson if it is not open, else answer its check or complete it."""
        if self.page is None:
            response = self.get(self.lesson["url"], name="lesson")
            if response.status_code != 200:
                return
            found = CSRF_RE.search(response.text)
            if found is None:
                self.tally.unexpected.append("lesson page without a CSRF token")
                return
            self.page, self.token = response.text, found.group(1)
            return
        if self.lesson["quizzes"] and (BLOCKED in self.page or self.rng.random() < self.practice):
            if self.answer():
                self.page = self.page.replace(BLOCKED, "")
            return
        response = self.post(
            self.lesson["url"] + "/complete",
            data={"csrf_token": self.token},
            name="complete",
            allow_redirects=False,
        )
        if response.status_code == 302:
            self.tally.acknowledged.add((self.email, self.lesson["key"]))
            self.tally.acks += 1
            self.position = (self.position + 1) % len(self.lessons)
        elif response.status_code == 200 and REFUSED in response.text:
            self.tally.refused += 1
        elif response.status_code < 500:
            self.tally.unexpected.append(f"POST complete {response.status_code}")
        self.page = None

    tasks = [task_next]

    def answer(self) -> bool:
        """Answer every check on the page (one page each); True if all were right."""
        all_correct = True
        for action, quiz_id in QUIZ_FORM_RE.findall(self.page or ""):
            quiz = self.lesson["quizzes"].get(quiz_id)
            form_html = self.page[self.page.index(action) :].split("</form>", 1)[0]
            options: dict[str, list[int]] = {}
            for index, _kind, value in OPTION_RE.findall(form_html):
                options.setdefault(index, []).append(int(value))
            if quiz is None or set(options) != set(quiz["questions"]):
                self.tally.unexpected.append(f"check {quiz_id} does not match the catalogue")
                return False
            correct = self.rng.random() < self.correct
            wrong = set() if correct else {self.rng.choice(sorted(options))}
            form: list[tuple[str, str]] = [("csrf_token", self.token)]
            for index, values in sorted(options.items()):
                chosen = list(quiz["questions"][index]["correct"])
                if index in wrong:
                    others = [v for v in values if v not in chosen]
                    chosen = [self.rng.choice(others)] if others else chosen[:-1]
                form += [(f"q{index}", str(v)) for v in chosen]
            response = self.post(action, data=form, name="answer", allow_redirects=False)
            self.tally.answers += 1
            if response.status_code != 302:
                return False
            all_correct = all_correct and correct
            location = urlsplit(response.headers.get("location", ""))
            if location.path:  # the marked attempt, as a browser would follow it
                target = location.path + (f"?{location.query}" if location.query else "")
                self.get(target, name="lesson")
        return all_correct


@dataclass
class Fault:
    at: float
    grace: float
    opened: float | None = None  # seconds since the run began
    ready: float | None = None
    closed: float | None = None
    detail: str = ""


def other_sessions(dbname: str) -> list[str]:
    """Databases other than ours with client sessions: a restart cuts them off too."""
    import psycopg

    try:
        with psycopg.connect(dbname="postgres", connect_timeout=5, **PG) as conn:
            rows = conn.execute(
                "SELECT datname, count(*) FROM pg_stat_activity WHERE datname IS NOT NULL"
                " AND datname <> %s AND pid <> pg_backend_pid() GROUP BY 1",
                (dbname,),
            ).fetchall()
    except psycopg.Error:
        return []
    return [f"{name} ({count})" for name, count in rows]


def inject(fault: Fault, recorder: Window, dbname: str, anyway: bool) -> None:
    """Restart PostgreSQL at `fault.at`; the window closes `grace` s after it answers again.

    pg_isready is polled while pg_ctlcluster runs (it returns a while after the server is up):
    "up again" is the first success after a failure was seen, or when the command returned.
    """
    delay = recorder.started + fault.at - time.perf_counter() - 0.5
    if delay > 0:
        time.sleep(delay)
    others = other_sessions(dbname)
    if others and not anyway:
        fault.detail = f"skipped: sessions on {', '.join(others)} (--restart-anyway restarts)"
        return
    if others:
        print(f"WARNING: the restart also cuts off sessions on {', '.join(others)}", flush=True)
    delay = recorder.started + fault.at - time.perf_counter()
    if delay > 0:
        time.sleep(delay)
    now = lambda: time.perf_counter() - recorder.started  # noqa: E731
    fault.opened = now()
    command = [
        "pg_ctlcluster", "--skip-systemctl-redirect", pg_version(), "main", "restart"
    ]  # fmt: skip
    restart = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    down_seen = None
    limit = time.monotonic() + 120
    while time.monotonic() < limit:
        finished = restart.poll() is not None
        ready = pg_ready()
        if not ready and down_seen is None:
            down_seen = now()
        elif ready and down_seen is not None:
            fault.ready = now()
            break
        if finished:
            if ready or wait_ready(60):
                fault.ready = now()
            break
        time.sleep(0.05)
    try:
        output, _ = restart.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        restart.kill()
        output, _ = restart.communicate()
    fault.detail = f"pg_ctlcluster restart exited {restart.returncode}"
    if output.strip():
        fault.detail += f": {output.strip()[:200]}"
    fault.detail += (
        f"; down seen at {down_seen:.2f} s" if down_seen is not None else "; never seen down"
    )
    if fault.ready is None:
        fault.detail += "; PostgreSQL NOT ready again"
        fault.ready = now()
    fault.closed = fault.ready + fault.grace


TICKS = os.sysconf("SC_CLK_TCK")


def machine_busy() -> float:
    """CPU seconds the whole machine has spent busy (every core), from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / TICKS


def process_cpu(pids: set[int]) -> float:
    """CPU seconds used so far by these processes (user + system)."""
    total = 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(stat[11]) + int(stat[12])
    return total / TICKS


def postgres_pids() -> set[int]:
    pids = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().startswith("postgres"):
                    pids.add(int(entry.name))
            except OSError:
                continue
    return pids


def worker_pids(master: int) -> set[int]:
    try:
        return {int(p) for p in Path(f"/proc/{master}/task/{master}/children").read_text().split()}
    except OSError:
        return set()


# Run --------------------------------------------------------------------------------------------


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    if not sorted_values:
        return 0.0
    return sorted_values[max(0, math.ceil(fraction * len(sorted_values)) - 1)]


def start_server(env: dict[str, str], workers: int, log_path: Path) -> tuple[subprocess.Popen, int]:
    import http.client

    port = free_port()
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn",
                "--workers", str(workers),
                "--bind", f"127.0.0.1:{port}",
                "--log-level", "warning",
                "leaders.wsgi:app",
            ],
            env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    for _ in range(300):
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited:\n{log_path.read_text()[-3000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return server, port
        except OSError:
            time.sleep(0.1)
    raise SystemExit("gunicorn did not start")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@dataclass
class Step:
    learners: int
    samples: list[Sample]
    seconds: float
    cpu: dict[str, float]
    fault: Fault | None = None

    @property
    def errors(self) -> list[Sample]:
        return [s for s in self.samples if s.status is None or s.status >= 500]

    def figures(self) -> dict:
        ms = sorted(s.ms for s in self.samples)
        return {
            "learners": self.learners,
            "rps": round(len(self.samples) / self.seconds, 1),
            "p50_ms": round(percentile(ms, 0.50), 1),
            "p99_ms": round(percentile(ms, 0.99), 1),
            "errors": len(self.errors),
            "requests": len(self.samples),
        }


def run_step(env: Environment, learners: int, args, server, dbname: str, fault: bool) -> Step:
    window = Window()

    def record(request_type, name, response_time, response_length, response, exception, **kw):
        if not window.open:
            return
        status = getattr(response, "status_code", None) if exception is None else None
        if status == 0:
            status = None
        if exception is not None and response is not None and response.status_code >= 500:
            status = response.status_code
        error = type(exception).__name__ if exception is not None else ""
        began = time.perf_counter() - response_time / 1000 - window.started
        window.samples.append(Sample(began, response_time, name, status, error))

    listener = env.events.request.add_listener(record)
    runner = env.create_local_runner()
    ramp = max(1.0, args.ramp * learners / 1000)
    runner.start(learners, spawn_rate=learners / ramp)
    gevent.sleep(ramp + args.warmup)
    workers = worker_pids(server.pid)
    rusage = resource.getrusage(resource.RUSAGE_SELF)
    busy, server_cpu = machine_busy(), process_cpu(workers)
    postgres_before = {pid: process_cpu({pid}) for pid in postgres_pids()}
    window.started = time.perf_counter()
    window.deadline = window.started + args.seconds
    window.open = True
    fault_state = Fault(args.fault_at, args.grace) if fault else None
    injector = (
        gevent.spawn(inject, fault_state, window, dbname, args.restart_anyway) if fault else None
    )
    gevent.sleep(args.seconds)
    window.open = False
    elapsed = time.perf_counter() - window.started
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = {
        "available": (os.cpu_count() or 1) * elapsed,
        "busy": machine_busy() - busy,
        "gunicorn": process_cpu(workers) - server_cpu,
        "client": after.ru_utime - rusage.ru_utime + after.ru_stime - rusage.ru_stime,
        "postgres": sum(process_cpu({p}) - postgres_before.get(p, 0.0) for p in postgres_pids()),
    }
    if injector is not None:
        injector.join(timeout=150)
    runner.stop()
    runner.quit()
    env.events.request.remove_listener(listener) if hasattr(
        env.events.request, "remove_listener"
    ) else None
    ensure_postgres_running()
    return Step(learners, window.samples, elapsed, cpu, fault_state)


def describe(step: Step, passed: bool) -> None:
    f = step.figures()
    cpu = step.cpu
    others = cpu["busy"] - cpu["gunicorn"] - cpu["client"] - cpu["postgres"]
    print(
        f"{f['learners']:>5} learners: {f['rps']:6.1f} req/s, p50 {f['p50_ms']:6.1f} ms, "
        f"p99 {f['p99_ms']:7.1f} ms, {f['errors']} errors of {f['requests']} -> "
        f"{'pass' if passed else 'FAIL'}; CPU s: gunicorn {cpu['gunicorn']:.0f}, PostgreSQL "
        f"{cpu['postgres']:.0f}, learners {cpu['client']:.0f}, other {others:.0f} "
        f"of {cpu['available']:.0f}",
        flush=True,
    )
    if others > 0.25 * cpu["available"]:
        print("  WARNING: other work kept the machine busy during this step: figures are low")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", default="500,1000,2000,3000", help="learners at each step")
    parser.add_argument("--seconds", type=float, default=60.0, help="recorded per step")
    parser.add_argument("--ramp", type=float, default=20.0, help="seconds to start 1,000 learners")
    parser.add_argument("--warmup", type=float, default=15.0, help="after the ramp, unrecorded")
    parser.add_argument("--p99-ms", type=float, default=250.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--timeout", type=float, default=30.0, help="per request (s)")
    parser.add_argument("--fault", action="store_true", help="restart PostgreSQL during one step")
    parser.add_argument("--learners", type=int, help="with --fault: how many (default last step)")
    parser.add_argument("--fault-at", type=float, default=20.0)
    parser.add_argument("--grace", type=float, default=2.0)
    parser.add_argument("--restart-anyway", action="store_true")
    parser.add_argument("--keep-log", metavar="FILE", help="copy gunicorn's log here")
    args = parser.parse_args()
    steps = [int(x) for x in args.steps.split(",") if x.strip()]
    if args.fault:
        steps = [args.learners or steps[-1]]
        if args.fault_at >= args.seconds:
            parser.error("--fault-at must be within --seconds")

    dbname = f"leaders_load_{os.getpid()}"
    tmp = tempfile.mkdtemp(prefix="leaders-load-")
    server_env = os.environ | {
        **production.settings(),
        "LEADERS_CONFIG": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "DATABASE_URL": f"postgresql://{PG['user']}@{PG['host']}:{PG['port']}/{dbname}",
        "SIGN_IN_RATE_LIMIT": "1000000 per minute",
        "RATELIMIT_STORAGE_URI": "memory://",
        "CONTENT_CACHE_DIR": f"{tmp}/cache",
        "INSTANCE_DIR": tmp,
        "LOG_LEVEL": "WARNING",
    }
    log_path = Path(tmp) / "gunicorn.log"
    server = None
    created = False
    results: list[tuple[Step, bool]] = []
    lost: list = []
    rss: dict[int, float] = {}
    try:
        ensure_postgres_running()
        admin(f'CREATE DATABASE "{dbname}"')
        created = True
        began = time.perf_counter()
        lessons = prepare(server_env, max(steps))["lessons"]
        print(
            f"database {dbname}: {max(steps)} learners, {len(lessons)} lessons, "
            f"{time.perf_counter() - began:.1f} s",
            flush=True,
        )
        server, port = start_server(server_env, args.workers, log_path)
        Learner.lessons = lessons
        Learner.tally.numbers = list(range(max(steps)))
        Learner.host = f"http://127.0.0.1:{port}"
        Learner.network_timeout = args.timeout
        Learner.connection_timeout = args.timeout
        workers_before = worker_pids(server.pid)
        for learners in steps:
            env = Environment(user_classes=[Learner], events=events)
            step = run_step(env, learners, args, server, dbname, args.fault)
            f = step.figures()
            passed = f["errors"] == 0 and f["p99_ms"] < args.p99_ms and f["requests"] > 0
            results.append((step, passed))
            describe(step, passed)
            if not passed and not args.fault:
                break
        workers_after = worker_pids(server.pid)
        rss = {pid: rss_mb(pid) for pid in sorted(workers_after)}
        lost = sorted(Learner.tally.acknowledged - completed_pairs(dbname))
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
        try:
            ensure_postgres_running()
        finally:
            if created:
                try:
                    admin(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
                except Exception as error:
                    print(f"WARNING: could not drop {dbname}: {error}", file=sys.stderr)
            if args.keep_log and log_path.exists():
                shutil.copy(log_path, args.keep_log)
            log_text = log_path.read_text(errors="replace") if log_path.exists() else ""
            shutil.rmtree(tmp, ignore_errors=True)

    tally = Learner.tally
    print(
        f"completions acknowledged: {tally.acks} ({len(tally.acknowledged)} learner-lessons), "
        f"refused (check not passed): {tally.refused}, answers: {tally.answers}; "
        f"lost (acknowledged, not in the database): {len(lost)}"
    )
    if tally.unexpected:
        print(f"unexpected answers: {len(tally.unexpected)}, e.g. {tally.unexpected[:3]}")
    print(
        "gunicorn workers: RSS after the run "
        + ", ".join(f"{pid} {mb:.0f} MB" for pid, mb in rss.items())
        + ("" if workers_before == workers_after else " (a worker was RESTARTED)")
    )
    errors_in_log = sum("Error handling request" in line for line in log_text.splitlines())
    if errors_in_log:
        print(f"gunicorn log: {errors_in_log} 'Error handling request'")
    passed_steps = [s for s, ok in results if ok]
    best = passed_steps[-1] if passed_steps else results[-1][0]
    result = best.figures() | {
        "learners": best.learners if passed_steps else 0,
        "lost": len(lost),
        "worker_rss_mb": round(max(rss.values(), default=0.0), 1),
    }
    if args.fault:
        step = results[-1][0]
        fault = step.fault
        window = fault and fault.opened is not None
        outside = [
            s for s in step.errors
            if not window or s.start + s.ms / 1000 < fault.opened or s.start > fault.closed
        ]  # fmt: skip
        if fault:
            print(f"fault: {fault.detail}; window {fault.opened} to {fault.closed} s")
        result |= {
            "learners": step.learners,
            "errors": len(step.errors),
            "errors_outside_fault": len(outside),
            "fault_window_s": [round(fault.opened, 2), round(fault.closed, 2)] if window else None,
        }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
