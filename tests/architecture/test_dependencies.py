"""Dependencies between the apps run one way: cases decide, notifications only tell people."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from tests.architecture.app_graph import app_graph
from tests.architecture.app_graph import cycles as app_cycles

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


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


def test_notifications_import_no_module_of_cases_or_reviews():
    # Notifications tell someone, once, at the right time; what a reminder is about is asked of
    # the subject cases registers (notifications/subjects.py).
    other_apps = ("cases", "reviews", "demo", "benchmarks")

    offenders = {path: sorted(n for n in names if n.split(".")[0] in other_apps)
                 for path, names in imported_modules("notifications").items()}

    assert {path: names for path, names in offenders.items() if names} == {}


def test_the_apps_import_each_other_in_no_cycle():
    edges, _graph = app_graph()

    assert app_cycles(edges) == []
    assert "notifications" in edges["cases"]  # the one way: cases use notifications


def test_the_cycle_finder_sees_a_cycle_through_three_apps():
    edges = {"a": ["b"], "b": ["c"], "c": ["a"], "d": ["a"]}

    assert app_cycles(edges) == [["a", "b", "c"]]


def test_the_import_contracts_of_pyproject_hold():
    # The layers (demo, benchmarks > reviews > cases > notifications > config) as `lint-imports`
    # checks them. In a process of its own: the command configures logging with
    # disable_existing_loggers, which would silence this process's loggers for every later test.
    checked = subprocess.run([str(LINT_IMPORTS), "--config", str(ROOT / "pyproject.toml"),
                              "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)

    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_scan_sees_lazy_imports_inside_functions(tmp_path):
    # (the escalation used to be imported inside a function of notifications/delivery.py)
    source = "def f():\n    from cases.services import run_transition\n"
    tree = ast.parse(source)

    modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}

    assert modules == {"cases.services"}


def module_graph(packages: tuple[str, ...]) -> dict[str, set[str]]:
    """module → the project modules it imports (package __init__ files as the package's name)."""
    names = {}
    for package in packages:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            names[module.removesuffix(".__init__")] = path
    graph: dict[str, set[str]] = {}
    for module, path in names.items():
        edges = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            targets = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
            for target in targets:
                while target and target not in names:
                    target = target.rpartition(".")[0]
                if target and target != module:
                    edges.add(target)
        graph[module] = edges
    return graph


def cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(component)

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_no_circle_of_imports_spans_two_apps():
    apps = ("cases", "reviews", "notifications", "config", "demo", "benchmarks")

    spanning = [sorted(c) for c in cycles(module_graph(apps)) if len({m.split(".")[0] for m in c}) > 1]

    assert spanning == []
