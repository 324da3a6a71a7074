"""What our adapters take from libraries' internals is still there: an upgrade that changes it fails
here, loudly, instead of somewhere in a page."""

from __future__ import annotations

import inspect

from django.db import transaction
from django_fsm.admin import FSMAdminMixin

from cases.admin_transitions import OVERRIDDEN
from config.enqueue import pending_on_commit


def test_django_fsm_2_admin_still_has_the_private_methods_the_admin_overrides():
    for name, keywords in OVERRIDDEN.items():
        method = getattr(FSMAdminMixin, name, None)

        assert method is not None, f"django-fsm-2's FSMAdminMixin has no {name} any more"
        parameters = inspect.signature(method).parameters
        assert [k for k in keywords if k not in parameters] == [], name


def test_pending_on_commit_lists_the_callbacks_of_the_current_transaction(db):
    def first() -> None: ...

    def second() -> None: ...

    with transaction.atomic():
        transaction.on_commit(first)
        transaction.on_commit(second)

        assert pending_on_commit()[-2:] == [first, second]


def test_enqueueing_once_per_transaction_adds_one_callback(db, monkeypatch,
                                                          django_capture_on_commit_callbacks):
    from config.enqueue import enqueue_on_commit
    from notifications.tasks import sweep_due_reminders

    sent = []
    monkeypatch.setattr(sweep_due_reminders, "apply_async", lambda args, **kw: sent.append(args))

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for _ in range(3):
            enqueue_on_commit(sweep_due_reminders, once="kick-sweep")

    assert sent == [()]
