"""What the cases API tests share: the addresses of a case and its transitions, and reading a list."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from cases.models import Case

CASES = "/api/v1/cases/"


def detail_url(case: Case) -> str:
    return f"{CASES}{case.pk}/"


def transition_url(case: Case, name: str) -> str:
    return f"{CASES}{case.pk}/transitions/{name}/"


def ids(response: Any) -> set[int]:
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}


def at(value: str) -> datetime:
    return datetime.fromisoformat(value)
