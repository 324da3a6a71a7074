"""What the queue shows: its tabs, its filters (the form, and the chips of the filters that have no
field of their own), and the cases they select through the queue's one selector
(selectors.filter_queue, which the API's case list uses too). The queue page and its live
updates (cases/pages/live.py) both read cases through `tab_cases`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Count, Max, Q, QuerySet, Value
from django.http import QueryDict
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases import selectors
from cases.deadlines import DEFAULT_WARNING_LEAD
from cases.models import Case, Kind, Shop, State
from cases.permissions import SUPERVISOR, roles_of

TABS = {
    "mine": _("Mine"),
    "unassigned": _("Unassigned"),
    "soon": _("Breaching soon"),
    "escalated": _("Escalated"),
    "all": _("All I may see"),
}
# Tabs only supervisors (and admins) are offered.
SUPERVISOR_TABS = frozenset({"escalated"})
# ?breached=: the team board's links say 1, the API's filter says true; both are read.
BREACHED = {"1": True, "true": True, "0": False, "false": False}


class Rendered:
    """A widget written by Python from the context its template would get, with the template's
    markup (select.html, select_option.html, input.html): the filter form is on every queue page,
    and the template engine spent one template per option on it (docs/performance.md)."""

    def _render(self, template_name: str, context: dict[str, Any], renderer: Any = None) -> str:
        widget = context["widget"]
        attrs = _attributes(widget["attrs"])
        if "optgroups" not in widget:
            value = ("" if widget["value"] is None
                     else format_html(' value="{}"', str(widget["value"])))
            return format_html('<input type="{}" name="{}"{}{}>', widget["type"], widget["name"],
                               value, attrs)
        options = "".join(
            format_html('<option value="{}"{}>{}</option>', str(option["value"]),
                        _attributes(option["attrs"]), option["label"])
            for _group, choices, _index in widget["optgroups"] for option in choices)
        return format_html('<select name="{}"{}>{}</select>', widget["name"], attrs,
                           mark_safe(options))


def _attributes(attrs: dict[str, Any]) -> str:
    """As attrs.html writes them, in their order: `name="value"`, `name` alone for True."""
    return mark_safe("".join(f" {conditional_escape(name)}" if value is True
                   else format_html(' {}="{}"', name, str(value))
                   for name, value in attrs.items() if value is not False))


class Select(Rendered, forms.Select):
    pass


class TextInput(Rendered, forms.TextInput):
    pass


class HiddenInput(Rendered, forms.HiddenInput):
    pass


class DataSelect(Select):
    """A choice of things people named (shops, agents): every option but the blank one is data,
    marked translate="no"."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        if option["value"] not in ("", None):
            option["attrs"]["translate"] = "no"
        return option


class QueueFilter(forms.Form):
    # ?flagged=1: only the cases whose buyer threatened (a link; not a field on the form)
    flagged = forms.BooleanField(required=False, widget=HiddenInput,
                                 label=_("Buyer threatens"))
    kind = forms.ChoiceField(label=_("kind"), required=False, widget=Select,
                             choices=[("", _("any")), *Kind.choices])
    state = forms.ChoiceField(label=_("state"), required=False, widget=Select,
                              choices=[("", _("any")), *State.choices])
    shop = forms.ChoiceField(label=_("shop"), required=False, widget=DataSelect)
    # Not stripped and not cut short here: the queue's selector says what is wrong with a search.
    q = forms.CharField(label=_("Search"), required=False, strip=False, widget=TextInput(
        attrs={"placeholder": _("Buyer's handle or name, #case, order or marketplace id"),
               "type": "search"}))
    # The team board's links: no field of their own on the page, shown as removable chips.
    assignee = forms.CharField(label=_("assignee"), required=False, max_length=150,
                               widget=HiddenInput)
    breached = forms.ChoiceField(label=_("Breached deadlines"), required=False,
                                 choices=[("", ""), *((key, key) for key in BREACHED)],
                                 widget=HiddenInput)

    def __init__(self, *args: Any, shops: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["shop"].choices = [("", _("any")), *shops]
        self.fields["breached"].error_messages["invalid_choice"] = _(
            "Breached is 1 (the next deadline has passed) or 0 (it has not).")


def shops_of(user: Any) -> list[tuple[str, str]]:
    """The shops this user works in (every shop for an admin), as (code, name), by name."""
    shops = Shop.objects.all()
    if not user.is_superuser:
        shops = shops.filter(id__in=roles_of(user)[1])
    return list(shops.order_by("name", "code").values_list("code", "name"))


def supervises(user: Any) -> bool:
    return bool(user.is_active and user.is_superuser) or SUPERVISOR in roles_of(user)[0]


def tabs_for(supervisor: bool) -> dict[str, Any]:
    return {key: label for key, label in TABS.items() if supervisor or key not in SUPERVISOR_TABS}


def tab_filters(tab: str) -> dict[str, Any]:
    """The tab as queue filters ("mine" is narrowed by the selector's own index already)."""
    if tab == "all":
        return {}
    if tab == "unassigned":
        return {"open_only": True, "assignee": "none"}
    if tab == "soon":
        return {"open_only": True, "due_before": timezone.now() + DEFAULT_WARNING_LEAD}
    if tab == "escalated":
        return {"states": [State.ESCALATED]}
    return {"open_only": True}


def chosen_filters(values: dict[str, Any]) -> dict[str, Any]:
    """The form's valid values as the queue selector's filters (tab and state left out)."""
    return {
        "kinds": [values["kind"]] if values.get("kind") else [], "shop": values.get("shop") or "",
        "assignee": values.get("assignee") or "",
        "breached": BREACHED.get(values.get("breached") or ""),
        "search": values.get("q") or None,
        "flagged": True if values.get("flagged") else None,
    }


def tab_cases(user: Any, tab: str, values: dict[str, Any]) -> QuerySet[Case]:
    """The cases of this tab under the chosen filters, before the state filter (the counts per
    state are read from these). Raises InvalidInput for a bad search."""
    chosen = chosen_filters(values)
    cases = selectors.filter_queue(selectors.case_list(user, assigned_to_them=tab == "mine"),
                                   user, **{**chosen, **tab_filters(tab)})
    if tab == "unassigned" and chosen["assignee"] not in ("", "none"):
        return cases.none()  # nobody has these cases: none of them is someone's
    return cases


def state_counts(cases: QuerySet[Case], after: int | None = None) -> dict[str, dict[str, int]]:
    """Per state: how many (`n`), the newest case id (`top`) and, given `after`, how many have an
    id above it (`new`): one GROUP BY over the tab's cases."""
    extra = {"new": Count("id", filter=Q(id__gt=after))} if after is not None else {}
    return {row.pop("state"): row for row in cases.order_by().values("state").annotate(
        n=Count("id"), top=Max("id"), **extra)}


ONE = Value(1)


def tab_counts(user: Any, values: dict[str, Any], supervisor: bool) -> dict[str, int]:
    """How many open cases each working tab holds under the chosen filters (the archive, "all",
    is not counted: it would read every closed case). Counted over the visible cases' parts (the
    user's own, nobody's, someone else's), one query each, so that each reads only its index:
    one count over "mine or nobody's" read every such case's row (110 ms at 1,000,000 cases)."""
    soon = timezone.now() + DEFAULT_WARNING_LEAD
    # COUNT(1), not COUNT(id): the index of nobody's open cases holds no id.
    counts = {"n": Count(ONE), "soon": Count(ONE, filter=Q(next_due_at__lt=soon))}
    if supervisor:
        counts["escalated"] = Count(ONE, filter=Q(state=State.ESCALATED))
    chosen = chosen_filters(values)
    parts = {name: selectors.filter_queue(cases, user, open_only=True, **chosen)
             .order_by().aggregate(**counts)
             for name, cases in selectors.visible_parts(user).items()
             if supervisor or name != "others"}
    found = {"mine": parts["mine"]["n"], "unassigned": parts["nobody"]["n"],
             "soon": sum(part["soon"] for part in parts.values())}
    if supervisor:
        found["escalated"] = sum(part["escalated"] for part in parts.values())
    return found


def chips(params: QueryDict, values: dict[str, Any]) -> list[dict[str, str]]:
    """The filters that came with a link (the team board's) and have no field on the page, and
    the state: each with its words (safe HTML: a person's name is marked translate="no") and the
    query without it."""
    found = []
    assignee = values.get("assignee") or ""
    if assignee:
        found.append((
            "assignee",
            gettext("Nobody has it") if assignee == "none" else
            gettext("Assigned to me") if assignee == "me" else
            mark_safe(conditional_escape(gettext("Assigned to %(name)s")) % {
                "name": format_html('<span translate="no">{}</span>', assignee)})))
    if values.get("breached"):
        found.append(("breached", gettext("Deadline passed") if BREACHED[values["breached"]]
                      else gettext("Deadline not passed")))
    if values.get("state"):
        found.append(("state", gettext("State: %(state)s") % {"state": State(values["state"]).label}))
    result = []
    for name, words in found:
        rest = params.copy()
        for gone in (name, "page"):
            rest.pop(gone, None)
        result.append({"name": name, "words": words, "query": rest.urlencode()})
    return result
