"""The TAXII rules: which collections a reader is shown, and whose name it may learn."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from openwarp.hub.members.policy import Distribution, Role, may_see_author
from openwarp.hub.members.policy.taxii import (
    FEDERATION_PEER,
    may_add_to_collection,
    may_read_collection,
)
from openwarp.hub.members.policy_adapters import viewer_for
from openwarp.hub.sharing.access import reports_visible, shareable
from openwarp.hub.taxii.collections import known_source_q
from tests.hub.taxii.conftest import Shared
from tests.hub.taxii.helpers import TAXII


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
