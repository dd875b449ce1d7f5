"""E-mails to the organisation's security leads as the ICO deadline nears."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from openwarp.hub.incidents.models import Breach
from openwarp.hub.incidents.services.breach import BreachDraft, breach_record
from openwarp.hub.incidents.services.reminders import breach_reminders_send
from openwarp.hub.jobs.worker import worker_run
from openwarp.hub.members.policy import Role
from openwarp.hub.notify.mail_choices import mail_choices_set
from openwarp.hub.notify.models import MailTopic
from tests.hub.incidents.factories import record, with_breach
from tests.world import World

OWN_LEAD = "security_lead@test.example"


def _breach(world: World, hours_ago: float = 2) -> Breach:
    lead = world.users[Role.SECURITY_LEAD]
    now = timezone.now()
    incident = record(
        lead,
        started_at=now - timedelta(hours=hours_ago + 4),
        detected_at=now - timedelta(hours=hours_ago + 1),
    )
    return with_breach(lead, incident, hours_ago=hours_ago).breach


def _sweep(breach: Breach, hours_left: float, capture: Any) -> list[Any]:
    """Run the sweep as if the clock read `hours_left` before the deadline."""
    now = breach.aware_at + timedelta(hours=72 - hours_left)
    before = len(mail.outbox)
    with capture(execute=True):
        breach_reminders_send(now=now)
    return mail.outbox[before:]


@pytest.mark.django_db
def test_the_leads_are_mailed_at_24_and_6_hours_left_once_each(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    breach = _breach(world)
    assert _sweep(breach, 30, django_capture_on_commit_callbacks) == []
    first = _sweep(breach, 23.5, django_capture_on_commit_callbacks)
    assert [m.to for m in first] == [[OWN_LEAD]]
    assert "23 hours" in first[0].subject
    assert "Ransomware on the file servers" in first[0].subject
    assert f"/incidents/{breach.incident.public_id}/ico-report/" in first[0].body
    assert "UK time" in first[0].body
    assert _sweep(breach, 20, django_capture_on_commit_callbacks) == []
    second = _sweep(breach, 5, django_capture_on_commit_callbacks)
    assert len(second) == 1 and "5 hours" in second[0].subject
    assert _sweep(breach, 1, django_capture_on_commit_callbacks) == []
    assert _sweep(breach, -1, django_capture_on_commit_callbacks) == []


@pytest.mark.django_db
def test_a_reported_breach_and_other_organisations_leads_get_nothing(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    breach = _breach(world)
    other = with_breach(world.other_lead, record(world.other_lead, "Nottingham leak")).breach
    sent = _sweep(breach, 10, django_capture_on_commit_callbacks)  # both clocks: 10 h left
    assert sorted((m.to, "Nottingham leak" in m.subject) for m in sent) == [
        (["lead@nottingham.example"], True),
        ([OWN_LEAD], False),
    ]
    Breach.objects.filter(pk=other.pk).update(reported_to_ico_at=timezone.now())
    again = _sweep(other, 3, django_capture_on_commit_callbacks)
    assert [m.to for m in again] == [[OWN_LEAD]]  # own's 6-hour reminder; Nottingham reported


@pytest.mark.django_db
def test_correcting_awareness_moves_the_reminders_to_the_new_deadline(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    breach = _breach(world, hours_ago=3)
    assert len(_sweep(breach, 20, django_capture_on_commit_callbacks)) == 1
    lead = world.users[Role.SECURITY_LEAD]
    breach_record(
        actor=lead,
        incident=breach.incident,
        draft=BreachDraft(aware_at=breach.aware_at + timedelta(hours=1)),
    )
    breach.refresh_from_db()
    assert len(_sweep(breach, 20, django_capture_on_commit_callbacks)) == 1


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_reminder_queued_when_the_breach_was_recorded(world: World) -> None:
    # Aware 50 hours ago: 22 hours left, so the 24-hour sweep is due now and the
    # 6-hour one is queued for later.
    breach = _breach(world, hours_ago=50)
    queued = DBTaskResult.objects.filter(task_path__endswith="breach_reminders_task")
    assert queued.count() == 2
    later = breach.aware_at + timedelta(hours=66)
    assert sorted(t.run_after is not None and t.run_after >= later for t in queued) == [
        False,
        True,
    ]
    worker_run(batch=True, interval=0.1)
    assert [m.to for m in mail.outbox] == [[OWN_LEAD]]
    assert "ICO deadline" in mail.outbox[0].subject
    worker_run(batch=True, interval=0.1)
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_reminders_follow_each_persons_mail_choice(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    colleague = world.users[Role.MEMBER]
    mail_choices_set(actor=world.users[Role.SECURITY_LEAD], choices={MailTopic.ICO_DEADLINE: False})
    mail_choices_set(actor=colleague, choices={MailTopic.ICO_DEADLINE: True})
    sent = _sweep(_breach(world), 23.5, django_capture_on_commit_callbacks)
    assert [m.to for m in sent] == [[colleague.email]]
