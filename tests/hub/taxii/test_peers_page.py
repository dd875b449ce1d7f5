"""The coordinator's federation page: each peer's schedule, last run and next run."""

from __future__ import annotations

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from openwarp.hub.members.policy import Role
from openwarp.hub.taxii.models import FederationRun, Peer
from tests.world import World


@pytest.mark.django_db(transaction=True)
def test_the_page_lists_peers_with_last_run_result_and_next_run(world: World) -> None:
    soon = timezone.now() + timezone.timedelta(minutes=20)
    peer = Peer.objects.create(
        name="National hub",
        url="https://national.example/taxii2/",
        token="owp_never_shown",
        pulls=True,
        interval_minutes=30,
        next_run_at=soon,
    )
    FederationRun.objects.create(
        peer=peer,
        finished_at=timezone.now(),
        ok=False,
        message="failed, and what was received before is kept: cannot reach it",
    )
    client = world.client(Role.COORDINATOR)
    page = client.get("/federation/peers/").content.decode()
    assert "National hub" in page and "pull every 30 min" in page
    assert "Failed" in page and "cannot reach it" in page
    assert soon.strftime("%-d %b %Y") in page
    assert "owp_never_shown" not in page

    response = client.post(f"/federation/peers/{peer.pk}/run/")
    assert response.status_code == 302
    queued = [t.args_kwargs["kwargs"] for t in DBTaskResult.objects.filter(status="READY")]
    assert {"peer_id": peer.pk} in queued


@pytest.mark.django_db
def test_members_do_not_see_the_peers(world: World) -> None:
    Peer.objects.create(name="National hub", url="https://national.example/taxii2/")
    for role in (Role.SECURITY_LEAD, Role.NATIONAL_ANALYST):
        response = world.client(role).get("/federation/peers/")
        assert response.status_code == 403
        assert b"national.example" not in response.content
