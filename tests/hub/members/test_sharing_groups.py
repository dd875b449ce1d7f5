"""Sharing groups: coordinators form them; a group report reaches its members only."""

from __future__ import annotations

import json

import pytest

from openwarp.core.errors import Conflict, InvalidInput
from openwarp.hub.audit.models import AuditEntry
from openwarp.hub.members.models import SharingGroup
from openwarp.hub.members.policy import Role
from openwarp.hub.members.services import organisations as orgs
from openwarp.hub.members.services import sharing_groups as groups
from openwarp.hub.sharing.models import Report
from tests.world import World, make_user


def test_coordinator_forms_a_group_on_its_page_and_the_change_is_audited(world: World) -> None:
    client = world.client(Role.COORDINATOR)
    response = client.post(
        "/sharing-groups/new/",
        {"name": "City councils", "organisations": [world.own.pk, world.other.pk]},
    )
    assert response.status_code == 302
    group = SharingGroup.objects.get(name="City councils")
    assert set(group.organisations.all()) == {world.own, world.other}
    entry = AuditEntry.objects.get(action="sharing_group.create")
    assert entry.details["organisations"] == ["derby-city-council", "nottingham-city-council"]


def test_a_group_of_one_or_a_taken_name_is_refused_and_nothing_is_made(world: World) -> None:
    with pytest.raises(InvalidInput) as error:
        groups.sharing_group_create(actor=None, name="Alone", organisations=[world.own])
    assert error.value.field == "organisations"
    groups.sharing_group_create(actor=None, name="Cities", organisations=[world.own, world.other])
    with pytest.raises(Conflict):
        groups.sharing_group_create(
            actor=None, name="cities", organisations=[world.own, world.other]
        )
    assert SharingGroup.objects.count() == 1


def test_members_see_only_their_own_groups(world: World) -> None:
    third = orgs.organisation_create(
        actor=None, name="Leicester City Council", org_type="unitary", region=world.region
    )
    groups.sharing_group_create(actor=None, name="Ours", organisations=[world.own, world.other])
    groups.sharing_group_create(actor=None, name="Theirs", organisations=[world.other, third])
    page = world.client(Role.MEMBER).get("/sharing-groups/").content.decode()
    assert "Ours" in page and "Theirs" not in page and "Leicester" not in page
    api = world.api(Role.MEMBER).get("/api/v1/sharing-groups").json()
    assert [g["name"] for g in api] == ["Ours"]
    everything = world.api(Role.COORDINATOR).get("/api/v1/sharing-groups").json()
    assert [g["name"] for g in everything] == ["Ours", "Theirs"]


def test_a_report_for_a_group_reaches_its_members_and_no_one_else(world: World) -> None:
    third = orgs.organisation_create(
        actor=None, name="Leicester City Council", org_type="unitary", region=world.region
    )
    outsider = make_user("lead@leicester.example", Role.SECURITY_LEAD, third)
    group = groups.sharing_group_create(
        actor=None, name="Derby and Nottingham", organisations=[world.own, world.other]
    )
    author = world.client(Role.SECURITY_LEAD)
    form = author.get("/reports/new/").content.decode()
    assert "Derby and Nottingham" in form
    response = author.post(
        "/reports/new/",
        {
            "title": "Payroll diversion fraud",
            "threat_type": "fraud",
            "confidence": "probable",
            "tlp": "amber",
            "distribution": "sharing_group",
            "sharing_group": group.pk,
            "indicators": "payroll-update.example",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    report = Report.objects.get(title="Payroll diversion fraud")
    assert report.sharing_group == group
    assert world.other_lead is not None
    reader = world.client(None)
    reader.force_login(world.other_lead)
    assert reader.get(f"/reports/{report.public_id}/").status_code == 200
    stranger = world.client(None)
    stranger.force_login(outsider)
    assert stranger.get(f"/reports/{report.public_id}/").status_code == 404


def test_api_replaces_a_groups_members_and_says_who_came_and_went(world: World) -> None:
    third = orgs.organisation_create(
        actor=None, name="Leicester City Council", org_type="unitary", region=world.region
    )
    group = groups.sharing_group_create(
        actor=None, name="Cities", organisations=[world.own, world.other]
    )
    response = world.api(Role.COORDINATOR).put(
        f"/api/v1/sharing-groups/{group.pk}",
        json.dumps({"name": "Cities", "organisations": [world.own.slug, third.slug]}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["organisations"] == [world.own.slug, third.slug]
    entry = AuditEntry.objects.get(action="sharing_group.update")
    assert entry.details["added"] == [third.slug]
    assert entry.details["removed"] == [world.other.slug]


def test_the_error_summary_leads_to_the_first_checkbox_of_a_group_left_empty(
    world: World,
) -> None:
    page = world.client(Role.COORDINATOR).post("/sharing-groups/new/", {"name": "Nobody"})
    text = page.content.decode()
    assert page.status_code == 200 and "govuk-error-summary" in text
    assert 'href="#id_organisations_0"' in text
    assert 'id="id_organisations_0"' in text  # the box the link leads to exists
