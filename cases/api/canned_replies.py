"""Quick replies (快捷短语) in the API: the reply box lists them for a case and inserts one; the
shop's supervisors write them. Thin: validate the query, call the read or the service, render."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from cases import services
from cases.canned_replies import case_to_fill, live_replies, with_filled
from cases.inputs import CannedReplyInput, NewCannedReplyInput
from cases.models import CannedReply, ReplyLanguage
from config.api_schema import READ_ERRORS, WRITE_ERRORS, errors

ID = r"[0-9]{1,18}"


class CannedReplySerializer(serializers.ModelSerializer):
    shop = serializers.CharField(source="shop.code")
    filled = serializers.CharField(
        allow_null=True, read_only=True, default=None,
        help_text="The text filled for the case asked about (?case=); a variable with no value "
                  "for it stays as {name}. Null without ?case=.")

    class Meta:
        model = CannedReply
        fields = ["id", "shop", "title", "shortcut", "language", "body", "filled", "kind", "step",
                  "usage_count"]


class ReplyQuery(serializers.Serializer):
    case = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    language = serializers.ChoiceField(choices=ReplyLanguage.choices, required=False,
                                       allow_blank=True)


USE_INPUT = inline_serializer("UseCannedReplyInput", {"case": serializers.IntegerField(
    help_text="The case the reply is inserted into.")})
FILLED = inline_serializer("FilledReply", {"filled": serializers.CharField()})


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("case", int, description="A case: its shop's replies that fit its "
                             "kind, each filled for it."),
            OpenApiParameter("language", str, enum=[*ReplyLanguage.values, ""],
                             description="Only the replies in this language."),
        ],
        responses={200: CannedReplySerializer(many=True), **errors(*READ_ERRORS, 400)},
        description="The quick replies you may use, not archived, by kind, step and shortcut; "
                    "with ?case= those of the case's shop for its kind (and any kind), each "
                    "with `filled`."),
    create=extend_schema(
        request=NewCannedReplyInput,
        responses={201: CannedReplySerializer, **errors(*WRITE_ERRORS)},
        description="A new quick reply (the shop's supervisors). 400 for a phrase to avoid under "
                    "the shop's rules (with `phrase_hits`), an unknown variable, a shortcut "
                    "already used, or a shop you have none of."),
    partial_update=extend_schema(
        request=CannedReplyInput(partial=True),
        responses={200: CannedReplySerializer, **errors(*WRITE_ERRORS)},
        description="Change a quick reply (checked as a new one is)."),
    destroy=extend_schema(responses={204: None, **errors(*WRITE_ERRORS)},
                          description="Archive a quick reply: agents no longer see it."),
    use=extend_schema(
        request=USE_INPUT, responses={200: FILLED, **errors(*WRITE_ERRORS)},
        description="Insert a quick reply into a case's reply box: its text filled for the case, "
                    "counted as one use."),
)
class CannedReplyViewSet(viewsets.GenericViewSet):
    serializer_class = CannedReplySerializer
    pagination_class = None  # the reply box needs them all
    lookup_value_regex = ID

    def get_queryset(self):  # noqa: ANN201 (the schema reads the model from it)
        return live_replies(self.request.user)

    def list(self, request: Request) -> Response:
        query = ReplyQuery(data=request.query_params)
        if not query.is_valid():
            raise ValidationError(query.errors)
        case_id, language = query.validated_data.get("case"), query.validated_data.get("language")
        if case_id is None:
            rows = with_filled(live_replies(request.user, language=language or ""), None, None)
        else:
            case = case_to_fill(request.user, case_id)
            rows = with_filled(live_replies(request.user, shop_ids=[case.shop_id], kind=case.kind,
                                            language=language or ""), case, request.user)
        return Response(self.get_serializer(rows, many=True).data)

    def create(self, request: Request) -> Response:
        reply = services.save_canned_reply(by=request.user, data=request.data)
        return Response(self.get_serializer(with_filled([reply], None, None)[0]).data,
                        status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        reply = services.update_canned_reply(reply_id=int(pk), by=request.user, data=request.data)
        return Response(self.get_serializer(with_filled([reply], None, None)[0]).data)

    def destroy(self, request: Request, pk: str) -> Response:
        services.archive_canned_reply(reply_id=int(pk), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["post"])
    def use(self, request: Request, pk: str) -> Response:
        case_id = request.data.get("case") if isinstance(request.data, dict) else None
        if isinstance(case_id, str) and case_id.isascii() and case_id.isdigit():
            case_id = int(case_id)  # from a form
        if case_id is None:
            raise ValidationError({"case": [_("Send the case's id.")]})
        filled = services.use_canned_reply(reply_id=int(pk), case_id=case_id, by=request.user)
        return Response({"filled": filled})
