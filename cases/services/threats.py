"""Threats flagged at intake: the buyer's words as they arrive (a case's description, a review's
text, a message from the buyer), read against the shop's threat rules (cases/threats.py).

Runs inside the transaction that brings the words in. A kind of threat is flagged once per case
(the same words again change nothing; new words for it are added to what it matched); a new flag is
a `threat_flagged` timeline event, puts the open case ahead in the queue and in claim next
(`Case.flagged`), and tells the shop's supervisors once per case and kind. Nothing is done to or
sent to the buyer because of it: the seeds' "never retaliate".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.utils import timezone

from cases import events, reminders
from cases.models import Case, Contact, Kind, ThreatSource
from cases.threats import MAX_WORDS, Rule, find_threats, rules_for


def source_of_opening(case: Case) -> str:
    """A negative-review case opens with the review's words; the others with the description."""
    return ThreatSource.REVIEW if case.kind == Kind.NEGATIVE_REVIEW else ThreatSource.DESCRIPTION


def flag_threats(case: Case, *, texts: Iterable[str], source: str,
                 contact: Contact | None = None, by: Any = None,
                 rules: Sequence[Rule] | None = None) -> list[dict[str, Any]]:
    """Flag the threats in these buyer texts on a case the caller has locked (or just made) in its
    transaction; returns the new flags (none: nothing written, and no query beyond the rules)."""
    found: dict[str, list[str]] = {}
    wanted = [text for text in texts if text and text.strip()]
    if not wanted:
        return []
    rules = rules_for(case.shop) if rules is None else rules
    for text in wanted:
        for code, words in find_threats(text, list(rules)).items():
            found.setdefault(code, [])
            found[code].extend(w for w in words if w not in found[code])
    new, changed = merge_threats(case, found, source=source, now=timezone.now())
    if not changed:
        return []
    Case.objects.filter(pk=case.pk).update(threats=case.threats, flagged=case.flagged)
    if new:
        event = events.threats_flagged(case=case, by=by, flags=new, source=source,
                                       contact=contact)
        reminders.notify_threats([(case, new)], event_ids={case.pk: event.pk})
    return new


def merge_threats(case: Case, found: dict[str, list[str]], *, source: str,
                  now: datetime) -> tuple[list[dict[str, Any]], bool]:
    """Add what was found to the case's flags (not saved): (the new flags, whether any changed)."""
    flags = [dict(flag) for flag in case.threats or []]
    by_code = {flag["code"]: flag for flag in flags}
    new, changed = [], False
    for code, words in found.items():
        flag = by_code.get(code)
        if flag is None:
            flag = {"code": code, "matched": words[:MAX_WORDS], "source": source,
                    "at": now.isoformat()}
            flags.append(flag)
            new.append(flag)
            changed = True
            continue
        more = [w for w in words if w not in flag["matched"]]
        if more and len(flag["matched"]) < MAX_WORDS:
            flag["matched"] = [*flag["matched"], *more][:MAX_WORDS]
            changed = True
    if changed:
        case.threats = flags
    if new and case.is_open:
        case.flagged = True
    return new, changed


def flag_new_cases(cases: Sequence[Case], *, rules: Sequence[Rule]) -> None:
    """Before cases opened in bulk (an import) are inserted: their flags, from their descriptions
    (the events and the supervisors' notices follow with `announce_new_flags`)."""
    now = timezone.now()
    for case in cases:
        found = find_threats(case.description, list(rules))
        if found:
            merge_threats(case, found, source=source_of_opening(case), now=now)


def announce_new_flags(cases: Sequence[Case]) -> None:
    """The events and the supervisors' notices of cases just inserted with flags (a few INSERTs)."""
    flagged = [case for case in cases if case.threats]
    if not flagged:
        return
    made = events.threats_flagged_in_bulk(cases=flagged)
    reminders.notify_threats([(case, case.threats) for case in flagged],
                              event_ids={e.case_id: e.pk for e in made})
