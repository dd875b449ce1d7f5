"""The TAXII rules: which collections a reader is shown, and whose name it may learn."""

from __future__ import annotations

import dataclasses
import json

import pytest
from django.test import Client
from hypothesis import given, settings

from openwarp.hub.members.policy import (
    Distribution,
    Role,
    Shareable,
    Viewer,
    may_federate,
    may_see_author,
    may_view,
)
from openwarp.hub.members.policy.taxii import (
    FEDERATION_PEER,
    may_add_to_collection,
    may_read_collection,
)
from openwarp.hub.members.policy_adapters import viewer_for
from openwarp.hub.sharing.access import reports_visible, shareable
from openwarp.hub.taxii.collections import known_source_q
from tests.hub.members.test_policy import items, viewers
from tests.hub.sharing.test_visibility import grid  # noqa: F401  (a fixture)
from tests.hub.taxii.conftest import Shared
from tests.hub.taxii.helpers import TAXII
from tests.world import World


@pytest.mark.parametrize("role", list(Role))
def test_known_source_q_agrees_with_the_policy_report_by_report(shared: Shared, role: Role) -> None:
    viewer = viewer_for(shared.users[role])
    visible = reports_visible(viewer)
    known = set(visible.filter(known_source_q(viewer)).values_list("pk", flat=True))
    assert known == {r.pk for r in visible if may_see_author(viewer, shareable(r))}
    assert visible.exists()


def test_another_hub_reads_as_a_national_analyst_and_adds_nothing(db: None) -> None:
    assert may_read_collection(FEDERATION_PEER, Distribution.FEDERATION)
    for scope in (Distribution.REGION, Distribution.ORGANISATION, Distribution.SHARING_GROUP):
        assert not may_read_collection(FEDERATION_PEER, scope, sharing_group_id=1)
    assert not may_add_to_collection(FEDERATION_PEER, Distribution.FEDERATION)


def test_a_browser_session_cannot_add_without_its_csrf_token(shared: Shared) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(shared.users[Role.COORDINATOR])
    url = "/taxii2/api/collections/federation/objects/"
    assert client.get(url, HTTP_ACCEPT=TAXII).status_code == 200
    response = client.post(url, json.dumps({"objects": []}), content_type=TAXII, HTTP_ACCEPT=TAXII)
    assert response.status_code == 403
    assert "CSRF" in response.json()["description"]


@settings(deadline=None)  # pure, but the machine may be busy
@given(viewers, items)
def test_a_peer_hub_sees_exactly_what_may_federate_whoever_it_claims_to_be(
    viewer: Viewer, item: Shareable
) -> None:
    peer = dataclasses.replace(viewer, peer_hub=True)
    assert may_view(peer, item) == may_federate(item)
    assert not (item.from_federation and may_view(peer, item)), "no echo"
    assert not (item.anonymous and may_see_author(peer, item))


@settings(deadline=None)
@given(items)
def test_an_analyst_sees_what_a_peer_sees_and_what_came_from_other_hubs(item: Shareable) -> None:
    analyst = Viewer(user_id=40, role=Role.NATIONAL_ANALYST)
    if may_view(FEDERATION_PEER, item):
        assert may_view(analyst, item)
    if may_view(analyst, item) and not may_view(FEDERATION_PEER, item):
        assert item.from_federation
        assert may_view(analyst, dataclasses.replace(item, from_federation=False))


def test_the_peers_listing_agrees_with_the_policy(world: World, grid: list) -> None:  # noqa: F811
    pks = [r.pk for r in grid]
    listed = set(reports_visible(FEDERATION_PEER).filter(pk__in=pks).values_list("pk", flat=True))
    assert listed == {r.pk for r in grid if may_view(FEDERATION_PEER, shareable(r))}
    assert listed and not any(r.from_federation for r in grid if r.pk in listed)
