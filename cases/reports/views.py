"""GET /api/v1/reports/agent-scorecard/ and /api/v1/reports/review-causes/: thin callers of
cases/reports/scorecard.py and cases/reports/causes.py."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from cases.permissions import AGENT, roles_of
from cases.reports.api import CSVRenderer, ReportView, may_read_reports
from cases.reports.causes import MAX_WEEKS, review_causes
from cases.reports.scorecard import SORTS, agent_scorecard
from config.api_schema import errors

TEAM = "(team)"  # the team's row in the CSV (no username has brackets)
SCORECARD_DEFINITION = (
    "One row per agent, and `team`: the same figures over all the agents' cases. Cases handled, "
    "the refund rate, average refund, revision rate and reopen rate count the cases opened in the "
    "range (a cohort); cases resolved, the durations and the deadlines met by the day the case was "
    "resolved or first answered; messages and quick replies by the day they were sent, and the "
    "buyers' surveys (satisfaction_average: the mean rating 1-5 of those answered; "
    "surveys_answered; survey_response_rate: answered of sent) by the day the survey was sent, "
    "each in the shop's time zone. Medians and p90 are percentile_cont. Shares are of one (0.85); "
    "null: nothing to count. Supervisors and admins get every agent of their shops; an agent "
    "gets their own row (and the team's). See docs/guide.md for each figure.")


def _query(name: str, doc: str, **kwargs: Any) -> OpenApiParameter:
    return OpenApiParameter(name, str, OpenApiParameter.QUERY, required=False, description=doc,
                            **kwargs)


def may_read_scorecard(user: Any) -> bool:
    groups, _shops = roles_of(user)
    return may_read_reports(user) or AGENT in groups


class AgentScorecardView(ReportView):
    renderer_classes = [JSONRenderer, CSVRenderer]

    @extend_schema(
        operation_id="reports_agent_scorecard",
        parameters=[
            _query("format", "csv for a spreadsheet (the team as the row `(team)`); empty or json "
                   "for JSON", enum=["json", "csv", ""]),
            _query("since", "YYYY-MM-DD, inclusive"), _query("until", "YYYY-MM-DD, exclusive"),
            _query("shop", "shop code"),
            _query("sort", "a figure's name, - first for the largest first; default agent",
                   enum=SORTS + [f"-{s}" for s in SORTS]),
        ],
        responses={(200, "application/json"): OpenApiTypes.OBJECT,
                   (200, "text/csv"): OpenApiTypes.STR,
                   **{(code, "application/json"): answer
                      for code, answer in errors(400, 401, 403, 404, 406, 429).items()}},
        description="The agent scorecard (JSON; CSV with ?format=csv). " + SCORECARD_DEFINITION,
    )
    def get(self, request: Request, name: str = "agent-scorecard") -> Response:
        if not may_read_scorecard(request.user):
            raise PermissionDenied("The scorecard is for agents, supervisors and admins.")
        params = request.query_params.copy()
        params.pop("format", None)
        body = agent_scorecard(by=request.user, params=params).as_dict()
        body["definition"] = SCORECARD_DEFINITION
        if request.accepted_renderer.format == "csv":
            body["results"] = [{**body["team"], "agent": TEAM}, *body["results"]]
            response = Response(body)
            response["Content-Disposition"] = 'attachment; filename="agent-scorecard.csv"'
            return response
        return Response(body)


class ReviewCausesView(ReportView):
    renderer_classes = [JSONRenderer]

    @extend_schema(
        operation_id="reports_review_causes",
        parameters=[_query("shop", "shop code"),
                    OpenApiParameter("weeks", int, OpenApiParameter.QUERY, required=False,
                                     description=f"how many weeks of counts, 1 to {MAX_WEEKS}; "
                                                 "default 8")],
        responses={200: OpenApiTypes.OBJECT, **errors(400, 401, 403, 429)},
        description=("Negative reviews per cause, week by week (seven days each, counted back from "
                     "now, by when the review was posted; oldest first), and `rising`: the causes "
                     "with at least 3 reviews in the last seven days and at least 1.5 times their "
                     "usual (the mean of the four weeks before; `ratio` null when it was zero)."),
    )
    def get(self, request: Request, name: str = "review-causes") -> Response:
        if not may_read_reports(request.user):
            raise PermissionDenied("Reports are for supervisors and admins.")
        return Response(review_causes(by=request.user, params=request.query_params))
