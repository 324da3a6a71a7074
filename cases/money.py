"""Amounts as people read them: ¥128.00, US$25.50, 12.50 CHF (pages, quick replies, reports)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

# The symbol before the number, unambiguous beside ¥ (the shops' own currency); a currency without
# one here is written after the number.
CURRENCY_SYMBOLS = {
    "CNY": "¥", "RMB": "¥", "USD": "US$", "EUR": "€", "GBP": "£", "JPY": "JP¥", "HKD": "HK$",
    "TWD": "NT$", "KRW": "₩", "AUD": "A$", "CAD": "CA$", "SGD": "S$",
}
NO_AMOUNT = "—"


def as_read(amount: Any, currency: str | None = "CNY") -> str:
    """¥1,280.00 for CNY, US$25.50 for USD, 12.50 CHF for a currency without a symbol here; "—"
    for no amount (text that is not a number comes back as it is)."""
    if amount is None or amount == "":
        return NO_AMOUNT
    try:
        number = f"{Decimal(str(amount)):,.2f}"
    except InvalidOperation:
        return str(amount)
    code = (currency or "CNY").upper()
    symbol = CURRENCY_SYMBOLS.get(code)
    return f"{symbol}{number}" if symbol else f"{number} {code}"
