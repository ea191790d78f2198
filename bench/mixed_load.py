"""Load test: nothing is lost under load. Loopback only, bounded in time.

    .venv/bin/python bench/mixed_load.py                  # or: make load
    .venv/bin/python bench/mixed_load.py --duration 20 --clients 20

What it does, in order:
1. Rebuilds the schema of DATABASE_URL (default: the kindred_load PostgreSQL database on 127.0.0.1, which it owns:
   every run drops and recreates its tables) and seeds a modest dataset with `flask --app wsgi bench-seed`.
2. Creates one member per client with the app's own `create_member`.
3. Serves Kindred with gunicorn (2 workers, --no-control-socket) on 127.0.0.1, with REDIS_URL set and rate limits
   switched off with KINDRED_RATELIMIT=0 (allowed outside production only: a production app refuses to start so).
4. Runs N clients (threads, one loopback address each) for the duration: each signs in, joins every group, then
   mixes reads (home, group pages, topic pages) with replies, helpful marks and flags, following each redirect like
   a browser. A write counts as acknowledged when it answered a redirect and, for marks and flags, a success message.
   Meanwhile faults strike (bench/faults.py): at a quarter of the run one app worker is killed (SIGKILL) mid-request,
   at half the load test's own Redis is stopped for two seconds, at three quarters the mail worker (`flask send-mail`,
   delivering the password-reset mail each client asked for during setup to an SMTP sink) is restarted.
5. Stops the server and checks: every acknowledged write is in the database, every counter equals the real count
   (app.services.common.integrity), no response was a 5xx, no request failed except those the killed worker held,
   no mail was delivered twice and every mail marked sent arrived. Prints the figures, writes bench/load-results.md.
Exit status 1 when a check fails. (bench/load.py is the page benchmark's load generator, not this.)
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import secrets
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask import Flask  # noqa: E402
from flask.sessions import SecureCookieSessionInterface  # noqa: E402
from sqlalchemy import create_engine, func, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import Flag, Group, HelpfulMark, MailStatus, OutboxMessage, Post, Role  # noqa: E402
from app.services.common.integrity import counter_mismatches  # noqa: E402
from app.services.members.accounts import create_member  # noqa: E402
from bench.faults import FaultLog, Faults, MailWorker, PrivateRedis, mail_problems  # noqa: E402
from tests.live_server import AppServer, Browser  # noqa: E402
from tests.smtp import SMTPServer  # noqa: E402

DEFAULT_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:5432/kindred_load"
PASSWORD = "load-test-passphrase"  # noqa: S105 - throwaway members of a throwaway database
MIX = {"home": 5, "group": 15, "topic": 50, "reply": 15, "helpful": 10, "flag": 5}
FLAG_REASONS = ["spam", "misinformation", "harassment", "personal_information"]
RESULTS = ROOT / "bench" / "load-results.md"


@dataclass
class Tally:
    """What all clients saw, filled from many threads under one lock."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, dict[int, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    errors: list[str] = field(default_factory=list)
    replies: list[tuple[int, str]] = field(default_factory=list)  # (post id, body) acknowledged
    marks: list[tuple[int, int]] = field(default_factory=list)  # (post id, member id) acknowledged
    flags: list[tuple[int, int]] = field(default_factory=list)
    failures: list[tuple[float, str]] = field(default_factory=list)  # (when, what): requests that got no answer
    resets: int = 0  # password-reset mails acknowledged during setup
    killed: int = 0  # failed requests that a worker kill explains
    mail_sent: int = 0
    mail_waiting: int = 0
    delivered: int = 0  # messages the SMTP sink received

    def record(self, kind: str, seconds: float, status: int) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            self.statuses[kind][status] += 1


class Client(threading.Thread):
    """One signed-in member clicking around until the deadline."""

    def __init__(self, n: int, port: int, member: tuple[int, str], world: dict, tally: Tally, deadline: float):
        super().__init__(daemon=True)
        self.n, self.member_id, self.email = n, member[0], member[1]
        self.browser = Browser(port, source_ip=f"127.0.1.{n + 1}")
        self.world, self.tally, self.deadline = world, tally, deadline
        self.rng = random.Random(n)  # noqa: S311 - a reproducible mix, not a secret
        self.done: set[tuple[str, int]] = set()
        self.token = ""

    def timed(self, kind: str, method: str, path: str, data: dict | None = None):  # noqa: ANN201
        started = time.perf_counter()
        browser = self.browser
        response = browser.get(path) if method == "GET" else browser.post_form(path, data, token=self.token)
        self.tally.record(kind, time.perf_counter() - started, response.status)
        if response.status >= 500:
            with self.tally.lock:
                self.tally.errors.append(f"{response.status} {method} {path}")
        return response

    def setup(self) -> None:
        """Sign in and join every group, before the clock starts (not part of the figures)."""
        self.browser.sign_in(self.email, PASSWORD)
        self.token = self.browser.csrf_token()
        for slug in self.world["groups"]:
            response = self.browser.post_form(f"/g/{slug}/join", token=self.token)
            if response.status != 302:
                raise RuntimeError(f"joining {slug} answered {response.status}")
        # Mail for the mail worker to send while faults strike (a reset link does not end the session).
        if self.browser.post_form("/password-reset", {"email": self.email}, token=self.token).status == 302:
            with self.tally.lock:
                self.tally.resets += 1

    def run(self) -> None:
        while time.monotonic() < self.deadline:
            kind = self.rng.choices(list(MIX), weights=list(MIX.values()))[0]
            try:
                getattr(self, kind)()
            except OSError as error:  # a refused or reset connection: counted, judged against the faults later
                with self.tally.lock:
                    self.tally.failures.append((time.monotonic(), f"client {self.n} {kind}: {type(error).__name__}"))

    def _follow(self, response) -> None:  # noqa: ANN001
        if response.status == 302:
            self.timed("redirect", "GET", response.location.split("#")[0] or "/")

    def _flash(self) -> str:
        """The category of the newest message the last response left in the (signed, readable) session cookie."""
        data = self.world["cookies"].loads(self.browser.cookies.get("session", "")) if self.browser.cookies else {}
        flashes = data.get("_flashes") or [("", "")]
        return flashes[-1][0]

    def home(self) -> None:
        self.timed("home", "GET", "/")

    def group(self) -> None:
        page = self.rng.choice([1, 1, 2, 3])
        self.timed("group", "GET", f"/g/{self.rng.choice(self.world['groups'])}?page={page}")

    def topic(self) -> None:
        topic_id = 1 if self.rng.random() < 0.2 else self.rng.randint(1, self.world["topics"])
        self.timed("topic", "GET", f"/t/{topic_id}?page={self.rng.choice([1, 1, 1, 2])}")

    def reply(self) -> None:
        topic_id = self.rng.randint(1, self.world["topics"])
        body = f"Load reply {self.n}-{secrets.token_hex(6)}: thank you, this helps me a lot."
        response = self.timed("reply", "POST", f"/t/{topic_id}/reply", {"body": body})
        if response.status == 302 and "#p" in response.location:
            with self.tally.lock:
                self.tally.replies.append((int(response.location.rsplit("#p", 1)[1]), body))
        self._follow(response)

    def _seeded_reply(self, action: str) -> int:
        while True:  # a reply by a seeded member (never this client's own), not yet used for this action
            post_id = self.rng.randint(self.world["topics"] + 1, self.world["posts"])
            if (action, post_id) not in self.done:
                self.done.add((action, post_id))
                return post_id

    def helpful(self) -> None:
        post_id = self._seeded_reply("helpful")
        response = self.timed("helpful", "POST", f"/p/{post_id}/helpful")
        if response.status == 302 and self._flash() == "success":
            with self.tally.lock:
                self.tally.marks.append((post_id, self.member_id))
        self._follow(response)

    def flag(self) -> None:
        post_id = self._seeded_reply("flag")
        response = self.timed("flag", "POST", f"/p/{post_id}/flag", {"reason": self.rng.choice(FLAG_REASONS)})
        if response.status == 302 and self._flash() == "success":
            with self.tally.lock:
                self.tally.flags.append((post_id, self.member_id))
        self._follow(response)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=60, help="seconds of load (default 60)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--members", type=int, default=500, help="seeded members")
    parser.add_argument("--groups", type=int, default=5)
    parser.add_argument("--topics", type=int, default=2000)
    parser.add_argument("--posts", type=int, default=20000)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    if not 1 <= args.clients <= 250 or not 0 < args.duration <= 3600:
        parser.error("between 1 and 250 clients, and at most an hour")
    return args


def _ensure_database(url: str) -> None:
    """Create the PostgreSQL database when it does not exist yet (connecting to the server's `postgres` database)."""
    target = make_url(url)
    if target.get_backend_name() != "postgresql":
        return
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        if not connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database}):
            connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


def _prepare(args: argparse.Namespace, env: dict[str, str]) -> tuple[dict, list[tuple[int, str]]]:
    """Fresh schema, bulk seed through the CLI, then one member per client through the members service."""
    _ensure_database(env["DATABASE_URL"])
    app = create_app("development", {"SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"]})
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.session.remove()
    seed = ["bench-seed", "--members", str(args.members), "--groups", str(args.groups),
            "--topics", str(args.topics), "--posts", str(args.posts)]  # fmt: skip
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *seed], cwd=ROOT, env=env, check=True)  # noqa: S603
    with app.app_context():
        members = []
        for n in range(args.clients):
            member = create_member(email=f"load{n}@example.org", display_name=f"Load tester {n}", password=PASSWORD,
                                   role=Role.MEMBER, accepted_guidelines=True)  # fmt: skip
            members.append((member.id, member.email))
        world = {
            "groups": list(db.session.scalars(select(Group.slug).order_by(Group.id))),
            "topics": args.topics,
            "posts": db.session.scalar(select(func.max(Post.id))),
        }
        db.session.remove()
        db.engine.dispose()
    return world, members


KILL_WINDOW = (-0.5, 5.0)  # seconds around a worker's SIGKILL in which its requests may fail


def _unexplained_failures(tally: Tally, faults: FaultLog) -> tuple[list[str], int]:
    """Failed requests outside the moments a worker was killed, and how many the kills explain."""
    explained, problems = 0, []
    for when, what in tally.failures:
        if any(KILL_WINDOW[0] <= when - kill <= KILL_WINDOW[1] for kill in faults.kill_times):
            explained += 1
        else:
            problems.append(f"failed outside a worker kill: {what}")
    return problems, explained


def _check(env: dict[str, str], tally: Tally, faults: FaultLog, sink: SMTPServer) -> list[str]:
    """Every acknowledged write is stored, every counter is right, no 5xx: the list of what is not so."""
    problems = list(tally.errors)
    unexplained, tally.killed = _unexplained_failures(tally, faults)
    problems += unexplained
    app = create_app("development", {"SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"]})
    with app.app_context():
        stored = dict(db.session.execute(select(Post.id, Post.raw).where(Post.raw.like("Load reply %"))).all())
        problems += [
            f"reply {pid} acknowledged but not stored" for pid, body in tally.replies if stored.get(pid) != body
        ]
        marks = {tuple(row) for row in db.session.execute(select(HelpfulMark.post_id, HelpfulMark.member_id))}
        problems += [f"helpful mark {m} acknowledged but not stored" for m in tally.marks if m not in marks]
        flags = {tuple(row) for row in db.session.execute(select(Flag.post_id, Flag.member_id))}
        problems += [f"flag {f} acknowledged but not stored" for f in tally.flags if f not in flags]
        problems += counter_mismatches()
        sent = set(db.session.scalars(select(OutboxMessage.id).where(OutboxMessage.status == MailStatus.SENT)))
        tally.mail_sent, tally.delivered = len(sent), len(sink.messages)
        tally.mail_waiting = db.session.scalar(select(func.count()).select_from(OutboxMessage)) - len(sent)
        problems += mail_problems(sink, sent, tally.resets)
        db.session.remove()
        db.engine.dispose()
    return problems


def _load_average() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000 if ordered else 0.0


def _report(args: argparse.Namespace, tally: Tally, elapsed: float, problems: list[str], faults: FaultLog) -> str:
    total = sum(len(v) for v in tally.latencies.values())
    lines = [
        "# Load test results (bench/mixed_load.py)",
        "",
        f"{args.clients} clients for {elapsed:.0f} s against gunicorn ({args.workers} sync workers) on 127.0.0.1, "
        f"PostgreSQL and Redis; seeded {args.members} members, {args.groups} groups, {args.topics} topics, "
        f"{args.posts} posts. Machine: {os.cpu_count()} cores, Python {platform.python_version()}, load average "
        f"{args.load_before} before and {_load_average()} after (the load generator shares the machine). "
        "Rate limits off (KINDRED_RATELIMIT=0).",
        "",
        "| kind | requests | per second | p50 ms | p99 ms | 2xx/3xx | 4xx | 5xx |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for kind in sorted(tally.latencies, key=lambda k: -len(tally.latencies[k])):
        values, statuses = tally.latencies[kind], tally.statuses[kind]
        ok = sum(n for s, n in statuses.items() if s < 400)
        client = sum(n for s, n in statuses.items() if 400 <= s < 500)
        server = sum(n for s, n in statuses.items() if s >= 500)
        lines.append(f"| {kind} | {len(values)} | {len(values) / elapsed:.1f} | {_percentile(values, 0.5):.0f} | "
                     f"{_percentile(values, 0.99):.0f} | {ok} | {client} | {server} |")  # fmt: skip
    every = [v for values in tally.latencies.values() for v in values]
    lines += [
        f"| **all** | {total} | {total / elapsed:.1f} | {_percentile(every, 0.5):.0f} | "
        f"{_percentile(every, 0.99):.0f} | | | |",
        "",
        f"Acknowledged writes: {len(tally.replies)} replies, {len(tally.marks)} helpful marks, {len(tally.flags)} "
        f"flags; mean latency {statistics.fmean(every) * 1000 if every else 0:.0f} ms.",
        "",
        "Faults during the run (seconds from the start):",
        *[f"- {when - args.started:.1f} s: {what}" for when, what in faults.events],
        f"- requests that failed with the killed worker: {tally.killed}; mail: {tally.resets} reset mails queued, "
        f"{tally.mail_sent} marked sent, {tally.mail_waiting} waiting, {tally.delivered} delivered to the sink.",
        "",
        "Checks afterwards: every acknowledged write is in the database; every counter equals the real count; no 5xx; "
        "no failed request but those of the killed worker; no mail delivered twice, every mail marked sent delivered.",
        "",
        "**Result: " + ("all checks passed.**" if not problems else f"{len(problems)} problems:**"),
        *[f"- {p}" for p in problems[:50]],
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    args = _arguments()
    args.load_before = _load_average()
    redis, sink = PrivateRedis(), SMTPServer()
    redis.start()
    sink.start()
    env = {
        **os.environ,
        "KINDRED_ENV": "development",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": os.environ.get("DATABASE_URL", DEFAULT_DATABASE),
        "REDIS_URL": redis.url,  # the load test's own Redis: stopping it disturbs nobody else
        "KINDRED_RATELIMIT": "0",
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(sink.port),
        "MAIL_POLL_SECONDS": "1",
    }
    world, members = _prepare(args, env)
    cookie_app = Flask("load")
    cookie_app.secret_key = env["SECRET_KEY"]
    world["cookies"] = SecureCookieSessionInterface().get_signing_serializer(cookie_app)
    (ROOT / "instance").mkdir(exist_ok=True)
    server = AppServer(env, workers=args.workers, log_path=ROOT / "instance" / "load-gunicorn.log")
    mail = MailWorker(env, ROOT / "instance" / "load-mail-worker.log")
    server.start(timeout=60)
    tally = Tally()
    try:
        clients = [Client(n, server.port, m, world, tally, 0) for n, m in enumerate(members)]
        with ThreadPoolExecutor(max_workers=10) as pool:
            list(pool.map(Client.setup, clients))
        mail.start()
        started = args.started = time.monotonic()
        faults = Faults(server, redis, mail, started, args.duration)
        faults.start()
        for client in clients:
            client.deadline = started + args.duration
            client.start()
        for client in clients:
            client.join()
        elapsed = time.monotonic() - started
        faults.join(timeout=30)
        time.sleep(3)  # the mail worker's last poll
    finally:
        server.stop()
        mail.stop()
        redis.stop()
    problems = _check(env, tally, faults.log, sink)
    sink.stop()
    report = _report(args, tally, elapsed, problems, faults.log)
    print(report)
    args.output.write_text(report)
    return 0 if "all checks passed" in report else 1


if __name__ == "__main__":
    sys.exit(main())
