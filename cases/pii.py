"""Buyers' phone and address: masked everywhere, revealed only by an explicit, logged action.

Who may reveal: the case's assignee, the shop's supervisors and admins (`cases.reveal_pii`). Each
reveal writes a PiiReveal row and a timeline event naming the field (never the value).
"""

from __future__ import annotations


def mask_phone(phone: str) -> str:
    """138****8000."""
    if len(phone) <= 7:
        return "*" * len(phone)
    return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"


def mask_address(address: str) -> str:
    """The first 6 characters (province, city), then ****."""
    if not address:
        return ""
    return f"{address[:6]}****"
