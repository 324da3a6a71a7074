"""What a quick reply (快捷短语) needs: its title, body, variables and language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases import reply_variables
from cases.models import CannedReply, Kind, ReplyLanguage
from cases.models.canned_reply import BODY_MAX
from cases.phrases import check_phrases, rules_for
from cases.workflows import step_labels


class CannedReplyInput(serializers.Serializer):
    """A quick reply (快捷短语) as a supervisor writes it; context: the shop, and the reply when
    one is changed."""

    title = serializers.CharField(max_length=80, error_messages={
        "blank": _("Give the quick reply a title."), "required": _("Give the quick reply a title.")})
    shortcut = serializers.RegexField(
        r"^/?[A-Za-z0-9_-]{1,30}$", max_length=31,
        help_text=_("One word typed after / in the reply box, e.g. hi."),
        error_messages={"invalid": _("One word of letters, digits, - and _ (at most 30 "
                                     "characters), e.g. hi."),
                        "blank": _("Give a shortcut, e.g. hi.")})
    language = serializers.ChoiceField(choices=ReplyLanguage.choices)
    body = serializers.CharField(max_length=BODY_MAX, error_messages={
        "blank": _("Write the text of the reply."), "required": _("Write the text of the reply.")})
    kind = serializers.ChoiceField(choices=Kind.choices, required=False, allow_blank=True,
                                   default="", help_text=_("Empty: any kind of case."))
    step = serializers.CharField(required=False, allow_blank=True, default="", max_length=32,
                                 help_text=_("A workflow step, e.g. calm; empty: any step."))

    def validate_shortcut(self, shortcut: str) -> str:
        return shortcut.removeprefix("/").lower()

    def validate_body(self, body: str) -> str:
        problems = []
        unknown = reply_variables.unknown(body)
        if unknown:
            problems.append(_("There is no variable %(unknown)s; the variables are %(known)s.") % {
                "unknown": ", ".join(f"{{{name}}}" for name in unknown),
                "known": ", ".join(f"{{{name}}}" for name in reply_variables.VARIABLES)})
        hits = check_phrases(body, rules_for(self.context["shop"]))
        if hits:
            self.context["phrase_hits"] = [hit.as_dict() for hit in hits]
            problems += [_("“%(phrase)s”: say instead “%(suggestion)s”.")
                         % {"phrase": hit.phrase, "suggestion": hit.suggestion} for hit in hits]
        if problems:
            raise serializers.ValidationError(problems)
        return body

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        kind, step = attrs.get("kind", ""), attrs.get("step", "")
        if step:
            steps = step_labels(kind or None)
            if step not in steps:
                raise serializers.ValidationError({"step": _(
                    "“%(step)s” is not a step of %(kind)s; choose one of: %(steps)s.") % {
                    "step": step_labels().get(step, step),
                    "kind": Kind(kind).label if kind else _("any kind of case"),
                    "steps": ", ".join(str(label) for label in steps.values())}})
        reply = self.context.get("reply")
        taken = CannedReply.objects.filter(shop=self.context["shop"], archived=False,
                                           language=attrs["language"], shortcut=attrs["shortcut"])
        if reply is not None:
            taken = taken.exclude(pk=reply.pk)
        if taken.exists():
            raise serializers.ValidationError({"shortcut": _(
                "/%(shortcut)s is already a quick reply of this shop in this language; choose "
                "another shortcut.") % {"shortcut": attrs["shortcut"]}})
        return attrs


class NewCannedReplyInput(CannedReplyInput):
    shop = serializers.CharField(max_length=40, help_text=_("The shop's code."))
