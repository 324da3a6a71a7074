"""Dependencies between the apps run one way: cases decide, notifications only tell people."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(package: str) -> dict[str, set[str]]:
    """Every module each file of the package imports (at any depth, lazy imports too)."""
    found: dict[str, set[str]] = {}
    for path in (ROOT / package).rglob("*.py"):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
        found[str(path.relative_to(ROOT))] = names
    return found


def test_notifications_never_import_the_case_services_or_workflows():
    deciding = ("cases.services", "cases.workflows", "cases.webhooks", "cases.outgoing")

    offenders = {path: sorted(n for n in names if n.startswith(deciding))
                 for path, names in imported_modules("notifications").items()}

    assert {path: names for path, names in offenders.items() if names} == {}


def test_the_scan_sees_lazy_imports_inside_functions(tmp_path):
    # (the escalation used to be imported inside a function of notifications/delivery.py)
    source = "def f():\n    from cases.services import run_transition\n"
    tree = ast.parse(source)

    modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}

    assert modules == {"cases.services"}
