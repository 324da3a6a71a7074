"""A case's files and its evidence pack: thin views over cases/attachments.py and cases/evidence_pack.py.

GET  /api/v1/cases/{id}/attachments/        the case's files, in upload order
POST /api/v1/cases/{id}/attachments/        upload one (multipart, field `file`)
GET  /api/v1/cases/{id}/attachments/{aid}/  download it
GET  /api/v1/cases/{id}/evidence-pack/      the ZIP for the marketplace (streamed), or 202 and a
                                            build by a worker when its files are too large
GET  /api/v1/cases/{id}/evidence-pack/{pid}/  a pack a worker built for you

Anyone who may not see the case gets 404, as for the case itself.
"""

from __future__ import annotations

from django.http import FileResponse, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.attachments import ACCEPTED_TYPES
from cases.models import Attachment, EvidencePack, PackState
from cases.selectors import visible_attachments
from cases.services import attach_file
from cases.services.evidence_packs import get_evidence_pack, ready_evidence_pack
from config.service_errors import NotFound


class AttachmentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name")
    file_name = serializers.CharField(read_only=True, help_text=(
        "The name it downloads and packs under: `name` with the detected type's extension (a text "
        "file is always .txt)."))
    uploaded_by = serializers.CharField(source="uploaded_by.username", default=None)
    url = serializers.SerializerMethodField(help_text="Where to download the file.")

    class Meta:
        model = Attachment
        fields = ["id", "name", "file_name", "content_type", "size", "sha256", "uploaded_by",
                  "uploaded_at", "url"]

    def get_url(self, attachment: Attachment) -> str:
        path = reverse("case-attachment", args=[attachment.case_id, attachment.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


Upload = inline_serializer("AttachmentUpload", {
    "file": serializers.FileField(help_text="A photo (JPEG, PNG, WebP, GIF), a PDF or plain UTF-8 "
                                            "text; at most ATTACHMENT_MAX_BYTES (10 MB)."),
})
Problem = inline_serializer("AttachmentProblem", {
    "detail": serializers.CharField(),
    "errors": serializers.DictField(child=serializers.ListField(child=serializers.CharField()),
                                    required=False),
})
NOT_FOUND = OpenApiResponse(Problem, description="No such case, or you may not see it.")


class Downloads(APIView):
    """Files answer any Accept header; errors are JSON (never a 406 before the 404)."""

    def perform_content_negotiation(self, request: Request,
                                    force: bool = False) -> tuple[BaseRenderer, str]:
        return super().perform_content_negotiation(request, force=True)


def private_download(response: HttpResponse) -> HttpResponse:
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


class CaseAttachmentsView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(operation_id="case_attachments_list", responses={
        200: AttachmentSerializer(many=True), 404: NOT_FOUND,
    })
    def get(self, request: Request, case_id: str) -> Response:
        """The case's files, in upload order."""
        attachments = visible_attachments(request.user, int(case_id))
        return Response(AttachmentSerializer(attachments, many=True,
                                             context={"request": request}).data)

    @extend_schema(operation_id="case_attachments_upload", request={"multipart/form-data": Upload},
                   responses={
                       201: AttachmentSerializer,
                       400: OpenApiResponse(Problem, description=(
                           "Refused, with the reason and what to send instead: empty, too large, a "
                           "program or script, not an accepted type, or an image that cannot be "
                           "decoded.")),
                       403: OpenApiResponse(Problem, description="You may not work on this case."),
                       404: NOT_FOUND,
                   })
    def post(self, request: Request, case_id: str) -> Response:
        """Attach a file, checked by its content; images are kept without their metadata (GPS)."""
        attachment = attach_file(case_id=int(case_id), by=request.user,
                                 upload=request.FILES.get("file"))
        return Response(AttachmentSerializer(attachment, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)


class AttachmentDownloadView(Downloads):
    @extend_schema(operation_id="case_attachments_download", responses={
        **{(200, kind.content_type): OpenApiResponse(
            OpenApiTypes.BINARY,
            description="The file, with its type as it was detected and its name in "
                        "Content-Disposition.") for kind in ACCEPTED_TYPES},
        404: NOT_FOUND,
    })
    def get(self, request: Request, case_id: str, attachment_id: str) -> HttpResponse:
        """Download one file of the case."""
        attachment = visible_attachments(request.user, int(case_id)).filter(
            pk=int(attachment_id)).first()
        if attachment is None:
            raise NotFound(_("This case has no attachment %(id)s.") % {"id": attachment_id})
        try:
            stored = attachment.file.open("rb")
        except (FileNotFoundError, ValueError):
            raise NotFound(_("The file of this attachment is missing from storage.")) from None
        return private_download(FileResponse(stored, as_attachment=True,
                                             filename=attachment.file_name,
                                             content_type=attachment.content_type))


class EvidencePackSerializer(serializers.ModelSerializer):
    detail = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField(help_text="Where to download it when it is ready.")

    class Meta:
        model = EvidencePack
        fields = ["id", "state", "detail", "requested_at", "ready_at", "size", "url"]

    def get_detail(self, pack: EvidencePack) -> str:
        if pack.state == PackState.READY:
            return str(_("The evidence pack is ready to download."))
        if pack.state == PackState.FAILED:
            return str(_("The evidence pack could not be built. Ask for it again."))
        return str(_("This case's files are too large to send at once, so the evidence pack is being "
                     "built. You will get a notification with the link when it is ready."))

    def get_url(self, pack: EvidencePack) -> str:
        path = reverse("case-evidence-pack-built", args=[pack.case_id, pack.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class EvidencePackView(Downloads):
    @extend_schema(operation_id="case_evidence_pack", responses={
        (200, "application/zip"): OpenApiResponse(
            OpenApiTypes.BINARY,
            description="summary.html, timeline.csv, contacts.csv and attachments/…; the buyer's "
                        "phone and address are masked. Streamed as it is written."),
        202: OpenApiResponse(EvidencePackSerializer, description=(
            "The case's files pass EVIDENCE_PACK_STREAM_MAX_BYTES: a worker builds the pack, and a "
            "notification links to `url` when it is ready. Asking again gives the same build.")),
        303: OpenApiResponse(description="A pack built for you since the case last changed: its "
                                         "download, in Location."),
        404: NOT_FOUND,
    })
    def get(self, request: Request, case_id: str) -> HttpResponse:
        """The evidence pack for the marketplace (an appeal or a request to intervene), as a ZIP."""
        pack = get_evidence_pack(case_id=int(case_id), by=request.user)
        if isinstance(pack, EvidencePack) and pack.state == PackState.READY:
            return HttpResponseRedirect(reverse("case-evidence-pack-built", args=[case_id, pack.pk]),
                                        status=status.HTTP_303_SEE_OTHER)
        if isinstance(pack, EvidencePack):
            return Response(EvidencePackSerializer(pack, context={"request": request}).data,
                            status=status.HTTP_202_ACCEPTED)
        response = StreamingHttpResponse(pack.chunks(), content_type="application/zip")
        response["Content-Disposition"] = content_disposition_header(True, pack.filename)
        return private_download(response)


class BuiltEvidencePackView(Downloads):
    @extend_schema(operation_id="case_evidence_pack_built", responses={
        (200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY,
                                                  description="The pack a worker built for you."),
        202: OpenApiResponse(EvidencePackSerializer, description="Still being built."),
        404: OpenApiResponse(Problem, description="No such pack of yours, it failed or was "
                                                  "replaced by a newer one, or you may no longer "
                                                  "see the case."),
    })
    def get(self, request: Request, case_id: str, pack_id: str) -> HttpResponse:
        """Download an evidence pack that a worker built for you."""
        pack = ready_evidence_pack(case_id=int(case_id), pack_id=int(pack_id), by=request.user)
        if pack.state == PackState.BUILDING:
            return Response(EvidencePackSerializer(pack, context={"request": request}).data,
                            status=status.HTTP_202_ACCEPTED)
        try:
            if pack.state != PackState.READY:
                raise FileNotFoundError
            stored = pack.file.open("rb")
        except (FileNotFoundError, ValueError):
            raise NotFound(_("This evidence pack could not be built or is no longer kept. Ask for "
                             "it again.")) from None
        return private_download(FileResponse(stored, as_attachment=True, filename=pack.filename,
                                             content_type="application/zip"))
