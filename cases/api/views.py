"""Thin API views: load with the visibility rule, call one service, render."""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cases import selectors, services
from cases.api.filters import CaseFilter
from cases.api.schema import TRANSITION_INPUT
from cases.api.serializers import (
    CaseDetailSerializer,
    CaseListSerializer,
    ContactSerializer,
    MessageSerializer,
)
from cases.inputs import (
    BulkInput,
    BuyerDetailsInput,
    ContactInput,
    MessageInput,
    OpenCaseInput,
    PauseClockInput,
    PlatformDecisionInput,
)
from cases.models import ApiToken, Case
from config.api_schema import READ_ERRORS, WRITE_ERRORS, errors
from config.service_errors import InvalidInput


def _writes(request: object, doc: str) -> dict:
    return {"request": request, "responses": {200: CaseDetailSerializer, **errors(*WRITE_ERRORS)},
            "description": doc}


@extend_schema_view(
    list=extend_schema(
        responses={200: CaseListSerializer(many=True), **errors(*READ_ERRORS, 400)},
        # Left empty, a filter filters nothing (as in the queue's form).
        parameters=[OpenApiParameter("due_before", {"oneOf": [
            {"type": "string", "format": "date-time"}, {"type": "string", "enum": [""]}]},
            description="Next deadline before this time (ISO 8601).")],
                       description="The cases this user may see, most urgent deadline first."),
    retrieve=extend_schema(responses={200: CaseDetailSerializer, **errors(*READ_ERRORS)}),
    create=extend_schema(
        request=OpenCaseInput,
        responses={201: CaseDetailSerializer, 200: CaseDetailSerializer, **errors(*WRITE_ERRORS)},
        description="Open a case; the same (shop, external_id) again answers 200 with that case."),
    transition=extend_schema(
        **_writes(TRANSITION_INPUT, "Run a workflow step (acknowledge, calm, listen, propose, …); "
                  "each step's input is one of the TransitionInput shapes."),
        parameters=[OpenApiParameter("name", str, OpenApiParameter.PATH,
                                     description="The transition, e.g. calm.")]),
    claim=extend_schema(**_writes(None, "Take an unassigned case of your shop.")),
    claim_next=extend_schema(**_writes(
        None, "Take the most urgent unassigned case of your shops: escalated ones first, then "
              "those on the marketplace's clock, then by the next deadline, then the oldest. "
              "404 when none is left.")),
    bulk=extend_schema(
        request=BulkInput,
        responses={200: inline_serializer("BulkResults", {"results": inline_serializer(
            "BulkResult", {
                "id": serializers.IntegerField(),
                "status": serializers.ChoiceField(choices=["done", "refused"]),
                "code": serializers.ChoiceField(
                    required=False, help_text="Why refused (with status refused).",
                    choices=["not_found", "not_allowed", "conflict", "invalid"]),
                "reason": serializers.CharField(required=False,
                                                help_text="The reason, in your language."),
            }, many=True)}), **errors(*WRITE_ERRORS)},
        description="A supervisor's action on up to 100 cases: each through the same service as "
                    "the single action, in its own transaction; one result per id (done, or "
                    "refused with the reason). 403 for agents; 400 (nothing changed) for a "
                    "request that cannot succeed for any case."),
    pause=extend_schema(**_writes(PauseClockInput, "Waiting for the buyer: the shop's clock stops.")),
    resume=extend_schema(**_writes(None, "The buyer answered: the shop's clock runs again.")),
    platform_decision=extend_schema(**_writes(PlatformDecisionInput,
                                              "The marketplace decided; the appeal window opens.")),
    reveal=extend_schema(
        request=inline_serializer("RevealInput", {"field": serializers.ChoiceField(
            choices=["phone", "address"])}),
        responses={200: inline_serializer("Revealed", {"field": serializers.CharField(),
                                                       "value": serializers.CharField()}),
                   **errors(*WRITE_ERRORS)},
        description="The buyer's unmasked phone or address, for the case's agent and the "
                    "shop's supervisors; every reveal is logged (admin → PII reveals, timeline)."),
    buyer=extend_schema(**_writes(BuyerDetailsInput,
                                  "Change the buyer's name, phone or address: on record and on each "
                                  "of the buyer's open cases, each of which logs it on its timeline "
                                  "(who, from which case, which fields; never the values).")),
    contacts=extend_schema(request=ContactInput,
                           responses={201: ContactSerializer, **errors(*WRITE_ERRORS)},
                           description="Log a call or message with the buyer."),
)
class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    filterset_class = CaseFilter
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self) -> QuerySet[Case]:
        return selectors.case_list(self.request.user)  # one case: get_object

    def get_serializer_class(self) -> type[CaseListSerializer]:
        return CaseListSerializer if self.action == "list" else CaseDetailSerializer

    def get_object(self) -> Case:
        return selectors.get_case_for_user(self.request.user, int(self.kwargs["pk"]))

    def _detail(self, case_id: int, status_code: int = status.HTTP_200_OK) -> Response:
        case = selectors.get_case_for_user(self.request.user, case_id)
        return Response(self.get_serializer(case).data, status=status_code)

    def create(self, request: Request) -> Response:
        case, created = services.open_case(by=request.user, data=request.data)
        return self._detail(case.pk, status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @action(detail=True, methods=["post"], url_path=r"transitions/(?P<name>[a-z_]+)")
    def transition(self, request: Request, pk: str, name: str) -> Response:
        case = services.run_transition(case_id=int(pk), name=name, by=request.user,
                                       data=request.data)
        return self._detail(case.pk)

    @action(detail=True, methods=["post"])
    def claim(self, request: Request, pk: str) -> Response:
        case = services.claim_case(case_id=int(pk), by=request.user)
        return self._detail(case.pk)

    @action(detail=False, methods=["post"], url_path="claim-next")
    def claim_next(self, request: Request) -> Response:
        case = services.claim_next(by=request.user)
        return self._detail(case.pk)

    @action(detail=False, methods=["post"])
    def bulk(self, request: Request) -> Response:
        body = request.data
        if not isinstance(body, Mapping):
            raise InvalidInput({"non_field_errors": [str(_("Send a JSON object."))]})
        results = services.run_bulk(by=request.user, action=body.get("action"),
                                    ids=body.get("ids"), data=body)
        return Response({"results": [result.as_dict() for result in results]})

    @action(detail=True, methods=["post"])
    def pause(self, request: Request, pk: str) -> Response:
        """Waiting for the buyer: the shop's clock stops (the marketplace's does not)."""
        case = services.pause_clock(case_id=int(pk), by=request.user, data=request.data)
        return self._detail(case.pk)

    @action(detail=True, methods=["post"])
    def resume(self, request: Request, pk: str) -> Response:
        case = services.resume_clock(case_id=int(pk), by=request.user)
        return self._detail(case.pk)

    @action(detail=True, methods=["post"], url_path="platform-decision")
    def platform_decision(self, request: Request, pk: str) -> Response:
        """The marketplace decided the dispute: the appeal window opens."""
        case = services.record_platform_decision(case_id=int(pk), by=request.user,
                                                 data=request.data)
        return self._detail(case.pk)

    @action(detail=True, methods=["post"])
    def reveal(self, request: Request, pk: str) -> Response:
        field = request.data.get("field") if isinstance(request.data, dict) else None
        value = services.reveal_pii(case_id=int(pk), field=str(field or ""), by=request.user)
        return Response({"field": field, "value": value})

    @action(detail=True, methods=["post"])
    def buyer(self, request: Request, pk: str) -> Response:
        """An explicit change of the buyer's contact details (logged on each open case)."""
        token = request.auth if isinstance(request.auth, ApiToken) else None
        services.update_buyer_details(case_id=int(pk), by=request.user, data=request.data,
                                      integration=f"API token {token}" if token else "")
        return self._detail(int(pk))

    @action(detail=True, methods=["post"])
    def contacts(self, request: Request, pk: str) -> Response:
        logged = services.log_contact(case_id=int(pk), by=request.user, data=request.data)
        body = ContactSerializer(logged.contact).data
        body["phrase_hits"] = [hit.as_dict() for hit in logged.phrase_hits]
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses={200: MessageSerializer(many=True),
                                               **errors(*READ_ERRORS)},
                   description="The conversation with the buyer: every message and call, oldest "
                               "first (all of them: a case's thread is bounded).")
    @extend_schema(methods=["POST"], request=MessageInput,
                   responses={201: MessageSerializer, **errors(*WRITE_ERRORS)},
                   description="Send a message to the buyer (through the shop's connector, when it "
                               "has one). An answer to a buyer who wrote in the last 24 hours is "
                               "always sent; any other message is outreach, refused like a call "
                               "(409 with `code`: do_not_contact, contact_limit, quiet_hours). "
                               "Phrases to avoid are returned as warnings in `phrase_hits`.")
    # The whole thread in one answer: not paginated, no queue filters (nor in the schema).
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def messages(self, request: Request, pk: str) -> Response:
        if request.method == "POST":
            sent = services.send_message(case_id=int(pk), by=request.user, data=request.data)
            return Response(MessageSerializer(sent.contact).data, status=status.HTTP_201_CREATED)
        return Response(MessageSerializer(selectors.messages_of(request.user, int(pk)),
                                          many=True).data)
