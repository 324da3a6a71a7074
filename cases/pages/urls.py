from django.urls import path

from cases.api.survey import SurveyView
from cases.pages import (
    approvals,
    canned_replies,
    case,
    live,
    queue,
    report_cases,
    reports,
    scorecard,
    supervision,
    workbook,
)

urlpatterns = [
    # The buyer's satisfaction survey: public, no log-in (cases/api/survey.py).
    path("s/<str:token>/", SurveyView.as_view(), name="survey"),
    path("", queue.queue, name="queue"),
    path("claim-next/", queue.claim_next, name="claim_next"),
    path("bulk/", queue.bulk, name="queue_bulk"),
    path("live/", live.live, name="live"),
    path("cases/<int:case_id>/", case.case_page, name="case"),
    path("cases/<int:case_id>/transitions/<slug:name>/", case.run_transition, name="transition"),
    path("cases/<int:case_id>/contacts/", case.log_contact, name="log_contact"),
    path("cases/<int:case_id>/messages/", case.send_message, name="send_message"),
    path("cases/<int:case_id>/remind-me/", case.remind_me, name="remind_me"),
    path("cases/<int:case_id>/reveal/", case.reveal, name="reveal"),
    path("cases/<int:case_id>/attachments/", case.upload_attachment, name="upload_attachment"),
    path("cases/<int:case_id>/claim/", case.claim, name="claim"),
    path("cases/<int:case_id>/buyer-profile/", case.buyer_profile, name="buyer_profile"),
    path("cases/<int:case_id>/buyer-details/", case.buyer_details, name="buyer_details"),
    path("cases/<int:case_id>/phrase-check/", case.phrase_check, name="phrase_check"),
    path("escalations/", supervision.escalations, name="escalations"),
    path("team/", supervision.team_board, name="team"),
    path("refund-approval/", approvals.refund_approval_limits, name="refund_approval_limits"),
    path("reports/", reports.reports, name="reports"),
    path("reports/cases/", report_cases.report_cases, name="report_cases"),
    path("reports/agents/", scorecard.scorecard_page, name="agent_scorecard"),
    path("reports/export.xlsx", workbook.report_workbook, name="report_workbook"),
    path("canned-replies/", canned_replies.canned_replies, name="canned_replies"),
    path("canned-replies/<int:reply_id>/", canned_replies.edit_canned_reply,
         name="edit_canned_reply"),
    path("canned-replies/<int:reply_id>/archive/", canned_replies.archive_canned_reply,
         name="archive_canned_reply"),
]
