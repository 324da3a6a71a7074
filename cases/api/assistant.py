"""The assistant in the API: a case's similar resolved cases, and the shape of its suggestions.

GET /api/v1/cases/{id}/similar/   the most similar resolved cases of the case's shop this user may
                                  read (cases/assistant/similar.py); 404 as for the case itself
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.assistant.similar import case_for_assistant
from cases.assistant.suggestions import SHOWN, assist
from config.api_schema import READ_ERRORS, errors


class SimilarCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    score = serializers.FloatField(help_text="Cosine similarity of the buyers' texts, -1 to 1.")
    kind = serializers.CharField()
    core_problem = serializers.CharField(help_text="What the agent found the buyer's problem was.")
    cause = serializers.CharField(allow_null=True, help_text="A negative review's cause; else null.")
    remedy = serializers.CharField(allow_null=True)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    resolved_in_hours = serializers.FloatField(help_text="From opening to resolution.")
    reply = serializers.CharField(help_text="The last message to the buyer up to the resolution "
                                            "that passed the phrase check; empty when none did.")


class CauseSuggestionSerializer(serializers.Serializer):
    value = serializers.CharField()
    confidence = serializers.FloatField(help_text="The share of the similar cases' vote, 0 to 1.")


class RemedySuggestionSerializer(serializers.Serializer):
    value = serializers.CharField()
    share = serializers.FloatField(help_text="Of the similar cases that used it, the share that "
                                             "ended well (not reopened; a review revised).")


class SuggestionsSerializer(serializers.Serializer):
    cause = CauseSuggestionSerializer(allow_null=True, help_text=(
        "A negative review's likely cause by vote of the nearest resolved negative-review cases; "
        "null for other kinds and below 5 such cases."))
    remedies = RemedySuggestionSerializer(many=True, allow_null=True, help_text=(
        "The remedies that ended similar cases of the same kind best; null below 5 such cases."))


class SimilarCasesView(APIView):
    @extend_schema(
        responses={200: inline_serializer("SimilarCases", {"results": SimilarCaseSerializer(many=True)}),
                   **errors(*READ_ERRORS)},
        description="The most similar resolved cases of the case's shop (at most 5), most similar "
                    "first; empty while the case's text has no vector yet (a worker computes it "
                    "within seconds of the case opening or the buyer writing).")
    def get(self, request: Request, case_id: str) -> Response:
        case = case_for_assistant(request.user, int(case_id))
        similar = assist(case, request.user, shown=SHOWN).similar
        return Response({"results": SimilarCaseSerializer(
            [item.as_api() for item in similar], many=True).data})
