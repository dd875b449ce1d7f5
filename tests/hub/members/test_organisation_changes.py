"""Coordinators correct an organisation's facts and record when it leaves the hub."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from openwarp.core.errors import Conflict, InvalidInput
from openwarp.hub.audit.models import AuditEntry
from openwarp.hub.members.models import Organisation
from openwarp.hub.members.policy import Role
from openwarp.hub.members.services import organisations as orgs
from openwarp.hub.members.services.tokens import token_create
from tests.world import PASSWORD, World


def _facts(organisation: Organisation) -> dict[str, object]:
    organisation.refresh_from_db()
    return {
        "name": organisation.name,
        "org_type": organisation.org_type,
        "population": organisation.population,
        "is_active": organisation.is_active,
    }


def test_coordinator_corrects_a_population_on_the_edit_page(world: World) -> None:
    client = world.client(Role.COORDINATOR)
    page = client.get(f"/organisations/{world.other.slug}/edit/")
    assert page.status_code == 200 and b'value="337098"' in page.content
    response = client.post(
        f"/organisations/{world.other.slug}/edit/",
        {
            "name": world.other.name,
            "org_type": "unitary",
            "population": "338000",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert _facts(world.other)["population"] == 338000
    entry = AuditEntry.objects.order_by("-sequence").first()
    assert entry is not None and entry.action == "organisation.update"
    assert entry.details["changed"] == {"population": "338000"}


def test_renaming_onto_another_members_name_is_refused_and_changes_nothing(
    world: World,
) -> None:
    before = _facts(world.other)
    with pytest.raises(Conflict) as error:
        orgs.organisation_update(
            actor=None, organisation=world.other, name="derby city council", org_type="unitary"
        )
    assert error.value.field == "name"
    assert _facts(world.other) == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"org_type": "parish"}, "org_type"),
        ({"latitude": 95.0}, "latitude"),
        ({"population": -1}, "population"),
    ],
)
def test_bad_edits_name_the_field_and_change_nothing(
    world: World, change: dict[str, object], field: str
) -> None:
    before = _facts(world.other)
    audit_before = AuditEntry.objects.count()
    values = {"name": world.other.name, "org_type": "unitary", **change}
    with pytest.raises(InvalidInput) as error:
        orgs.organisation_update(actor=None, organisation=world.other, **values)  # type: ignore[arg-type]
    assert error.value.field == field
    assert _facts(world.other) == before and AuditEntry.objects.count() == audit_before


def test_a_county_with_districts_cannot_stop_being_a_county(world: World) -> None:
    county = orgs.organisation_create(
        actor=None, name="Derbyshire County Council", org_type="county", region=world.region
    )
    orgs.organisation_create(
        actor=None,
        name="Amber Valley Borough Council",
        org_type="district",
        region=world.region,
        parent=county,
    )
    with pytest.raises(InvalidInput) as error:
        orgs.organisation_update(
            actor=None, organisation=county, name=county.name, org_type="unitary"
        )
    assert error.value.field == "org_type"


def test_when_an_organisation_leaves_its_people_lose_access_at_once(world: World) -> None:
    lead = world.other_lead
    assert lead is not None
    session = Client()
    session.force_login(lead)
    assert session.get("/").status_code == 200
    token = token_create(actor=None, user=lead, name="lead", scope="read").secret

    orgs.organisation_update(
        actor=world.users[Role.COORDINATOR],
        organisation=world.other,
        name=world.other.name,
        org_type="unitary",
        is_active=False,
    )

    # The open session ends, the token stops working, a new sign-in fails.
    assert session.get("/").status_code == 302
    refused = Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/v1/me")
    assert refused.status_code == 401
    assert "no longer a member" in refused.json()["message"]
    sign_in = Client().post("/sign-in/", {"email": lead.email, "password": PASSWORD})
    assert sign_in.status_code == 200 and b"wrong" in sign_in.content
    # It leaves the directory, but coordinators can still find it to bring it back.
    members = world.client(Role.MEMBER).get("/organisations/").content.decode()
    assert world.other.name not in members
    coordinator = world.client(Role.COORDINATOR).get("/organisations/").content.decode()
    assert "Organisations that have left" in coordinator and world.other.name in coordinator
    assert AuditEntry.objects.filter(action="organisation.deactivate").count() == 1
    # What it shared stays.
    assert world.green_report.__class__.objects.filter(pk=world.green_report.pk).exists()

    orgs.organisation_update(
        actor=None,
        organisation=world.other,
        name=world.other.name,
        org_type="unitary",
        population=337098,
        is_active=True,
    )
    assert Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/v1/me").status_code == 200


def test_api_patch_changes_only_the_fields_sent(world: World) -> None:
    response = world.api(Role.COORDINATOR).patch(
        f"/api/v1/organisations/{world.other.slug}",
        data=json.dumps({"subregion": "Nottingham and Nottinghamshire LRF"}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["subregion"] == "Nottingham and Nottinghamshire LRF"
    assert body["population"] == 337098 and body["org_type"] == "unitary"


def test_api_patch_with_a_bad_type_names_the_field(world: World) -> None:
    response = world.api(Role.ADMIN).patch(
        f"/api/v1/organisations/{world.other.slug}",
        data=json.dumps({"org_type": "parish"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["field"] == "org_type"
    assert _facts(world.other)["org_type"] == "unitary"
