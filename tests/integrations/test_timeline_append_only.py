"""The timeline is append-only: the app, the admin and, on PostgreSQL, the database itself refuse."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from cases.models import AppendOnlyError, TimelineEvent
from tests.factories import open_case


def test_the_app_refuses_to_change_or_delete_an_event(shop, agent):
    event = open_case(shop, by=agent).timeline.get()

    event.type = "forged"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        TimelineEvent.objects.filter(pk=event.pk).update(type="forged")
    with pytest.raises(AppendOnlyError):
        TimelineEvent.objects.filter(pk=event.pk).delete()


@pytest.mark.postgres
@pytest.mark.parametrize("sql", [
    "UPDATE cases_timelineevent SET type = 'forged' WHERE id = %s",
    "DELETE FROM cases_timelineevent WHERE id = %s",
])
def test_a_raw_update_or_delete_fails_in_postgresql(shop, agent, sql):
    event = open_case(shop, by=agent).timeline.get()

    with pytest.raises(DatabaseError, match="Cannot update or delete"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute(sql, [event.pk])

    assert TimelineEvent.objects.get(pk=event.pk).type == "case_opened"


@pytest.mark.postgres
def test_new_events_are_still_inserted_in_postgresql(shop, agent):
    case = open_case(shop, by=agent)

    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO cases_timelineevent (case_id, type, at, from_state, to_state, "
                       "data) VALUES (%s, 'note', now(), '', '', '{}')", [case.pk])

    assert case.timeline.count() == 2
