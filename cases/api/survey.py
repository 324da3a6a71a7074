"""The buyer's survey page, `/s/{token}/`: public (no log-in), HTML for a browser, JSON for an API
client, rate limited per address. GET shows the question (or a friendly page for a link that is
not valid, answered or expired); POST `rating` 1–5 and `comment` answers: 200 once, then 409;
404 for a link this server did not make, 410 once it expired.

The page shows the shop's name, the case's subject in the buyer's words (the case's description)
and nothing else of the buyer. Chinese or English by the browser's language, `?lang=` switches.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.models import Survey, SurveyState
from cases.services.surveys import AnswerInput, answer_survey
from cases.surveys import RATING_WORDS, survey_by_token
from config.service_errors import Conflict, InvalidInput, NotFound
from config.throttles import SurveyRateThrottle

LANGS = ("zh-hans", "en")


class SurveyPageRenderer(BaseRenderer):
    """Every answer of the view as the one page template: the question, the thank-you, or the
    friendly page for a bad, answered or expired link, a refused rating or too many tries."""

    media_type = "text/html"
    format = "html"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None,
               renderer_context: dict | None = None) -> bytes:
        context = renderer_context or {}
        response, request = context.get("response"), context.get("request")
        page = dict(data) if isinstance(data, dict) else {}
        page.setdefault("page", "throttled" if response is not None and
                        response.status_code == 429 else "invalid")
        page["words"] = [(n, RATING_WORDS[n]) for n in range(5, 0, -1)]
        page["langs"] = [("zh-hans", "中文"), ("en", "English")]
        return render_to_string("survey/page.html", page, request=getattr(
            request, "_request", None)).encode()


SURVEY_BODY = inline_serializer("SurveyPage", {
    "page": serializers.ChoiceField(choices=["question", "thanks", "answered", "expired",
                                             "invalid"], required=False),
    # none of the survey's own fields for a link that is not valid
    "shop": serializers.CharField(required=False), "subject": serializers.CharField(required=False),
    "rating": serializers.IntegerField(allow_null=True, required=False),
    "errors": serializers.DictField(required=False), "token": serializers.CharField(required=False),
    "comment": serializers.CharField(required=False),
    "detail": serializers.CharField(required=False),
})


def _page(survey: Survey | None, page: str, **extra: Any) -> dict[str, Any]:
    if survey is None:
        return {"page": page, **extra}
    return {"page": page, "shop": survey.case.shop.name, "subject": survey.case.description,
            "rating": survey.rating, **extra}


class SurveyView(APIView):
    authentication_classes: list = []
    permission_classes: list = []
    throttle_classes = [SurveyRateThrottle]
    # JSON for an API client (and */*), the page for a browser (it asks for text/html).
    renderer_classes = [JSONRenderer, SurveyPageRenderer]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        lang = request.query_params.get("lang")
        if lang in LANGS:
            translation.activate(lang)
            request.LANGUAGE_CODE = lang
        super().initial(request, *args, **kwargs)

    @extend_schema(
        auth=[], operation_id="survey_show", tags=["survey"],
        parameters=[OpenApiParameter("token", str, OpenApiParameter.PATH),
                    OpenApiParameter("lang", str, OpenApiParameter.QUERY, enum=list(LANGS))],
        responses={200: SURVEY_BODY, 404: SURVEY_BODY, 410: SURVEY_BODY,
                   429: OpenApiResponse(OpenApiTypes.OBJECT)},
        description="The buyer's satisfaction survey (public, no log-in): `page` is `question`, "
                    "`answered` (once answered, with its rating), `expired` (410) or `invalid` "
                    "(404, a link this server did not make). HTML for a browser, JSON otherwise.")
    def get(self, request: Request, token: str) -> Response:
        survey = survey_by_token(token)
        if survey is None:
            return Response(_page(None, "invalid"), status=404)
        if survey.state == SurveyState.ANSWERED:
            return Response(_page(survey, "answered"))
        if survey.expires_at <= timezone.now():
            return Response(_page(survey, "expired"), status=410)
        return Response(_page(survey, "question", token=token))

    @extend_schema(
        auth=[], operation_id="survey_answer", tags=["survey"], request=AnswerInput,
        parameters=[OpenApiParameter("token", str, OpenApiParameter.PATH)],
        responses={200: SURVEY_BODY, 400: SURVEY_BODY, 404: SURVEY_BODY, 409: SURVEY_BODY,
                   410: SURVEY_BODY, 429: OpenApiResponse(OpenApiTypes.OBJECT)},
        description="Answer once: `rating` 1–5 (required) and `comment` (optional). 200 once, "
                    "409 after that, 410 once the link expired, 404 for a link this server did "
                    "not make, 400 for a rating outside 1–5 (with the reason).")
    def post(self, request: Request, token: str) -> Response:
        data = {k: request.data.get(k) for k in ("rating", "comment") if k in request.data}
        try:
            survey = answer_survey(token=token, data=data)
        except NotFound as error:
            return Response(_page(None, "invalid", detail=str(error.message)), status=404)
        except InvalidInput as error:
            found = survey_by_token(token)
            errors = {k: [str(p) for p in v] for k, v in error.errors.items()}
            return Response(_page(found, "question", token=token, errors=errors,
                                  comment=data.get("comment") or "",
                                  detail=str(error.message)), status=400)
        except Conflict as error:
            code = error.extra.get("code")
            found = survey_by_token(token)
            return Response(_page(found, "expired" if code == "expired" else "answered",
                                  detail=str(error.message)),
                            status=410 if code == "expired" else 409)
        return Response(_page(survey, "thanks"))
