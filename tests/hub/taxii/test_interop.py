"""taxii2-client (v21) against a live hub: it reads discovery, the API root,
collections and every page, and finds exactly what the policy allows."""

from __future__ import annotations

import pytest
import requests
from stix2validator import ValidationOptions, validate_instance
from taxii2client.v21 import Server, as_pages

from openwarp.hub.members.policy import Distribution, Role
from openwarp.hub.members.policy_adapters import viewer_for
from openwarp.hub.members.services.tokens import token_create
from openwarp.hub.taxii.federation import BearerToken
from tests.hub.taxii.conftest import share_in_every_scope
from tests.hub.taxii.helpers import expected_report_ids, report_ids
from tests.world import World

SCOPES = {
    "federation": Distribution.FEDERATION,
    "region": Distribution.REGION,
    "organisation": Distribution.ORGANISATION,
}


def _valid(objects: list[dict]) -> None:  # type: ignore[type-arg]
    bundle = {"type": "bundle", "id": "bundle--0f4c2b8e-1d6a-4f3b-9c7e-5a2d8b1e6f40"}
    result = validate_instance({**bundle, "objects": objects}, ValidationOptions(strict=True))
    assert result.is_valid, [str(e) for e in result.errors]


def _readers(world: World) -> dict[str, tuple[object, str]]:
    other_token = token_create(actor=None, user=world.other_lead, name="taxii").secret
    return {
        "member of own organisation": (world.users[Role.MEMBER], world.tokens[Role.MEMBER]),
        "security lead of the other": (world.other_lead, other_token),
        "national analyst": (
            world.users[Role.NATIONAL_ANALYST],
            world.tokens[Role.NATIONAL_ANALYST],
        ),
        "coordinator": (world.users[Role.COORDINATOR], world.tokens[Role.COORDINATOR]),
    }


@pytest.mark.slow
def test_taxii2_client_reads_what_each_reader_may_see_and_nothing_else(
    live_server,
    world: World,  # type: ignore[no-untyped-def]
) -> None:
    share_in_every_scope(world)
    for name, (user, token) in _readers(world).items():
        server = Server(f"{live_server.url}/taxii2/", user="taxii", password=token)
        assert server.title == "Regional WARP"
        root = server.default
        assert root is not None and root.versions == ["application/taxii+json;version=2.1"]
        viewer = viewer_for(user)
        for collection in root.collections:
            pages = list(as_pages(collection.get_objects, per_request=3))
            objects = [obj for page in pages for obj in page.get("objects", [])]
            assert all(len(page["objects"]) == 3 for page in pages[:-1])
            assert len({o["id"] for o in objects}) == len(objects), "no object twice"
            _valid(objects)
            alias = collection.alias
            scope = Distribution.SHARING_GROUP if alias.startswith("group-") else SCOPES[alias]
            assert report_ids(objects) == expected_report_ids(viewer, scope), (name, alias)


@pytest.mark.slow
def test_added_after_through_the_client_resumes_after_the_last_page(
    live_server,
    world: World,  # type: ignore[no-untyped-def]
) -> None:
    share_in_every_scope(world)
    server = Server(f"{live_server.url}/taxii2/", auth=BearerToken(world.tokens[Role.MEMBER]))
    federation = next(c for c in server.default.collections if c.alias == "federation")
    manifest = federation.get_manifest()["objects"]
    last = max(entry["date_added"] for entry in manifest)
    assert federation.get_objects(added_after=last) == {"more": False}
    before_last = sorted({entry["date_added"] for entry in manifest})[-2]
    newest = federation.get_objects(added_after=before_last)["objects"]
    assert newest and {o["id"] for o in newest} == {
        e["id"] for e in manifest if e["date_added"] == last
    }


@pytest.mark.slow
def test_a_visitor_without_a_token_gets_discovery_only(
    live_server,
    world: World,  # type: ignore[no-untyped-def]
) -> None:
    server = Server(f"{live_server.url}/taxii2/")
    assert server.api_roots
    with pytest.raises(requests.HTTPError) as refused:
        server.default.collections  # noqa: B018 - loading it is the request
    assert refused.value.response.status_code == 401
