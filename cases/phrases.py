"""The reply phrase check: phrases service language never uses, found with their positions."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import F, Q
from django.utils.translation import gettext as _

from cases.models import PhraseRule, Shop

# The input fields whose words reach the buyer or the public (a step's message, the public reply,
# a contact's text): checked as they are typed, and again by the service, which keeps the hits.
TO_THE_BUYER = frozenset({"message", "text", "body"})


@dataclass(frozen=True)
class PhraseHit:
    phrase: str
    start: int  # character offsets in the text: text[start:end] is the hit
    end: int
    suggestion: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def rules_for(shop: Shop | None) -> dict[str, str]:
    """phrase → suggestion: the defaults, with the shop's own rules replacing or switching them off."""
    rows = PhraseRule.objects.filter(Q(shop__isnull=True) | Q(shop=shop)).order_by(
        F("shop_id").asc(nulls_first=True), "phrase"
    )
    rules: dict[str, str] = {}
    for rule in rows:  # the defaults first, then the shop's own rules over them
        if rule.enabled:
            rules[rule.phrase] = rule.suggestion
        else:
            rules.pop(rule.phrase, None)
    return rules


def _pattern(phrase: str) -> re.Pattern[str]:
    plain = phrase.replace("’", "'")  # a rule typed with a curly apostrophe is English too
    if plain.isascii():
        # English: whole words, any case, straight or curly apostrophes.
        body = re.escape(plain).replace("'", "['’]")
        return re.compile(rf"(?<![\w'’]){body}(?![\w'’])", re.IGNORECASE)
    return re.compile(re.escape(phrase))


def check_phrases(text: str, rules: dict[str, str]) -> list[PhraseHit]:
    """Every place the text uses a phrase to avoid, in order; a longer phrase wins an overlap."""
    found: list[PhraseHit] = []
    for phrase in sorted(rules, key=len, reverse=True):
        for match in _pattern(phrase).finditer(text):
            if any(match.start() < hit.end and hit.start < match.end() for hit in found):
                continue
            found.append(PhraseHit(phrase, match.start(), match.end(), rules[phrase]))
    return sorted(found, key=lambda hit: hit.start)


def hits_in_words_to_the_buyer(values: dict[str, Any], shop: Shop | None) -> list[PhraseHit]:
    """The phrase hits in an input's fields that the buyer or the public reads (none: no query)."""
    texts = [values[name] for name in sorted(TO_THE_BUYER)
             if isinstance(values.get(name), str) and values[name].strip()]
    if not texts:
        return []
    rules = rules_for(shop)
    return [hit for text in texts for hit in check_phrases(text, rules)]


CONTEXT_REACH = 12  # characters shown either side of a hit when it is named in words


def in_context(text: str, hit: PhraseHit, reach: int = CONTEXT_REACH) -> str:
    """The words around a hit, as a person finds it again in what they wrote: "…亲，我不能退款…"."""
    start, end = max(0, hit.start - reach), min(len(text), hit.end + reach)
    # In words separated by spaces, no word is cut in two.
    if start > 0 and not text[start - 1].isspace() and " " in text[start:hit.start]:
        start = text.index(" ", start, hit.start) + 1
    if end < len(text) and not text[end].isspace() and " " in text[hit.end:end]:
        end = text.rindex(" ", hit.end, end)
    before = ("…" if start > 0 else "") + text[start:hit.start]
    after = text[hit.end:end] + ("…" if end < len(text) else "")
    return " ".join(f"{before}{text[hit.start:hit.end]}{after}".split())


def describe(text: str, hit: PhraseHit) -> str:
    """A hit in words, where it is quoted in its context (never a character position)."""
    return _("“%(phrase)s” in “%(context)s”: say instead “%(suggestion)s”.") % {
        "phrase": hit.phrase, "context": in_context(text, hit), "suggestion": hit.suggestion}
