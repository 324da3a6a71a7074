"""The names people read for the keys a report groups by (a kind, a state, a remedy), in the
language of the request: the workbook's cells and the CSVs' label columns beside their keys."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from cases.models import Kind, Remedy, State

LABELLED = {"kind": Kind, "state": State}


def group_label(value: Any, group_by: str) -> Any:
    """A kind's or a state's name ("Negative review", "差评"); any other group as it is."""
    choices = LABELLED.get(group_by)
    if choices is not None and value in choices.values:
        return str(choices(value).label)
    return value


def remedy_mix_text(mix: dict[str, int] | None) -> str:
    """{"full_refund": 3, "reship": 1} as "Full refund 3, Reship 1"."""
    return _(", ").join(f"{Remedy(r).label if r in Remedy.values else r} {n}"
                        for r, n in (mix or {}).items())


def labelled_rows(rows: list[dict[str, Any]], group_by: str | None) -> list[dict[str, Any]]:
    """Rows for a CSV people open in a spreadsheet: beside a key column a person cannot read (a
    kind or a state as `group` or `state`; `remedy_mix`), its name in the request's language
    (`group_label`, `state_label`, `remedy_mix_label`). The keys stay for machines."""
    found = []
    for row in rows:
        out: dict[str, Any] = {}
        for key, value in row.items():
            out[key] = value
            if key == "group" and group_by in LABELLED:
                out["group_label"] = group_label(value, group_by)
            elif key == "state":
                out["state_label"] = group_label(value, "state")
            elif key == "remedy_mix":
                out["remedy_mix_label"] = remedy_mix_text(value)
        found.append(out)
    return found
