"""The mutual-aid API end to end, and what each side may learn through it."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from openwarp.hub.members.policy import Role
from openwarp.hub.members.services.tokens import token_create
from openwarp.hub.mutualaid.models import Deployment, TimeEntry
from tests.hub.mutualaid.factories import back_date, person
from tests.world import World

pytestmark = pytest.mark.django_db
BASE = "/api/v1/mutual-aid"


def post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(f"{BASE}{path}", json.dumps(body), content_type="application/json")


def lender_api(world: World) -> Client:
    secret = token_create(actor=None, user=world.other_lead, name="t", scope="write").secret
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_request_offer_accept_log_close_through_the_api(located: World) -> None:
    responder = person(located.other)
    requester = located.api(Role.SECURITY_LEAD)
    made = post(
        requester,
        "/requests",
        {
            "title": "Ransomware",
            "starts_at": (timezone.now() + timedelta(minutes=2)).isoformat(),
            "days": 2,
            "priority": 5,
            "needs": [{"skill": "incident_lead", "min_level": 2}],
        },
    )
    assert made.status_code == 201, made.content
    aid = made.json()
    assert aid["location"] == [located.own.latitude, located.own.longitude]
    coordinator = located.api(Role.COORDINATOR)
    found = coordinator.get(f"{BASE}/requests/{aid['id']}/candidates").json()
    assert [c["person"] for c in found["candidates"]] == [responder.pk]
    sent = post(
        coordinator,
        f"/requests/{aid['id']}/offers",
        {"need": aid["needs"][0]["id"], "person": responder.pk},
    )
    assert sent.status_code == 201
    lender = lender_api(located)
    assert [o["id"] for o in lender.get(f"{BASE}/offers?status=pending").json()] == [
        sent.json()["id"]
    ]
    accepted = post(
        lender,
        f"/offers/{sent.json()['id']}/accept",
        {
            "terms": "Memorandum",
            "cost_basis": "day_rate",
            "day_rate": "380",
            "confidentiality_agreed": True,
        },
    )
    assert accepted.status_code == 201, accepted.content
    back_date(Deployment.objects.get())
    logged = post(
        lender,
        f"/deployments/{accepted.json()['id']}/entries",
        {"day": timezone.localdate().isoformat(), "hours": "6", "expenses": "12.5"},
    )
    assert logged.status_code == 201, logged.content
    seen = requester.get(f"{BASE}/deployments/{accepted.json()['id']}").json()
    assert (seen["total_hours"], seen["total_expenses"]) == ("6.00", "12.50")
    edit = post(
        requester,
        f"/requests/{aid['id']}/edit",
        {
            "title": "More",
            "starts_at": aid["starts_at"],
            "days": 4,
            "priority": 5,
            "needs": [{"skill": "incident_lead", "min_level": 2}],
        },
    )
    assert edit.status_code == 409
    assert edit.json()["error"] == "conflict"
    closed = post(requester, f"/requests/{aid['id']}/close", {"helped": "Fast response"})
    assert closed.json()["status"] == "closed"


def test_a_bad_request_names_the_field(located: World) -> None:
    person(located.other)
    requester = located.api(Role.SECURITY_LEAD)
    past = post(
        requester,
        "/requests",
        {
            "title": "Late",
            "starts_at": (timezone.now() - timedelta(days=1)).isoformat(),
            "days": 2,
            "priority": 5,
            "needs": [{"skill": "incident_lead", "min_level": 2}],
        },
    )
    assert past.status_code == 422
    assert past.json()["field"] == "starts_at"
    impossible = post(
        requester,
        "/requests",
        {
            "title": "Cloud",
            "starts_at": (timezone.now() + timedelta(hours=1)).isoformat(),
            "days": 2,
            "priority": 5,
            "needs": [{"skill": "cloud", "min_level": 4}],
        },
    )
    assert impossible.status_code == 422
    assert impossible.json()["field"] == "needs[0].skill"
    assert "impossible request" in impossible.json()["message"]


def test_another_member_learns_nothing_of_a_roster_or_its_offers(
    aid_scene: dict[str, Any], world: World
) -> None:
    derby = world.api(Role.SECURITY_LEAD)
    assert derby.get(f"{BASE}/roster/{world.other.slug}").status_code == 403
    assert derby.get(f"{BASE}/offers").json() == []
    assert derby.get(f"{BASE}/requests/{aid_scene['request'].pk}/candidates").status_code == 403
    body = json.dumps(derby.get(f"{BASE}/requests").json())
    assert aid_scene["responder"].title not in body
    nottingham = lender_api(world).get(f"{BASE}/roster/{world.other.slug}").json()
    assert {p["title"] for p in nottingham["people"]} == {"Incident responder", "Backup engineer"}


def test_a_read_only_token_cannot_accept(world: World, aid_scene: dict[str, Any]) -> None:
    secret = token_create(actor=None, user=world.other_lead, name="r", scope="read").secret
    reader = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    refused = post(
        reader,
        f"/offers/{aid_scene['offer'].pk}/accept",
        {
            "terms": "x",
            "cost_basis": "day_rate",
            "day_rate": "1",
            "confidentiality_agreed": True,
        },
    )
    assert refused.status_code == 403
    assert not TimeEntry.objects.exists()
    assert Deployment.objects.count() == 1
