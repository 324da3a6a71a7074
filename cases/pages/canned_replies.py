"""The supervisors' page of quick replies (快捷短语): the shop's replies by kind and step with how
often each was used, a form to add one, edit and archive. Thin: the services check and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from cases import services
from cases.canned_replies import live_replies, managed_shops
from cases.models import CannedReply, Kind, ReplyLanguage, Shop
from cases.models.canned_reply import BODY_MAX
from cases.permissions import SUPERVISOR, roles_of
from cases.reply_variables import VARIABLES
from cases.workflows import step_labels
from config.service_errors import InvalidInput, NotFound, ServiceError

FIELDS = ("title", "shortcut", "language", "body", "kind", "step")


class LanguageSelect(forms.Select):
    """Each language offered in its own words, marked as such (`lang`) for readers and tests."""

    def create_option(self, name: str, value: Any, label: Any, selected: bool, index: int,
                      subindex: int | None = None, attrs: dict[str, Any] | None = None
                      ) -> dict[str, Any]:
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value:
            option["attrs"]["lang"] = value
        return option


class CannedReplyForm(forms.Form):
    """What the page sends; the service checks it (the same rules as the API)."""

    shop = forms.ChoiceField(label=_("shop"))
    title = forms.CharField(label=_("Title"), required=False,
                            widget=forms.TextInput(attrs={"maxlength": 80, "size": 30}))
    shortcut = forms.CharField(label=_("Shortcut"), required=False,
                               help_text=_("Typed after / in the reply box, e.g. hi."),
                               widget=forms.TextInput(attrs={"maxlength": 31, "size": 12}))
    language = forms.ChoiceField(label=_("Language"), choices=ReplyLanguage.choices,
                                 widget=LanguageSelect)
    kind = forms.ChoiceField(label=_("For cases of"), required=False)
    step = forms.ChoiceField(label=_("At the step"), required=False)
    body = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(
        attrs={"rows": 4, "maxlength": BODY_MAX}))

    def __init__(self, *args: Any, shops: list[Shop], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["shop"].choices = [(shop.code, shop.name) for shop in shops]
        if len(shops) == 1:
            self.fields["shop"].widget = forms.HiddenInput()
            self.fields["shop"].initial = shops[0].code
        self.fields["kind"].choices = [("", _("Any kind")), *Kind.choices]
        self.fields["step"].choices = [("", _("Any step")), *step_labels().items()]


def _shops(request: HttpRequest) -> list[Shop]:
    """The shops whose replies this user writes; 403 for anyone who supervises none."""
    groups, _shop_ids = roles_of(request.user)
    if not request.user.is_superuser and SUPERVISOR not in groups:
        raise PermissionDenied
    return list(managed_shops(request.user))


def _groups(user: Any, shops: list[Shop]) -> list[dict[str, Any]]:
    """The shops' live replies by kind (any kind first), then step in the work's order."""
    kinds = {"": _("Any kind"), **dict(Kind.choices)}
    steps = list(step_labels())
    labels = {"": _("Any step"), **step_labels()}
    replies = sorted(
        live_replies(user, shop_ids=[shop.pk for shop in shops]),
        key=lambda r: (list(kinds).index(r.kind) if r.kind in kinds else 99,
                       steps.index(r.step) + 1 if r.step in steps else 0, r.language, r.shortcut))
    groups: list[dict[str, Any]] = []
    for reply in replies:
        if not groups or groups[-1]["kind"] != reply.kind:
            groups.append({"kind": reply.kind, "label": kinds.get(reply.kind, reply.kind),
                           "replies": []})
        reply.step_label = labels.get(reply.step, reply.step)
        groups[-1]["replies"].append(reply)
    return groups


def _page(request: HttpRequest, shops: list[Shop], form: CannedReplyForm,
          editing: CannedReply | None = None, status: int = 200) -> HttpResponse:
    return render(request, "pages/canned_replies.html", {
        "groups": _groups(request.user, shops), "form": form, "editing": editing,
        "many_shops": len(shops) > 1, "variables": VARIABLES.items(),
    }, status=status)


def _editable(request: HttpRequest, shops: list[Shop], reply_id: Any) -> CannedReply:
    reply = live_replies(request.user, shop_ids=[shop.pk for shop in shops]).filter(
        pk=reply_id).first() \
        if str(reply_id).isdigit() and len(str(reply_id)) <= 18 else None
    if reply is None:
        raise Http404(_("There is no such quick reply."))
    return reply


def _refused(request: HttpRequest, shops: list[Shop], form: CannedReplyForm,
             error: ServiceError, editing: CannedReply | None = None) -> HttpResponse:
    """The form again with what was typed and the reason beside each field."""
    if isinstance(error, NotFound):
        raise Http404(str(error.message))
    if isinstance(error, InvalidInput):
        for field, problems in error.errors.items():
            for problem in problems if isinstance(problems, list) else [problems]:
                form.add_error(field if field in form.fields else None, str(problem))
    else:
        form.add_error(None, str(error.message))
    return _page(request, shops, form, editing, status=error.status)


@login_required
def canned_replies(request: HttpRequest) -> HttpResponse:
    shops = _shops(request)
    if request.method != "POST":
        editing = _editable(request, shops, request.GET["edit"]) if "edit" in request.GET else None
        initial = {name: getattr(editing, name) for name in FIELDS} if editing else {}
        if editing:
            initial["shop"] = editing.shop.code
        return _page(request, shops, CannedReplyForm(shops=shops, initial=initial), editing)
    form = CannedReplyForm(request.POST, shops=shops)
    if not form.is_valid():
        return _page(request, shops, form, status=400)
    try:
        reply = services.save_canned_reply(by=request.user, data=form.cleaned_data)
    except ServiceError as error:
        return _refused(request, shops, form, error)
    messages.success(request, _("Quick reply /%(shortcut)s added.") % {"shortcut": reply.shortcut})
    return redirect("canned_replies")


@login_required
@require_POST
def edit_canned_reply(request: HttpRequest, reply_id: int) -> HttpResponse:
    shops = _shops(request)
    editing = _editable(request, shops, reply_id)
    form = CannedReplyForm(request.POST, shops=shops)
    if not form.is_valid():
        return _page(request, shops, form, editing, status=400)
    data = {k: v for k, v in form.cleaned_data.items() if k in FIELDS}
    try:
        reply = services.update_canned_reply(reply_id=editing.pk, by=request.user, data=data)
    except ServiceError as error:
        return _refused(request, shops, form, error, editing)
    messages.success(request, _("Quick reply /%(shortcut)s saved.") % {"shortcut": reply.shortcut})
    return redirect("canned_replies")


@login_required
@require_POST
def archive_canned_reply(request: HttpRequest, reply_id: int) -> HttpResponse:
    shops = _shops(request)
    reply = _editable(request, shops, reply_id)
    try:
        services.archive_canned_reply(reply_id=reply.pk, by=request.user)
    except ServiceError as error:
        if isinstance(error, NotFound):
            raise Http404(str(error.message)) from None
        raise PermissionDenied from None
    messages.success(request, _("Quick reply /%(shortcut)s archived: agents no longer see it.")
                     % {"shortcut": reply.shortcut})
    return redirect("canned_replies")
