"""Rows that workers claim (reminders, outgoing webhooks) are claimed, completed and retried by one
engine, config/claims.py: no other module writes a claim."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("cases", "reviews", "notifications", "config", "demo", "benchmarks")
CLAIM_FIELDS = {"claim_token", "claimed_at"}


def claim_writes(source: str) -> list[int]:
    """The lines of `.update(…)` calls that write a claim (a claim token or time that is not a
    constant: clearing one, `claim_token=""`, is no claim)."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        is_update = isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
            and node.func.attr == "update"
        if is_update and any(k.arg in CLAIM_FIELDS and not isinstance(k.value, ast.Constant)
                             for k in node.keywords):
            lines.append(node.lineno)
    return lines


def test_only_the_claim_engine_writes_a_claim():
    found = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            if lines := claim_writes(path.read_text()):
                found[str(path.relative_to(ROOT))] = lines

    assert list(found) == ["config/claims.py"]


def test_the_scan_sees_a_claim_written_by_hand():
    source = "Row.objects.filter(pk=1).update(claimed_at=now)\nRow.objects.update(claim_token='')\n"

    assert claim_writes(source) == [1]
