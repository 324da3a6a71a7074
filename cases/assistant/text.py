"""What the buyer said on a case: the text its vector is made from."""

from __future__ import annotations

import hashlib

from cases.models import Case, Direction


def buyer_text(case: Case) -> str:
    """The case's description, the review's text (a negative-review case) and the buyer's
    messages, oldest first; reads `case.review` and `case.contacts` (prefetch them for many)."""
    review = getattr(case, "review", None)
    parts = [case.description, review.text if review is not None else ""]
    parts += [contact.body for contact in case.contacts.all()
              if contact.direction == Direction.INBOUND]
    return "\n".join(part.strip() for part in parts if part and part.strip())


def digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
