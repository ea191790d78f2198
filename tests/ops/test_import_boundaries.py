"""The layers stay layers: models know nothing of services or the web, permissions nothing of services, services
nothing of the web. Read from the source (every import, top-level or inside a function), so nothing has to run."""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"
# (importing package, packages it must not import, why); "web" stands for the whole web layer.
BOUNDARIES = [
    ("models", {"services", "web"}, "models are the data, used by everything above them"),
    ("permissions", {"services", "web"}, "rules answer questions; services act on the answers"),
    ("services", {"web"}, "services own the writes and must work from the CLI and the mail worker too"),
]


def web_packages(app_dir: Path) -> frozenset[str]:
    """The web layer: our plumbing (app/web) and every package that defines a blueprint (routes, forms, queries)."""
    blueprints = {init.parent.name for init in app_dir.glob("*/__init__.py") if "Blueprint(" in init.read_text()}
    return frozenset({"web", *blueprints})


def imported_packages(source: str) -> set[str]:
    """The `app.<package>` names a module imports, wherever in the module the import is."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            parts = node.module.split(".")
            if parts[0] != "app":
                continue
            if len(parts) > 1:
                found.add(parts[1])
            else:  # from app import permissions
                found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("app.") and "." in a.name)
    return found


def crossings(app_dir: Path) -> list[str]:
    """Every import that crosses a boundary, as "module imports package (why not)"."""
    web = web_packages(app_dir)
    problems = []
    for package, named, why in BOUNDARIES:
        forbidden = (named - {"web"}) | (web if "web" in named else set())
        for path in sorted((app_dir / package).rglob("*.py")):
            for target in sorted(imported_packages(path.read_text(encoding="utf-8")) & forbidden):
                problems.append(f"{path.relative_to(app_dir.parent)} imports app.{target} ({why})")
    return problems


def test_layers_import_only_downwards() -> None:
    assert crossings(APP) == []


def test_a_crossing_import_is_caught(tmp_path: Path) -> None:
    """The check sees both import forms, including one hidden inside a function."""
    for package in ("models", "permissions", "services/members", "community", "web"):
        (tmp_path / "app" / package).mkdir(parents=True)
    (tmp_path / "app/community/__init__.py").write_text('bp = Blueprint("community", __name__)\n')
    (tmp_path / "app/models/member.py").write_text("def f():\n    from app.web.forms import EmptyForm\n")
    (tmp_path / "app/permissions/rules.py").write_text("from app import services\n")
    (tmp_path / "app/services/members/account.py").write_text("import app.community.routes\nfrom app import models\n")
    assert crossings(tmp_path / "app") == [
        "app/models/member.py imports app.web (models are the data, used by everything above them)",
        "app/permissions/rules.py imports app.services (rules answer questions; services act on the answers)",
        "app/services/members/account.py imports app.community (services own the writes and must work from the CLI"
        " and the mail worker too)",
    ]
