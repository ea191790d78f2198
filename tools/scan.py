"""`make scan`: an outside scanner (wapiti3) against Kindred with demo data, signed in as a member.

Serves a fresh SQLite copy of the demo community with gunicorn on 127.0.0.1, signs in as the demo member, loads one
page so the session cookie holds its CSRF secret (without it every form the scanner fuzzes would fail CSRF and test
nothing), and runs wapiti with the injection, file, redirect and CRLF modules for at most SCAN_SECONDS. Fails on any
finding in wapiti's report and on any 5xx in the server's access log during the scan. Everything stays on loopback.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.live_server import AppServer, Browser  # noqa: E402 - after the path is set

WAPITI = Path(os.environ.get("WAPITI", ROOT / ".venv-scan" / "bin" / "wapiti"))
MODULES = "xss,permanentxss,sql,timesql,exec,file,redirect,crlf"
SCAN_SECONDS = int(os.environ.get("SCAN_SECONDS", "300"))
MEMBER = ("member@example.org", "kindred-demo-password")
# Requests that would end the scanner's own session or account, so the rest of the scan would run as a visitor.
EXCLUDED = ["/logout", "/account/*", "/privacy/delete*", "/privacy/export*"]
ACCESS_5XX = re.compile(r'" (5\d\d) ')


def serve(env: dict[str, str], workdir: Path) -> AppServer:
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    for command in (["db", "upgrade"], ["seed-demo"]):
        subprocess.run([*flask, *command], cwd=ROOT, env={**os.environ, **env}, check=True, capture_output=True)  # noqa: S603
    access = ("--access-logfile", str(workdir / "access.log"))
    return AppServer(env, workers=2, log_path=workdir / "server.log", extra_args=access).start(timeout=60)


def member_cookie_file(server: AppServer, path: Path) -> None:
    """The signed-in member's cookies, in the JSON cookie-jar format wapiti reads (`-c`)."""
    browser = Browser(server.port)
    browser.sign_in(*MEMBER)
    browser.csrf_token()  # a page with a form: the session now carries the CSRF secret
    jar = {
        "127.0.0.1": {
            "/": {
                name: {"value": value, "version": 0, "expires": None, "secure": False, "port": None}
                for name, value in browser.cookies.items()
            }
        }
    }
    path.write_text(json.dumps(jar))


def run_wapiti(server: AppServer, workdir: Path) -> dict:
    report = workdir / "report.json"
    command = [str(WAPITI), "-u", f"http://127.0.0.1:{server.port}/", "-m", MODULES,
               "-c", str(workdir / "cookies.json"), "--dns-endpoint", "localhost", "--flush-session",
               "--store-session", str(workdir / "session"), "--max-scan-time", str(SCAN_SECONDS),
               "--max-attack-time", str(max(SCAN_SECONDS // 8, 20)), "--scope", "domain",
               "-f", "json", "-o", str(report), "--verbose", "1"]  # fmt: skip
    for pattern in EXCLUDED:
        command += ["-x", f"http://127.0.0.1:{server.port}{pattern}"]
    with open(workdir / "wapiti.log", "wb") as log:
        subprocess.run(command, stdout=log, stderr=log, timeout=SCAN_SECONDS + 180, check=False)  # noqa: S603
    return json.loads(report.read_text())


def summarise(report: dict, access_log: str) -> tuple[list[str], list[str], int]:
    """wapiti's findings, the 5xx lines of the access log, and how many requests the server answered."""
    findings = [f"{kind}: {item.get('info', '')} ({item.get('path', '')})"
                for kind, items in report.get("vulnerabilities", {}).items() for item in items]  # fmt: skip
    errors = [line for line in access_log.splitlines() if ACCESS_5XX.search(line)]
    return findings, errors, len(access_log.splitlines())


def main() -> int:
    if not WAPITI.exists():
        print(f"wapiti not found at {WAPITI}: run `make scan`, which installs it in .venv-scan", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="kindred-scan-") as tmp:
        workdir = Path(tmp)
        env = {
            "DATABASE_URL": f"sqlite:///{workdir / 'scan.sqlite3'}",
            "KINDRED_ENV": "development",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "KINDRED_RATELIMIT": "0",  # a scanner sends thousands of forms; the limits are tested elsewhere
            "MAIL_BACKEND": "console",
        }
        server = serve(env, workdir)
        try:
            member_cookie_file(server, workdir / "cookies.json")
            report = run_wapiti(server, workdir)
        finally:
            server.stop()
        kept = ROOT / "instance" / "scan"  # the last scan's logs and report, for docs/security.md and for reading
        kept.mkdir(parents=True, exist_ok=True)
        for name in ("wapiti.log", "access.log", "server.log", "report.json"):
            if (workdir / name).exists():
                shutil.copy(workdir / name, kept / name)
        findings, errors, requests = summarise(report, (workdir / "access.log").read_text())
        print(f"wapiti {MODULES}: {requests} requests in at most {SCAN_SECONDS} s as a signed-in member")
        print(f"findings: {len(findings)}; 5xx answers: {len(errors)}")
        for line in findings + errors[:20]:
            print("  " + line)
        if findings or errors:
            print((workdir / "server.log").read_text()[-4000:], file=sys.stderr)
        return 1 if findings or errors else 0


if __name__ == "__main__":
    sys.exit(main())
