"""The demo buyers who threatened.

Where a story's agent escalates because the buyer threatens (a platform complaint, a bad review,
social media: the escalation's reason says so), the buyer's own words come first: a chat message
halfway between the step before and the escalation, through the same service as any buyer's message
(`log_contact`), so the case is flagged as any shop's would be (the badge in the queue and on the
case page, the supervisors told once). In the buyer's language, as the reason is. No draw of the
story's random generator: every other step of the demo stays as it was.
"""

from __future__ import annotations

from typing import Any

from demo import review_texts, texts
from demo.stories import Step

# The reason an agent escalates with (Chinese, English) → what the buyer wrote before it.
THREATENED = {
    texts.ESCALATE_REASONS[0]: ("今天不给我退款我就给你们差评，还要去平台投诉！",
                                "Refund me today or I'll leave a one-star review and file a "
                                "complaint with the platform."),
    review_texts.ESCALATE_REASONS[1]: ("不给个说法我就向平台投诉，还要发到微博上曝光你们！",
                                       "If you don't make this right I'll report you to the "
                                       "platform and post this on Twitter."),
}


def threat_before(step: Step) -> dict[str, Any] | None:
    """The buyer's threatening message that led to this step (a contact's data); None for any
    other step."""
    if step.action != "escalate":
        return None
    reason = (step.data or {}).get("reason", "")
    for (chinese, english), (said_zh, said_en) in THREATENED.items():
        if reason in (chinese, english):
            return {"channel": "chat", "direction": "inbound",
                    "body": said_zh if reason == chinese else said_en}
    return None
