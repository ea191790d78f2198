"""Faults for the mixed load test (bench/mixed_load.py): one app worker killed mid-request, Redis stopped and
started, the mail worker restarted. Everything runs on loopback, owned by the load test: a Redis of its own on a free
port (the shared one on 6379 is never touched), an SMTP sink, and `flask send-mail` processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tests.live_server import AppServer, free_port
from tests.smtp import SMTPServer

ROOT = Path(__file__).resolve().parents[1]


class PrivateRedis:
    """redis-server on a free loopback port, without persistence, that can be stopped and started again."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        command = ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
        time.sleep(0.3)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


class MailWorker:
    """`flask --app wsgi send-mail`, delivering to the load test's SMTP sink."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.env, self.log_path = env, log_path
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [sys.executable, "-m", "flask", "--app", "wsgi", "send-mail"]
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=log)  # noqa: S603

    def stop(self) -> None:
        """SIGTERM: the worker finishes the message in hand, then exits (app/ops/mail_worker.py)."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=30)


def worker_pids(server: AppServer) -> list[int]:
    """The gunicorn master's children: its workers."""
    assert server.process is not None
    master, pids = server.process.pid, []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                pids.append(int(entry))
    return sorted(pids)


@dataclass
class FaultLog:
    """When each fault happened, to tell failures it caused from any other."""

    events: list[tuple[float, str]] = field(default_factory=list)
    kill_times: list[float] = field(default_factory=list)

    def note(self, what: str) -> None:
        self.events.append((time.monotonic(), what))


class Faults(threading.Thread):
    """At a quarter of the run kill one app worker (SIGKILL), at half stop Redis for two seconds, at three quarters
    restart the mail worker."""

    def __init__(self, server: AppServer, redis: PrivateRedis, mail: MailWorker, started: float, duration: float):
        super().__init__(daemon=True)
        self.server, self.redis, self.mail = server, redis, mail
        self.started, self.duration = started, duration
        self.log = FaultLog()

    def _at(self, share: float) -> None:
        time.sleep(max(0.0, self.started + share * self.duration - time.monotonic()))

    def run(self) -> None:
        self._at(0.25)
        victim = worker_pids(self.server)[0]
        self.log.kill_times.append(time.monotonic())
        os.kill(victim, signal.SIGKILL)
        self.log.note(f"killed app worker {victim} (SIGKILL); gunicorn started another")
        self._at(0.5)
        self.redis.stop()
        self.log.note("Redis stopped")
        time.sleep(2)
        self.redis.start()
        self.log.note("Redis started again")
        self._at(0.75)
        self.mail.stop()
        self.log.note("mail worker stopped (SIGTERM)")
        self.mail.start()
        self.log.note("mail worker started again")


def mail_problems(sink: SMTPServer, sent_ids: set[int], queued: int) -> list[str]:
    """No message delivered twice; every message the outbox marks sent reached the sink."""
    delivered = Counter(str(message["Message-ID"]) for message in sink.messages)
    problems = [f"{mid} delivered {n} times" for mid, n in delivered.items() if n > 1]
    ids = {int(mid.split(".", 1)[1].split("@", 1)[0]) for mid in delivered if mid.startswith("<outbox.")}
    problems += [f"outbox {i} marked sent but never delivered" for i in sorted(sent_ids - ids)]
    if queued and not ids:
        problems.append("the mail worker delivered nothing")
    return problems
