"""`make audit`: pip-audit against PyPI's vulnerability data for everything installed in .venv (SECURITY.md #30).

pip-audit's PyPI service asks PyPI's per-release JSON (`/pypi/<name>/<version>/json`). Where that endpoint cannot
be reached (some networks only pass PyPI's project pages), pip-audit skips every package and would report
nothing. This script then asks the same PyPI vulnerability data through the project endpoint
(`/pypi/<name>/json`), which describes the latest release: exact for every package pinned at its latest
release; any other package is listed as unverified (a warning, not a pass).

Exit status: 0 when no known vulnerability was found, 1 when one was (or when nothing could be checked at all).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import urllib.request
from importlib import metadata
from pathlib import Path

PIP_AUDIT = Path(sys.executable).with_name("pip-audit")
PROJECT_JSON = "https://pypi.org/pypi/{name}/json"


def run_pip_audit() -> list[dict]:
    """pip-audit's findings for the running virtualenv, one dict per dependency."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "audit.json"
        command = [str(PIP_AUDIT), "-s", "pypi", "--skip-editable", "--progress-spinner", "off", "--desc", "off"]
        done = subprocess.run(  # noqa: S603
            [*command, "-f", "json", "-o", str(report)], check=False, capture_output=True, text=True
        )
        if not report.exists():
            sys.exit(f"pip-audit produced no report:\n{done.stdout}{done.stderr}")
        return json.loads(report.read_text())["dependencies"]


def latest_release_vulnerabilities(name: str, version: str) -> list[str] | None:
    """Vulnerability ids PyPI lists for `name` when `version` is its latest release; None when it is not."""
    with urllib.request.urlopen(PROJECT_JSON.format(name=name), timeout=30) as response:  # noqa: S310 - fixed host
        project = json.load(response)
    if project["info"]["version"] != version:
        return None
    return [vulnerability["id"] for vulnerability in project.get("vulnerabilities") or []]


def main() -> int:
    dependencies = run_pip_audit()
    vulnerable = [
        f"{d['name']} {d['version']}: {', '.join(v['id'] for v in d['vulns'])}" for d in dependencies if d.get("vulns")
    ]
    dependencies = [d for d in dependencies if "editable" not in d.get("skip_reason", "")]  # Kindred itself
    skipped = [d for d in dependencies if "skip_reason" in d]
    checked = len(dependencies) - len(skipped)
    unverified = []
    for dependency in skipped:  # pip-audit does not say their version: ask the virtualenv
        dependency["version"] = metadata.version(dependency["name"])
        found = latest_release_vulnerabilities(dependency["name"], dependency["version"])
        if found is None:
            unverified.append(f"{dependency['name']} {dependency['version']}")
        else:
            checked += 1
            vulnerable += [f"{dependency['name']} {dependency['version']}: {', '.join(found)}"] if found else []
    if skipped:
        print(f"pip-audit could not reach PyPI's per-release data for {len(skipped)} packages; used the project data.")
    print(f"Checked {checked} of {len(dependencies)} installed packages against PyPI's vulnerability data.")
    for line in unverified:
        print(f"  unverified (not the latest release, so PyPI's project data does not cover it): {line}")
    for line in vulnerable:
        print(f"  VULNERABLE {line}")
    if vulnerable or not checked:
        return 1
    print("No known vulnerabilities.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
