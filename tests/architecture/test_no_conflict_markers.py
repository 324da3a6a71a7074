"""A merge's conflict markers never land: in CSS one silently drops the rule after it."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MARKER = re.compile(r"^(<{7}|>{7})( |$)", re.M)
TEXT = (".py", ".html", ".css", ".js", ".md", ".po", ".txt", ".toml", ".cfg", ".yml", ".yaml")


def tracked_text_files() -> list[Path]:
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True)
    return [ROOT / name for name in listed.stdout.splitlines() if name.endswith(TEXT)]


def test_no_tracked_file_holds_a_merge_conflict_marker():
    marked = [str(path.relative_to(ROOT)) for path in tracked_text_files()
              if path.exists() and MARKER.search(path.read_text(encoding="utf-8", errors="replace"))]
    assert marked == []
