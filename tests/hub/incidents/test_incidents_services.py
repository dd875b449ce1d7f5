"""Recording incidents and breaches: validation, nothing half-written, audit, visibility."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from openwarp.core.errors import InvalidInput, NotFound, PermissionDenied
from openwarp.hub.audit.models import AuditEntry
from openwarp.hub.incidents.models import Breach, Incident, LogNote, TimelineEntry
from openwarp.hub.incidents.selectors import incidents as selectors
from openwarp.hub.incidents.services import incidents as services
from openwarp.hub.incidents.services.breach import BreachDraft, breach_record
from openwarp.hub.members.policy import Role
from openwarp.hub.members.policy_adapters import viewer_for
from tests.hub.incidents.factories import other_incident, own_incident, record
from tests.world import World

pytestmark = pytest.mark.django_db


def _draft(**changes):  # type: ignore[no-untyped-def]
    now = timezone.now()
    values = dict(
        title="Phishing",
        started_at=now - timedelta(hours=2),
        detected_at=now - timedelta(hours=1),
        ncsc_category="C5",
    )
    return services.IncidentDraft(**(values | changes))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"detected_at": timezone.now() - timedelta(hours=5)}, "detected_at"),
        (
            {
                "started_at": timezone.now() + timedelta(hours=2),
                "detected_at": timezone.now() + timedelta(hours=3),
            },
            "started_at",
        ),
        ({"ncsc_category": "C9"}, "ncsc_category"),
        ({"title": "  "}, "title"),
    ],
)
def test_bad_incidents_are_refused_naming_the_field_and_nothing_is_written(
    world: World, changes: dict, field: str
) -> None:
    with pytest.raises(InvalidInput) as raised:
        services.incident_create(actor=world.users[Role.MEMBER], draft=_draft(**changes))
    assert raised.value.field == field
    assert Incident.objects.count() == 0
    assert not AuditEntry.objects.filter(action="incident.create").exists()


def test_an_incident_is_recorded_for_the_actors_own_organisation_and_audited(world: World) -> None:
    incident = services.incident_create(actor=world.users[Role.MEMBER], draft=_draft())
    assert incident.organisation == world.own
    entry = AuditEntry.objects.get(action="incident.create")
    assert entry.organisation_id == world.own.pk and entry.object_id == str(incident.pk)


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.COORDINATOR, Role.NATIONAL_ANALYST])
def test_roles_that_do_not_record_incidents_are_refused(world: World, role: Role) -> None:
    with pytest.raises(PermissionDenied):
        services.incident_create(actor=world.users[role], draft=_draft())


def test_an_executive_reads_but_cannot_change_anything(world: World) -> None:
    incident = own_incident(world)
    executive = world.users[Role.EXECUTIVE]
    assert selectors.incident_for_viewer(viewer=viewer_for(executive), public_id=incident.public_id)
    for change in (
        lambda: services.timeline_add(
            actor=executive, incident=incident, at=timezone.now(), text="x"
        ),
        lambda: services.log_add(actor=executive, incident=incident, text="x"),
        lambda: services.incident_set_status(actor=executive, incident=incident, status="closed"),
        lambda: breach_record(
            actor=executive, incident=incident, draft=BreachDraft(aware_at=timezone.now())
        ),
    ):
        with pytest.raises(PermissionDenied):
            change()


def test_another_member_never_sees_the_incident_or_its_log(world: World) -> None:
    incident = own_incident(world)
    services.log_add(actor=world.users[Role.MEMBER], incident=incident, text="Ransom is 40 BTC")
    stranger = viewer_for(world.other_lead)
    with pytest.raises(NotFound):
        selectors.incident_for_viewer(viewer=stranger, public_id=incident.public_id)
    assert incident not in selectors.incident_list(viewer=stranger)
    with pytest.raises(PermissionDenied):
        selectors.private_log(viewer=stranger, incident=incident)
    with pytest.raises(PermissionDenied):
        services.log_add(actor=world.other_lead, incident=incident, text="x")


def test_coordinators_see_the_incident_but_not_its_private_log(world: World) -> None:
    incident = own_incident(world)
    services.log_add(actor=world.users[Role.MEMBER], incident=incident, text="Ransom is 40 BTC")
    coordinator = viewer_for(world.users[Role.COORDINATOR])
    assert selectors.incident_for_viewer(viewer=coordinator, public_id=incident.public_id)
    with pytest.raises(PermissionDenied):
        selectors.private_log(viewer=coordinator, incident=incident)
    # Nor through the audit log, which records that a note was written but not what.
    assert "40 BTC" not in str(list(AuditEntry.objects.values_list("details", flat=True)))


def test_the_national_analyst_sees_no_incident(world: World) -> None:
    own_incident(world)
    with pytest.raises(PermissionDenied):
        selectors.incident_list(viewer=viewer_for(world.users[Role.NATIONAL_ANALYST]))


def test_timeline_entries_in_the_future_are_refused(world: World) -> None:
    incident = own_incident(world)
    with pytest.raises(InvalidInput) as raised:
        services.timeline_add(
            actor=world.users[Role.MEMBER],
            incident=incident,
            at=timezone.now() + timedelta(hours=2),
            text="Later",
        )
    assert raised.value.field == "at"
    assert not TimelineEntry.objects.exists()


def test_a_bad_breach_update_leaves_the_earlier_answers_untouched(world: World) -> None:
    incident = own_incident(world)
    before = Breach.objects.get(incident=incident)
    with pytest.raises(InvalidInput) as raised:
        breach_record(
            actor=world.users[Role.MEMBER],
            incident=incident,
            draft=BreachDraft(
                aware_at=timezone.now() - timedelta(hours=1), nature="changed", subjects_told="no"
            ),
        )
    assert raised.value.field == "subjects_not_told_reason"
    after = Breach.objects.get(incident=incident)
    assert (after.nature, after.aware_at) == (before.nature, before.aware_at)


def test_breach_awareness_before_the_incident_started_is_refused(world: World) -> None:
    incident = record(world.users[Role.MEMBER])
    with pytest.raises(InvalidInput) as raised:
        breach_record(
            actor=world.users[Role.MEMBER],
            incident=incident,
            draft=BreachDraft(aware_at=incident.started_at - timedelta(minutes=5)),
        )
    assert raised.value.field == "aware_at"
    assert not Breach.objects.exists()


def test_the_clock_follows_awareness_and_stops_when_reported(world: World) -> None:
    incident = own_incident(world)
    clock = selectors.clocks_for(incident).ico
    assert clock is not None and not clock.overdue
    assert clock.deadline == incident.breach.aware_at + timedelta(hours=72)
    breach_record(
        actor=world.users[Role.MEMBER],
        incident=incident,
        draft=BreachDraft(aware_at=incident.breach.aware_at, reported_to_ico_at=timezone.now()),
    )
    incident.refresh_from_db()
    assert selectors.clocks_for(incident).ico.met  # type: ignore[union-attr]


def test_only_reports_the_member_may_see_can_be_linked(world: World) -> None:
    incident = other_incident(world)
    # The held anonymous report is the other lead's own, so it may link it...
    services.report_link(
        actor=world.other_lead, incident=incident, report_public_id=str(world.held_report.public_id)
    )
    own = own_incident(world)
    # ...but our member cannot see it (held for review), so cannot link it.
    with pytest.raises(InvalidInput) as raised:
        services.report_link(
            actor=world.users[Role.MEMBER],
            incident=own,
            report_public_id=str(world.held_report.public_id),
        )
    assert raised.value.field == "report"
    with pytest.raises(InvalidInput):
        services.report_link(
            actor=world.users[Role.MEMBER], incident=own, report_public_id="not-a-uuid"
        )
    assert not own.related_reports.exists()


def test_log_notes_belong_to_their_incident(world: World) -> None:
    incident = own_incident(world)
    services.log_add(actor=world.users[Role.MEMBER], incident=incident, text="note")
    assert LogNote.objects.get().incident == incident


def test_correcting_an_incident_is_checked_like_recording_it_and_audited(world: World) -> None:
    incident = own_incident(world)
    member = world.users[Role.MEMBER]
    before = (incident.title, incident.started_at)
    too_early = incident.breach.aware_at + timedelta(minutes=10)
    with pytest.raises(InvalidInput) as raised:
        services.incident_update(
            actor=member,
            incident=incident,
            draft=_draft(started_at=too_early, detected_at=too_early, title="Renamed"),
        )
    assert raised.value.field == "started_at"
    incident.refresh_from_db()
    assert (incident.title, incident.started_at) == before
    services.incident_update(
        actor=member,
        incident=incident,
        draft=_draft(
            title="Ransomware (LockBit)",
            started_at=incident.started_at,
            detected_at=incident.detected_at,
            ncsc_category="C3",
            description=incident.description,
        ),
    )
    incident.refresh_from_db()
    assert (incident.title, incident.ncsc_category) == ("Ransomware (LockBit)", "C3")
    entry = AuditEntry.objects.get(action="incident.update")
    assert entry.details["fields"] == ["title", "ncsc_category"]
    with pytest.raises(PermissionDenied):
        services.incident_update(
            actor=world.users[Role.COORDINATOR], incident=incident, draft=_draft()
        )
