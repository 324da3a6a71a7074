"""The admin's transition buttons (django-fsm-2's FSMAdminMixin), run through the case services.

The one place that touches django-fsm-2's admin internals: the mixin has no public hook for which
transitions to offer, how to find one by name and how to apply it, so these three private methods
are overridden here. tests/architecture/test_library_adapters.py fails if an upgrade renames them or
changes their arguments.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _
from django_fsm import Transition
from django_fsm.admin import FSMAdminMixin, FSMObjectTransition, FSMTransitionContext

from cases import services
from cases.models import Case
from cases.transition_forms import as_input, transition_form
from cases.workflows import transition_input, transitions_of
from config.service_errors import InvalidInput, ServiceError

# What the overrides rely on: django-fsm-2's private methods and their keyword arguments.
OVERRIDDEN = {
    "_get_fsm_transition_by_name": ["obj", "transition_name"],
    "_get_fsm_extra_context": ["request", "obj"],
    "_apply_fsm_transition": ["obj", "transition_name", "request", "kwargs"],
}


@dataclass(frozen=True)
class CaseTransition:
    """A transition together with the case it is for (its form depends on the case's workflow)."""

    transition: Transition
    case: Case

    @property
    def name(self) -> str:
        return self.transition.name

    @property
    def custom(self) -> dict[str, Any]:
        return self.transition.custom

    def has_perm(self, instance: Any, user: Any) -> bool:
        return self.transition.has_perm(instance, user)



class TransitionsThroughServices(FSMAdminMixin):
    """Offers the transitions this user may run now and applies them with `run_transition`."""

    def _get_fsm_transition_by_name(self, *, obj: Any, transition_name: str) -> Any:
        """A name the workflow does not have (a hand-made POST: `delete`, `save`, …) is a 404.

        django-fsm-2 raises AttributeError/ValueError there, which the admin turns into a 500.
        """
        spec = transitions_of(obj).get(transition_name)
        if spec is None:
            raise Http404(f"No transition {transition_name!r}.")
        return CaseTransition(spec, obj)

    def get_fsm_transition_form(self, transition: Any) -> type[forms.Form] | None:
        fields = transition_input(transition.case, transition.name)().fields
        return transition_form(transition.case, transition.name) if fields else None

    def _get_fsm_extra_context(
        self, *, request: HttpRequest, obj: Any
    ) -> Iterator[FSMObjectTransition]:
        if obj is None:
            return
        names = services.available_transitions(obj, request.user)
        specs = transitions_of(obj)
        if names:
            yield FSMObjectTransition(
                fsm_field="state", block_label=_("Next steps"),
                available_transitions=[
                    FSMTransitionContext(
                        name=n, label=str(specs[n].custom.get("label", n)),
                        help_text=str(specs[n].custom.get("help_text", "")),
                    )
                    for n in names
                ],
            )

    def _apply_fsm_transition(self, *, obj: Any, transition_name: str, request: HttpRequest,
                              kwargs: Any = None) -> bool:
        try:
            services.run_transition(case_id=obj.pk, name=transition_name, by=request.user,
                                    data=as_input(dict(kwargs or {})))
        except InvalidInput as error:
            self.message_user(request, f"{error.message} {error.errors}", level=messages.ERROR)
            return False
        except ServiceError as error:
            self.message_user(request, str(error.message), level=messages.ERROR)
            return False
        self.message_user(request, _("Done: %(step)s.") % {"step": transition_name},
                          level=messages.SUCCESS)
        return True
