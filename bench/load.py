"""Benchmark: 200 learners on gunicorn (4 workers) and PostgreSQL, optionally through a database restart.

    .venv/bin/python bench/load.py [--seconds 60] [--learners 200] [--fault] [--fault-at 20]

Creates a fresh PostgreSQL database (postgres@127.0.0.1:5432, dropped at the end), runs the
migrations, creates the learners (one password hash shared by all) in one cohort on the course
`leading-your-place`, and starts gunicorn with 4 sync workers and production settings. Every
learner signs in (before the clock starts), then for `--seconds` walks through the course from a
random lesson: reads the lesson, sometimes answers its knowledge check (correctly or not; always
when a pass mark blocks completion, then follows the redirect to the marked attempt), and marks it
complete. A completion is *acknowledged* when the app answers with the redirect (302); a refusal
(200, "score at least …%") is not. All traffic is on loopback; the run is bounded by `--seconds`
and by `--max-requests`, each request by `--timeout`.

Prints requests per second, p50 and p99 latency over every request of the run, and errors
(exception, timeout or status >= 500). Then it reads `lesson_progress` and checks that every
acknowledged (learner, lesson) has `completed_at` set: `lost` counts those that do not.

With `--fault`, PostgreSQL is restarted `--fault-at` seconds into the run
(`pg_ctlcluster --skip-systemctl-redirect <version> main restart`), without touching gunicorn. The
fault window runs from just before the restart until `pg_isready` answers again plus `--grace`
seconds; `errors_outside_fault` counts errors of requests that lie wholly outside it (ended before
it opened or started after it closed). Expected: errors only in the window, nothing lost, and the
same gunicorn workers before and after. PostgreSQL is started again at the end if it is down.
The restart cuts off every session of the cluster, so it is refused (at the start, and skipped at
restart time) while another database has sessions, unless `--restart-anyway`.

On a 2-core machine the client shares the cores with gunicorn and PostgreSQL; the run prints who
used the CPU, and warns when other processes took a large share (the figures are then low).

The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import http.client
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
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
COURSE = "leading-your-place"
PASSWORD = "load-harbour-lantern-copper"
BLOCKED = "To complete it, first score at least"
REFUSED = "in the knowledge check before you complete this lesson"
APP_ERROR_PAGE = "Sorry, there is a problem with the service"

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
QUIZ_FORM_RE = re.compile(r'<form method="post" action="([^"]*/checks/([^"/]+))"')
OPTION_RE = re.compile(r'name="q(\d+)" type="(radio|checkbox)" value="(\d+)"')


def email(i: int) -> str:
    return f"learner{i:04d}@load.example"


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
from werkzeug.security import generate_password_hash
from leaders import create_app
from leaders.auth.models import User
from leaders.catalogue.store import get_catalogue
from leaders.cohorts.models import Cohort, CohortMember
from leaders.extensions import db
app = create_app('production')
with app.app_context():
    upgrade()
    password_hash = generate_password_hash({PASSWORD!r})
    users = [User(email=f"learner{{i:04d}}@load.example", name=f"Load Learner {{i}}",
                  password_hash=password_hash) for i in range({learners})]
    cohort = Cohort(course_key={COURSE!r}, name='Load', starts_on=date(2026, 1, 1),
                    ends_on=date(2027, 12, 31))
    db.session.add_all([*users, cohort])
    db.session.flush()
    db.session.add_all(CohortMember(cohort_id=cohort.id, user_id=u.id, role='learner') for u in users)
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
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
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


# HTTP -------------------------------------------------------------------------------------------


@dataclass
class Sample:
    start: float  # seconds since the run began
    seconds: float
    kind: str
    status: int | None  # None: exception or timeout
    error: str = ""


@dataclass
class Recorder:
    started: float
    deadline: float
    max_requests: int
    samples: list[Sample] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    recording: bool = True

    def stopped(self) -> bool:
        return time.perf_counter() >= self.deadline or len(self.samples) >= self.max_requests

    def add(self, sample: Sample) -> None:
        if self.recording:
            with self.lock:
                self.samples.append(sample)


class Failed(Exception):
    """A request failed (exception, timeout or status >= 500): already recorded."""


class Client:
    """One browser: its own cookies, a new connection per request (sync workers close them)."""

    def __init__(self, port: int, timeout: float, recorder: Recorder | None) -> None:
        self.port = port
        self.timeout = timeout
        self.recorder = recorder
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, kind: str, form: dict | list | None = None
    ) -> tuple[int, str, dict[str, str]]:
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        began = time.perf_counter()
        start = began - self.recorder.started if self.recorder else 0.0
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read().decode()
            finally:
                conn.close()
        except (OSError, http.client.HTTPException) as error:
            if self.recorder:
                self.recorder.add(
                    Sample(start, time.perf_counter() - began, kind, None, type(error).__name__)
                )
            raise Failed(type(error).__name__) from error
        elapsed = time.perf_counter() - began
        for cookie in response.headers.get_all("Set-Cookie") or []:
            pair, _, attributes = cookie.partition(";")
            name, _, value = pair.strip().partition("=")
            if not value or "max-age=0" in attributes.lower().replace(" ", ""):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        status = response.status
        if self.recorder:
            note = ""
            if status >= 500:  # the service's own error page, or the server's bare one
                note = "service page" if APP_ERROR_PAGE in data else "bare page"
            self.recorder.add(Sample(start, elapsed, kind, status, note))
        if status >= 500:
            raise Failed(str(status))
        return status, data, {k.lower(): v for k, v in response.getheaders()}

    def sign_in(self, address: str) -> None:
        _, page, _ = self.request("GET", "/sign-in", "sign-in")
        token = CSRF_RE.search(page).group(1)
        form = {"email": address, "password": PASSWORD, "csrf_token": token}
        status, _, _ = self.request("POST", "/sign-in", "sign-in", form)
        if status != 302:
            raise RuntimeError(f"sign-in of {address} answered {status}")


# Learners ---------------------------------------------------------------------------------------


@dataclass
class Tally:
    acknowledged: set = field(default_factory=set)  # (email, lesson key)
    acks: int = 0  # 302 answers to /complete, repeats included
    refused: int = 0  # completion refused: knowledge check not passed
    answers: int = 0
    unexpected: list = field(default_factory=list)  # (time, what)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Learner(threading.Thread):
    def __init__(self, n, client, lessons, recorder, tally, args, seed) -> None:
        super().__init__(daemon=True, name=f"learner-{n}")
        self.email = email(n)
        self.client = client
        self.lessons = lessons
        self.recorder = recorder
        self.tally = tally
        self.args = args
        self.rng = random.Random(seed)
        self.position = self.rng.randrange(len(lessons))

    def unexpected(self, what: str) -> None:
        with self.tally.lock:
            self.tally.unexpected.append((time.perf_counter() - self.recorder.started, what))

    def pause(self, seconds: float) -> None:
        left = self.recorder.deadline - time.perf_counter()
        if seconds > 0 and left > 0:
            time.sleep(min(seconds, left))

    def think(self) -> None:
        if self.args.think > 0:
            self.pause(self.rng.expovariate(1 / self.args.think))

    def run(self) -> None:
        while not self.recorder.stopped():
            try:
                self.step()
            except Failed:
                self.pause(self.args.backoff * (0.5 + self.rng.random()))  # a person would retry

    def step(self) -> None:
        lesson = self.lessons[self.position]
        status, page, _ = self.client.request("GET", lesson["url"], "lesson")
        if status != 200:
            self.unexpected(f"GET lesson {status}")
            self.pause(self.args.backoff)
            return
        found = CSRF_RE.search(page)
        if found is None:
            self.unexpected("lesson page without a CSRF token")
            self.pause(self.args.backoff)
            return
        token = found.group(1)
        self.think()
        passed_now = False
        if lesson["quizzes"] and not self.recorder.stopped():
            blocked = BLOCKED in page
            if blocked or self.rng.random() < self.args.practice:
                passed_now = self.answer(lesson, page, token)
                self.think()
        if self.recorder.stopped():
            return
        status, page, _ = self.client.request(
            "POST", lesson["url"] + "/complete", "complete", {"csrf_token": token}
        )
        if status == 302:
            with self.tally.lock:
                self.tally.acknowledged.add((self.email, lesson["key"]))
                self.tally.acks += 1
            self.position = (self.position + 1) % len(self.lessons)
        elif status == 200 and REFUSED in page:
            with self.tally.lock:
                self.tally.refused += 1
            if passed_now:
                self.unexpected(f"completion refused just after a passing answer: {lesson['key']}")
        else:
            self.unexpected(f"POST complete {status}")
        self.think()

    def answer(self, lesson: dict, page: str, token: str) -> bool:
        """Answer every check on the page; True if all were answered correctly (and accepted)."""
        all_correct = True
        for action, quiz_id in QUIZ_FORM_RE.findall(page):
            quiz = lesson["quizzes"].get(quiz_id)
            form_html = page[page.index(action) :].split("</form>", 1)[0]
            options: dict[str, list[int]] = {}
            for index, _kind, value in OPTION_RE.findall(form_html):
                options.setdefault(index, []).append(int(value))
            if quiz is None or set(options) != set(quiz["questions"]):
                self.unexpected(f"check {quiz_id} on the page does not match the catalogue")
                return False
            correct = self.rng.random() < self.args.correct
            form: list[tuple[str, str]] = [("csrf_token", token)]
            # A wrong attempt gets about half the questions wrong (at least one), so it fails.
            wrong = set() if correct else {self.rng.choice(sorted(options))}
            if not correct:
                wrong |= {i for i in options if self.rng.random() < 0.5}
            for index, values in sorted(options.items()):
                question = quiz["questions"][index]
                chosen = list(question["correct"])
                if index in wrong:
                    others = [v for v in values if v not in chosen]
                    chosen = [self.rng.choice(others)] if others else chosen[:-1]
                form += [(f"q{index}", str(v)) for v in chosen]
            status, _, headers = self.client.request("POST", action, "answer", form)
            with self.tally.lock:
                self.tally.answers += 1
            if status != 302:
                self.unexpected(f"POST answer {status}")
                return False
            all_correct = all_correct and correct
            location = urlsplit(headers.get("location", ""))
            target = location.path + (f"?{location.query}" if location.query else "")
            if target and not self.recorder.stopped():
                status, _, _ = self.client.request("GET", target, "lesson")
                if status != 200:
                    self.unexpected(f"GET marked attempt {status}")
        return all_correct


# Fault ------------------------------------------------------------------------------------------


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


def inject(fault: Fault, recorder: Recorder, dbname: str, anyway: bool) -> None:
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
    probe = Client(port, 5, None)
    for _ in range(300):
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited:\n{log_path.read_text()[-3000:]}")
        try:
            if probe.request("GET", "/healthz", "probe")[0] == 200:
                return server, port
        except Failed:
            time.sleep(0.1)
    raise SystemExit("gunicorn did not start")


def sign_in_all(port: int, learners: int, timeout: float) -> list[Client]:
    """Sign every learner in (8 at a time, at most 2 minutes): scrypt makes this the slow part."""
    started = time.perf_counter()
    clients = [Client(port, timeout, None) for _ in range(learners)]
    queue = list(enumerate(clients))
    failures: list[str] = []

    def sign_in_some() -> None:
        while time.perf_counter() - started < 120:
            try:
                n, client = queue.pop()
            except IndexError:
                return
            try:
                client.sign_in(email(n))
            except (Failed, RuntimeError, AttributeError) as error:
                failures.append(f"{email(n)}: {error}")

    signers = [threading.Thread(target=sign_in_some, daemon=True) for _ in range(8)]
    for t in signers:
        t.start()
    for t in signers:
        t.join(130)
    if failures or queue:
        raise SystemExit(f"sign-in failed: {failures[:3]} ({len(queue)} not tried)")
    print(f"{learners} learners signed in in {time.perf_counter() - started:.1f} s", flush=True)
    return clients


@dataclass
class Run:
    samples: list[Sample]
    tally: Tally
    elapsed: float
    fault: Fault | None
    still_running: int
    workers_before: set[int]
    workers_after: set[int]
    cpu: dict[str, float]
    lost: list[tuple[str, str]] = field(default_factory=list)


def drive(args, clients, lessons, server, dbname) -> Run:
    """The timed part: every learner at once for `args.seconds`, the fault if asked."""
    workers_before = worker_pids(server.pid)
    rusage = resource.getrusage(resource.RUSAGE_SELF)
    busy, server_cpu = machine_busy(), process_cpu(workers_before)
    postgres_before = {pid: process_cpu({pid}) for pid in postgres_pids()}
    started = time.perf_counter()
    recorder = Recorder(started, started + args.seconds, args.max_requests)
    tally = Tally()
    for client in clients:
        client.recorder = recorder
    learners = [
        Learner(n, client, lessons, recorder, tally, args, args.seed * 100_003 + n)
        for n, client in enumerate(clients)
    ]
    fault = Fault(args.fault_at, args.grace) if args.fault else None
    injector = None
    if fault:
        injector = threading.Thread(
            target=inject, args=(fault, recorder, dbname, args.restart_anyway), daemon=True
        )
        injector.start()
    for learner in learners:
        learner.start()
    hard_stop = started + args.seconds + args.timeout + 10
    for learner in learners:
        learner.join(max(0.0, hard_stop - time.perf_counter()))
    recorder.recording = False
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = {
        "available": (os.cpu_count() or 1) * elapsed,
        "busy": machine_busy() - busy,
        "gunicorn": process_cpu(workers_before) - server_cpu,
        "client": after.ru_utime - rusage.ru_utime + after.ru_stime - rusage.ru_stime,
        # Processes that ended during the run (a restart) are missed: a lower bound.
        "postgres": sum(
            process_cpu({pid}) - postgres_before.get(pid, 0.0) for pid in postgres_pids()
        ),
    }
    if injector:
        injector.join(max(0.0, started + args.fault_at + 130 - time.perf_counter()))
    ensure_postgres_running()
    with recorder.lock:
        samples = list(recorder.samples)
    return Run(
        samples=samples,
        tally=tally,
        elapsed=elapsed,
        fault=fault,
        still_running=sum(1 for learner in learners if learner.is_alive()),
        workers_before=workers_before,
        workers_after=worker_pids(server.pid),
        cpu=cpu,
    )


def report(args, run: Run, log_text: str) -> dict:
    samples, tally, fault, elapsed = run.samples, run.tally, run.fault, run.elapsed
    if args.samples:
        with open(args.samples, "w") as out:
            out.write("start_s,ms,kind,status,error\n")
            for s in sorted(samples, key=lambda s: s.start):
                out.write(
                    f"{s.start:.3f},{s.seconds * 1000:.1f},{s.kind},{s.status or ''},{s.error}\n"
                )
    latencies = sorted(s.seconds for s in samples)
    errors = [s for s in samples if s.status is None or s.status >= 500]
    rps = len(samples) / elapsed
    p50, p99 = percentile(latencies, 0.50) * 1000, percentile(latencies, 0.99) * 1000

    def outside(s: Sample) -> bool:
        """Wholly outside the fault window: ended before it opened or started after it closed."""
        if fault is None or fault.opened is None:
            return True
        return s.start + s.seconds < fault.opened or s.start > fault.closed

    errors_outside = [s for s in errors if outside(s)]
    by_kind = Counter(s.kind for s in samples)
    error_kinds = Counter(
        f"{s.kind} {s.status} {s.error}" if s.status else f"{s.kind} {s.error}" for s in errors
    )
    acknowledged = len(tally.acknowledged)

    print(
        f"gunicorn {args.workers} sync workers on PostgreSQL, {args.learners} learners, "
        f"{elapsed:.1f} s (think {args.think:g} s, cap {args.max_requests} requests)"
    )
    cpu = run.cpu
    others = cpu["busy"] - cpu["gunicorn"] - cpu["client"] - cpu["postgres"]
    print(
        f"CPU seconds: {cpu['available']:.0f} available, {cpu['busy']:.0f} busy: gunicorn workers "
        f"{cpu['gunicorn']:.0f}, PostgreSQL {cpu['postgres']:.0f}, this client "
        f"{cpu['client']:.0f}, other processes {others:.0f}"
    )
    if others > 0.25 * cpu["available"]:
        print("WARNING: other work kept the machine busy during the run: the figures are low")
    print(
        f"requests: {len(samples)} ({', '.join(f'{k} {v}' for k, v in sorted(by_kind.items()))}); "
        f"{rps:.1f} req/s, {(len(samples) - len(errors)) / elapsed:.1f} without error"
    )
    print(
        f"latency: p50 {p50:.1f} ms, p99 {p99:.1f} ms, "
        f"max {latencies[-1] * 1000 if latencies else 0:.0f} ms"
    )
    print(
        f"knowledge-check answers: {tally.answers}; completions acknowledged: {tally.acks} "
        f"({acknowledged} learner-lessons); refused (check not passed): {tally.refused}"
    )
    listed = ", ".join(f"{k}: {v}" for k, v in sorted(error_kinds.items())) or "none"
    print(f"errors: {len(errors)} ({listed}); outside the fault window: {len(errors_outside)}")
    if errors:
        first = min(s.start for s in errors)
        last = max(s.start + s.seconds for s in errors)
        print(f"  first error sent at {first:.2f} s, last one answered at {last:.2f} s")
    if fault:
        if fault.opened is None:
            print(f"fault: NO RESTART during the run {fault.detail}")
        else:
            print(
                f"fault: PostgreSQL restart at {fault.opened:.2f} s, ready at {fault.ready:.2f} s, "
                f"window closed at {fault.closed:.2f} s ({fault.detail})"
            )
            lo, hi = int(fault.opened) - 2, int(fault.closed) + 3
            per_second = {t: [0, 0] for t in range(max(0, lo), hi)}
            error_ids = {id(s) for s in errors}
            for s in samples:
                if int(s.start) in per_second:
                    per_second[int(s.start)][id(s) in error_ids] += 1
            print(
                "  requests sent per second (ok/error): "
                + ", ".join(f"{t}s {ok}/{bad}" for t, (ok, bad) in per_second.items())
            )
    same = run.workers_before == run.workers_after
    print(
        f"gunicorn workers: {sorted(run.workers_before)} before, {sorted(run.workers_after)} after "
        + ("(the same: none restarted)" if same else "(CHANGED: a worker was restarted)")
    )
    if run.still_running:
        print(f"WARNING: {run.still_running} learners were still in a request at the hard stop")
    if tally.unexpected:
        print(f"unexpected answers: {len(tally.unexpected)}, e.g. {tally.unexpected[:3]}")
    print(f"lost (acknowledged, not completed in the database): {len(run.lost)} of {acknowledged}")
    for who, key in run.lost[:10]:
        print(f"  LOST {who} {key}")
    log_lines = [line for line in log_text.splitlines() if line.strip()]
    if log_lines:
        server_errors = sum("Error handling request" in line for line in log_lines)
        print(
            f"gunicorn log: {len(log_lines)} lines, {server_errors} 'Error handling request' "
            f"(the app raised past its error handler); first line: {log_lines[0][:160]}"
        )

    result = {
        "rps": round(rps, 1),
        "p50_ms": round(p50, 1),
        "p99_ms": round(p99, 1),
        "acknowledged": acknowledged,
        "lost": len(run.lost),
        "errors": len(errors),
        "errors_outside_fault": len(errors_outside),
        "requests": len(samples),
        "unexpected": len(tally.unexpected),
        "workers_restarted": len(run.workers_before - run.workers_after),
    }
    if fault:  # None: asked for, but not done
        window = fault.opened is not None and [round(fault.opened, 2), round(fault.closed, 2)]
        result["fault_window_s"] = window or None
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--think", type=float, default=0.0, help="mean pause between steps (s)")
    parser.add_argument(
        "--practice", type=float, default=0.3, help="chance of answering a check not blocking"
    )
    parser.add_argument("--correct", type=float, default=0.7, help="chance an attempt is right")
    parser.add_argument("--backoff", type=float, default=0.5, help="pause after a failure (s)")
    parser.add_argument("--timeout", type=float, default=15.0, help="per request (s)")
    parser.add_argument("--max-requests", type=int, default=100_000)
    parser.add_argument("--fault", action="store_true", help="restart PostgreSQL during the run")
    parser.add_argument("--fault-at", type=float, default=20.0)
    parser.add_argument("--grace", type=float, default=2.0)
    parser.add_argument(
        "--restart-anyway",
        action="store_true",
        help="restart even if other databases of the cluster have sessions (they are cut off)",
    )
    parser.add_argument("--keep-log", metavar="FILE", help="copy gunicorn's log here")
    parser.add_argument("--samples", metavar="FILE", help="write every request as CSV")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.fault and args.fault_at >= args.seconds:
        parser.error("--fault-at must be within --seconds")

    dbname = f"leaders_load_{os.getpid()}"
    tmp = tempfile.mkdtemp(prefix="leaders-load-")
    env = os.environ | {
        "LEADERS_CONFIG": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "DATABASE_URL": f"postgresql://{PG['user']}@{PG['host']}:{PG['port']}/{dbname}",
        "SIGN_IN_RATE_LIMIT": "100000 per minute",
        "RATELIMIT_STORAGE_URI": "memory://",
        "CONTENT_CACHE_DIR": f"{tmp}/cache",
        "INSTANCE_DIR": tmp,
        "LOG_LEVEL": "WARNING",
    }
    log_path = Path(tmp) / "gunicorn.log"
    server = None
    created = False
    try:
        ensure_postgres_running()
        others = other_sessions(dbname) if args.fault else []
        if others and not args.restart_anyway:
            raise SystemExit(
                f"--fault restarts PostgreSQL, which would cut off the sessions on "
                f"{', '.join(others)}: wait for them, or pass --restart-anyway"
            )
        admin(f'CREATE DATABASE "{dbname}"')
        created = True
        setup_started = time.perf_counter()
        lessons = prepare(env, args.learners)["lessons"]
        print(
            f"database {dbname}: {args.learners} learners, {len(lessons)} lessons "
            f"({sum(1 for x in lessons if x['quizzes'])} with a knowledge check), "
            f"{time.perf_counter() - setup_started:.1f} s",
            flush=True,
        )
        server, port = start_server(env, args.workers, log_path)
        clients = sign_in_all(port, args.learners, args.timeout)
        run = drive(args, clients, lessons, server, dbname)
        run.lost = sorted(run.tally.acknowledged - completed_pairs(dbname))
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=5)
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
    print(json.dumps(report(args, run, log_text)))


if __name__ == "__main__":
    main()
