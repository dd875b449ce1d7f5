"""Pages: the coordinator's candidates and the demo region's live request."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from openwarp.hub.demo import demo_seed
from openwarp.hub.incidents.demo import demo_incident
from openwarp.hub.members.models import User
from openwarp.hub.members.policy import Role
from openwarp.hub.mutualaid.models import AidRequest, Deployment, OfferStatus
from tests.hub.mutualaid.factories import person
from tests.world import World

pytestmark = pytest.mark.django_db


def test_the_coordinator_sees_candidates_and_a_warning_for_a_short_need(
    world: World, aid_scene: dict[str, Any]
) -> None:
    aid = aid_scene["request"]
    extra = person(world.other, "Second responder", {"incident_lead": 4})
    aid.needs.update(people=3)
    page = world.client(Role.COORDINATOR).get(reverse("mutualaid:request", args=[aid.pk]))
    text = page.content.decode()
    assert f'Send offer<span class="govuk-visually-hidden"> to {extra.title}' in text
    # One is already offered; of the two still needed only one can be found.
    assert "only 1 of the 2 people still needed can be proposed" in text


def test_the_requester_sees_the_deployment_but_never_the_pending_offers_people(
    world: World, aid_scene: dict[str, Any]
) -> None:
    client = world.client(Role.MEMBER)
    text = client.get(reverse("mutualaid:request", args=[aid_scene["request"].pk])).content
    assert aid_scene["responder"].title.encode() not in text
    assert b"Send offer" not in text
    roster = client.get(reverse("mutualaid:roster", args=[world.other.slug]))
    assert roster.status_code == 403


def test_the_demo_region_has_a_live_request_with_an_accepted_and_a_pending_offer() -> None:
    demo_seed(password="demo-password-123")
    aid = AidRequest.objects.get(status="open")
    assert aid.organisation.name == "Amber Valley Borough Council"
    assert sorted(aid.offers.values_list("status", flat=True)) == [
        OfferStatus.ACCEPTED,
        OfferStatus.PENDING,
    ]
    deployment = Deployment.objects.get(request=aid)
    assert deployment.entries.count() == 2
    assert deployment.package is not None
    client = Client()
    client.force_login(User.objects.get(email="coordinator@em-warp.example"))
    page = client.get(reverse("mutualaid:request", args=[aid.pk])).content.decode()
    # Still one vetted AD engineer short: the optimiser proposes Lincolnshire's.
    assert 'Send offer<span class="govuk-visually-hidden"> to Windows server team leader' in page
    assert "Senior infrastructure engineer" in page  # the accepted deployment


def test_the_demo_request_leads_to_its_incident_and_back_for_the_requester_only() -> None:
    demo_seed(password="demo-password-for-tests")
    incident = demo_incident()
    aid = AidRequest.objects.get(organisation__name="Amber Valley Borough Council")
    assert incident is not None and aid.incident == incident
    requester = Client()
    requester.force_login(User.objects.get(email="security.lead@ambervalley.example"))
    assert incident.title in requester.get(f"/mutual-aid/requests/{aid.pk}/").content.decode()
    incident_page = requester.get(f"/incidents/{incident.public_id}/").content.decode()
    assert "Requests for help" in incident_page and aid.title in incident_page
    # The lender sees the request it answered, but not the requester's incident record.
    lender = Client()
    lender.force_login(User.objects.get(email="security.lead@derby.example"))
    lender_view = lender.get(f"/mutual-aid/requests/{aid.pk}/")
    assert lender_view.status_code == 200 and incident.title not in lender_view.content.decode()
