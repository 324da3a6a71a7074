"""Threats in a buyer's words: a complaint to the platform or a regulator, legal action, public
exposure, a bad review unless paid. Found by the shop's threat rules, with the words that
triggered each; a threat the buyer denies in the same clause ("我不会投诉的", "I won't sue") is not
one. Only ever a flag for people: nothing is done to the buyer because of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db.models import F, Q
from django.utils.translation import gettext as _

from cases.models import Shop, ThreatRule

MAX_PATTERN = 200
MAX_MATCHED = 40  # characters of one matched span kept (a span of a rule with a gap may be long)
MAX_WORDS = 10  # matched spans kept per kind

# English rules (letters, digits and signs only) match whole words, in any case.
WORD_CHARACTER = re.compile(r"[A-Za-z0-9_'’]")
HAS_LATIN = re.compile(r"[A-Za-z0-9]")
NOT_A_WORD_AFTER = r"(?![A-Za-z0-9_])"  # "attorney general's office" names the attorney general

# A repetition of a group that itself repeats ("(a+)+"): matching it can take exponential time.
NESTED_REPETITION = re.compile(r"\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)[+*{]")

# A denial before the threat, in the same clause: "我不会投诉", "没打算找律师", "I won't sue",
# "not going to report you". Not bare 不/not: "不退款就投诉" and "if you do not refund I will sue"
# threaten (the words in between turn it back into a threat: 就, 否则, will, or, unless …).
DENIAL_ZH = re.compile(r"不会|不想|不打算|不准备|没打算|没想过?|没有|不用|不必|无意|不至于|并不|不再|不是要")
DENIAL_EN = re.compile(
    r"(?<![a-z])(?:won['’]?t|will not|wouldn['’]?t|would not|not going to|don['’]?t|do not|"
    r"didn['’]?t|never|no need to|no intention|not planning|not)(?![a-z])", re.IGNORECASE)
THREAT_AGAIN = re.compile(
    r"就|否则|不然|要不|要么|再不|除非|直接|要|会|必须|一定|(?<![a-z])(?:i['’]ll|will|going to|"
    r"then|or|otherwise|unless|hesitate|afraid|make me|until)(?![a-z])", re.IGNORECASE)
DENIAL_REACH_ZH = 8  # characters between the denial and the threat
DENIAL_REACH_EN = 30
CLAUSE_END = re.compile(r"[。！？!?；;，,\n]|\.(?:\s|$)")


@dataclass(frozen=True)
class Rule:
    code: str
    pattern: re.Pattern[str]
    english: bool = False  # whole words: the character before a match is checked as it is found


def pattern_problem(pattern: str) -> str:
    """Why this pattern cannot be a threat rule, in words (empty: it can)."""
    if not pattern.strip():
        return _("Write the words to look for.")
    if len(pattern) > MAX_PATTERN:
        return _("A pattern is at most %(limit)s characters.") % {"limit": MAX_PATTERN}
    try:
        compiled = compile_pattern(pattern)
    except re.error as error:
        return _("This is not a pattern the rules understand (%(error)s). Use plain words; "
                 "a|b for either, .{0,6} for up to six characters between.") % {"error": error}
    if compiled.search("") or compiled.search(" "):
        return _("This pattern matches every text: name the words to look for.")
    if NESTED_REPETITION.search(pattern):
        return _("A repeated group inside a repetition makes matching very slow: write the "
                 "words without it.")
    return ""


def is_english(pattern: str) -> bool:
    return pattern.replace("’", "'").isascii()


@lru_cache(maxsize=2048)
def compile_pattern(pattern: str) -> re.Pattern[str]:
    """The pattern as it is searched; an English one ends on a whole word (that it starts on one
    is checked where it is found: a look-behind first would make every search several times
    slower)."""
    if is_english(pattern):
        body = _any_apostrophe(pattern.replace("’", "'"))
        return re.compile(f"(?:{body}){NOT_A_WORD_AFTER}", re.IGNORECASE)
    return re.compile(pattern, re.IGNORECASE)


def _any_apostrophe(pattern: str) -> str:
    """A straight apostrophe outside a [set] matches a curly one too ("I'll", "I’ll")."""
    out, in_set, escaped = [], False, False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            in_set = True
        elif char == "]":
            in_set = False
        elif char == "'" and not in_set:
            out.append("['’]")
            continue
        out.append(char)
    return "".join(out)


def flags_of(case: Any) -> list[dict[str, Any]]:
    """The case's flags as the API and the outgoing webhooks carry them, one per kind:
    `[{"code", "matched", "source", "at"}]` (empty: none). No query: read from `Case.threats`."""
    return [{"code": f["code"], "matched": list(f.get("matched") or []),
             "source": f.get("source", ""), "at": f.get("at")} for f in case.threats or []]


def rules_for(shop: Shop | None) -> list[Rule]:
    """The defaults, with the shop's own rules added, replacing or switching them off (one query).
    A pattern that does not compile (written past the admin's check) is left out."""
    rows = ThreatRule.objects.filter(Q(shop__isnull=True) | Q(shop=shop)).order_by(
        F("shop_id").asc(nulls_first=True), "code", "pattern").values_list(
        "code", "pattern", "enabled")
    wanted: dict[tuple[str, str], bool] = {}
    for code, pattern, enabled in rows:  # the defaults first, then the shop's over them
        wanted[(code, pattern)] = enabled
    patterns: dict[tuple[str, bool], list[str]] = {}
    for (code, pattern), enabled in wanted.items():
        if enabled and not pattern_problem(pattern):
            patterns.setdefault((code, is_english(pattern)), []).append(
                compile_pattern(pattern).pattern)
    # One pattern per kind and language, its rules as alternatives: the text is read once for
    # each, not once per rule.
    return [Rule(code, _joined(tuple(sorted(alternatives))), english)
            for (code, english), alternatives in patterns.items()]


@lru_cache(maxsize=256)
def _joined(alternatives: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{a})" for a in alternatives), re.IGNORECASE)


def find_threats(text: str, rules: list[Rule]) -> dict[str, list[str]]:
    """Each kind of threat in the text, with the words that triggered it in the order they appear
    (each once); a denied threat ("我不会投诉的") is left out."""
    found: dict[str, list[tuple[int, str]]] = {}
    if not text or not text.strip():
        return {}
    latin = HAS_LATIN.search(text) is not None
    for rule in rules:
        if rule.english and not latin:
            continue  # no English word in the text
        for match in rule.pattern.finditer(text):
            if match.end() == match.start():
                continue
            if rule.english and match.start() > 0 and WORD_CHARACTER.match(text[match.start() - 1]):
                continue  # inside a word: "issue" is not "sue"
            if _denied(text, match.start()):
                continue
            words = " ".join(match.group(0).split())[:MAX_MATCHED]
            spans = found.setdefault(rule.code, [])
            if all(words != w for _at, w in spans):
                spans.append((match.start(), words))
    # Each kind in the order its first words appear in the text.
    return {code: [w for _at, w in sorted(spans)][:MAX_WORDS]
            for code, spans in sorted(found.items(), key=lambda item: min(item[1]))}


def _denied(text: str, start: int) -> bool:
    """A denial ends shortly before the threat in its clause, with nothing between that makes it a
    threat again."""
    clause_start = 0
    for end in CLAUSE_END.finditer(text, 0, start):
        clause_start = end.end()
    before = text[clause_start:start]
    for denial, reach in ((DENIAL_ZH, DENIAL_REACH_ZH), (DENIAL_EN, DENIAL_REACH_EN)):
        last = None
        for last in denial.finditer(before):  # noqa: B007 (the last one counts)
            pass
        if last is None:
            continue
        between = before[last.end():]
        if len(between) <= reach and not THREAT_AGAIN.search(between):
            return True
    return False
