"""Load one URL for a bounded time from a second process: wrk when installed, else bench/pyload.py."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

# Two cores serve two gunicorn workers: one wrk thread with four connections keeps both busy without starving them.
CONNECTIONS = 4
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass(frozen=True)
class Load:
    """What a load run measured: throughput, latency percentiles (ms), and failed responses."""

    rps: float
    p50: float
    p99: float
    requests: int
    errors: int


def tool() -> str:
    return "wrk" if shutil.which("wrk") else "bench/pyload.py"


def run(url: str, seconds: float, headers: dict[str, str] | None = None) -> Load:
    """Load `url` with CONNECTIONS connections for `seconds`, sending `headers` (a member's Cookie, say); errors are
    non-2xx/3xx answers and socket errors."""
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError("the benchmark only loads servers on 127.0.0.1")
    if tool() == "wrk":
        return _wrk(url, seconds, headers or {})
    command = [sys.executable, str(Path(__file__).with_name("pyload.py")), url, str(seconds), str(CONNECTIONS)]
    if headers:
        command.append(json.dumps(headers))
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603 - our command
    return Load(**json.loads(output))


def _wrk(url: str, seconds: float, headers: dict[str, str]) -> Load:
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{max(1, round(seconds))}s", "--latency", "--timeout", "10s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], check=True, capture_output=True, text=True).stdout  # noqa: S603
    return parse_wrk(output)


def parse_wrk(output: str) -> Load:
    """The figures out of wrk's --latency report."""

    def latency(percent: str) -> float:
        value, unit = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M).groups()
        return float(value) * UNITS[unit]

    requests = int(re.search(r"(\d+) requests in", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    errors = (int(non_2xx.group(1)) if non_2xx else 0) + (sum(map(int, sockets.groups())) if sockets else 0)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    return Load(rps=rps, p50=latency("50"), p99=latency("99"), requests=requests, errors=errors)
