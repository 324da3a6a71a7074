"""The README is a front door and the docs a set: links resolve, and the layout tables name only
paths that exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = sorted((ROOT / "docs").glob("*.md"))
LAYOUT_TABLES = [ROOT / "README.md", ROOT / "docs" / "architecture.md"]


def test_the_readme_is_a_front_door_of_at_most_8_kb():
    assert (ROOT / "README.md").stat().st_size <= 8 * 1024


def test_every_relative_link_in_the_readme_and_the_docs_resolves():
    broken = []
    for page in [ROOT / "README.md", *DOCS]:
        for target in re.findall(r"\]\(([^)#\s]+)", page.read_text()):
            if "://" not in target and not (page.parent / target).exists():
                broken.append(f"{page.name}: {target}")

    assert broken == []


def test_every_path_a_layout_table_names_exists():
    missing = []
    for page in LAYOUT_TABLES:
        for row in (line for line in page.read_text().splitlines() if line.startswith("| `")):
            where = row.split("|")[1]
            for path in re.findall(r"`([\w./-]+)`", where):
                named = ("/" in path or path.endswith(".py")) and not path.startswith("/")
                if named and not (ROOT / path).exists():
                    missing.append(f"{page.name}: {path}")

    assert missing == []
