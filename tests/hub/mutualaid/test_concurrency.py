"""No double-booking when two lenders' acceptances arrive at the same moment.

Two requests overlap in time and the coordinator has offered the same person to
both (legitimate until one is accepted). Two API calls accept the two offers in
parallel threads, each on its own database connection; exactly one may win. Runs
on PostgreSQL, where the row lock is what serialises them (SQLite serialises all
writers, so the race cannot happen there).
"""

from __future__ import annotations

import json
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client

from openwarp.hub.members.services.tokens import token_create
from openwarp.hub.mutualaid.models import Deployment, Offer
from tests.hub.mutualaid.factories import ask, ask_elsewhere, locate, offer, person
from tests.world import World

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROUNDS = 6


def _accept_together(token: str, offers: list[Offer]) -> list[int]:
    barrier = threading.Barrier(len(offers))
    statuses: list[int] = []

    def accept(sent: Offer) -> None:
        client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
        body = json.dumps(
            {
                "terms": "Memorandum",
                "cost_basis": "day_rate",
                "day_rate": "0",
                "confidentiality_agreed": True,
            }
        )
        barrier.wait()
        try:
            response = client.post(
                f"/api/v1/mutual-aid/offers/{sent.pk}/accept",
                body,
                content_type="application/json",
            )
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(o,)) for o in offers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(statuses)


def test_parallel_acceptances_never_double_book_a_person(world: World) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the race needs concurrent writers: run on PostgreSQL")
    locate(world)
    token = token_create(actor=None, user=world.other_lead, name="t", scope="write").secret
    for round_ in range(ROUNDS):
        responder = person(world.other, f"Responder {round_}")
        first = ask(world, start_in=timedelta(hours=1 + round_ * 200))
        second = ask_elsewhere(world, first.starts_at + timedelta(hours=12))
        both = [offer(world, first, responder), offer(world, second, responder)]
        assert _accept_together(token, both) == [201, 409]
        assert Deployment.objects.filter(person=responder).count() == 1
