"""The TAXII 2.1 server through Django's test client: media types, errors,
collections per scope, filters and pagination, all cut by the policy."""

from __future__ import annotations

import base64
import json
import uuid

import pytest
from django.test import Client
from stix2validator import ValidationOptions, validate_instance

from openwarp.hub.members.policy import Distribution, Role
from openwarp.hub.members.policy_adapters import viewer_for
from tests.hub.taxii.conftest import Shared
from tests.hub.taxii.helpers import TAXII, expected_report_ids, report_ids

ROOT = "/taxii2/api/"


def _get(client: Client, url: str, **params: object):  # type: ignore[no-untyped-def]
    return client.get(url, params, HTTP_ACCEPT=TAXII)


def _objects(shared: Shared, role: Role, alias: str, **params: object) -> list[dict]:  # type: ignore[type-arg]
    response = _get(shared.api(role), f"{ROOT}collections/{alias}/objects/", **params)
    assert response.status_code == 200, response.content
    return response.json().get("objects", [])


def test_discovery_is_public_and_names_the_one_api_root(db: None) -> None:
    response = Client().get("/taxii2/", HTTP_ACCEPT=TAXII)
    assert response.status_code == 200
    assert response["Content-Type"] == TAXII
    body = response.json()
    assert body["api_roots"] == [ROOT] and body["default"] == ROOT


@pytest.mark.parametrize(
    "accept", ["application/json", "application/taxii+json;version=2.0", "text/html"]
)
def test_other_media_types_are_not_acceptable(db: None, accept: str) -> None:
    response = Client().get("/taxii2/", HTTP_ACCEPT=accept)
    assert response.status_code == 406
    assert response["Content-Type"] == TAXII
    assert response.json()["http_status"] == "406"


def test_without_a_token_the_api_root_asks_for_one(db: None) -> None:
    response = _get(Client(), ROOT)
    assert response.status_code == 401
    assert "Bearer" in response["WWW-Authenticate"]
    assert response.json()["title"] == "Authentication required"
    bad = Client(HTTP_AUTHORIZATION="Bearer owp_deadbeef_nope").get(ROOT, HTTP_ACCEPT=TAXII)
    assert bad.status_code == 401 and "unknown token" in bad.json()["description"]


def test_the_token_also_works_as_a_basic_password(shared: Shared) -> None:
    secret = shared.tokens[Role.MEMBER]
    basic = base64.b64encode(f"anyone:{secret}".encode()).decode()
    response = Client(HTTP_AUTHORIZATION=f"Basic {basic}").get(ROOT, HTTP_ACCEPT=TAXII)
    assert response.status_code == 200
    assert response.json()["versions"] == [TAXII]


def test_each_reader_is_shown_only_the_scopes_it_may_read(shared: Shared) -> None:
    def aliases(role: Role) -> list[str]:
        body = _get(shared.api(role), f"{ROOT}collections/").json()
        return [c["alias"] for c in body.get("collections", [])]

    group = f"group-{shared.reports['group_green'].sharing_group_id}"
    assert aliases(Role.MEMBER) == ["federation", "region", "organisation", group]
    assert aliases(Role.NATIONAL_ANALYST) == ["federation"]
    assert aliases(Role.COORDINATOR) == ["federation", "region", "organisation"]
    hidden = _get(shared.api(Role.COORDINATOR), f"{ROOT}collections/{group}/")
    assert hidden.status_code == 404


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("scope", list(Distribution))
def test_a_collection_holds_exactly_what_the_policy_lets_the_reader_see(
    shared: Shared, role: Role, scope: Distribution
) -> None:
    viewer = viewer_for(shared.users[role])
    listed = _get(shared.api(role), f"{ROOT}collections/").json().get("collections", [])
    alias = "group-" if scope == Distribution.SHARING_GROUP else scope.value
    match = [c for c in listed if c["alias"].startswith(alias)]
    if not match:
        assert expected_report_ids(viewer, scope) == set()
        return
    objects = _objects(shared, role, match[0]["id"], limit=1000)
    assert report_ids(objects) == expected_report_ids(viewer, scope)
    if (role, scope) in ((Role.MEMBER, Distribution.REGION), (Role.NATIONAL_ANALYST, "federation")):
        assert len(report_ids(objects)) >= 2, "the world shares in this scope"


def test_federation_never_carries_an_anonymous_reporters_identity(shared: Shared) -> None:
    anonymous = shared.reports["federation_anonymous"]
    for role in (Role.MEMBER, Role.NATIONAL_ANALYST):
        objects = _objects(shared, role, "federation", limit=1000)
        report = next(o for o in objects if o["id"] == f"report--{anonymous.public_id}")
        group = [o for o in objects if o["id"] in {report["id"], *report["object_refs"]}]
        assert len(group) == 2
        hub = next(o for o in objects if o["id"] == report["created_by_ref"])
        assert hub["name"] == "Regional WARP"
        assert {o["created_by_ref"] for o in group} == {hub["id"]}
        assert "nottingham" not in json.dumps(group).lower()
        assert report["created"].endswith("T00:00:00.000Z")


def test_the_region_collection_credits_a_known_publisher_once(shared: Shared) -> None:
    objects = _objects(shared, Role.MEMBER, "federation", limit=1000)
    identities = [o["name"] for o in objects if o["type"] == "identity"]
    assert sorted(identities) == sorted(
        ["Regional WARP", "Derby City Council", "Nottingham City Council"]
    )


def test_objects_make_a_valid_stix_bundle_with_tlp2_markings(shared: Shared) -> None:
    objects = _objects(shared, Role.MEMBER, "federation", limit=1000)
    bundle = {"type": "bundle", "id": "bundle--6b1c5a2e-3f0a-4c1e-9f7e-2a9d4b1c8e01"}
    result = validate_instance({**bundle, "objects": objects}, ValidationOptions(strict=True))
    assert result.is_valid, [str(e) for e in result.errors]
    markings = {o["name"] for o in objects if o["type"] == "marking-definition"}
    assert markings == {"TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED"}


def test_pages_walk_the_whole_collection_once_in_order(shared: Shared) -> None:
    client, url = shared.api(Role.MEMBER), f"{ROOT}collections/federation/objects/"
    everything = _objects(shared, Role.MEMBER, "federation", limit=1000)
    seen: list[str] = []
    params: dict[str, object] = {"limit": 4}
    while True:
        response = _get(client, url, **params)
        body = response.json()
        seen += [o["id"] for o in body["objects"]]
        assert response["X-TAXII-Date-Added-First"] <= response["X-TAXII-Date-Added-Last"]
        if not body["more"]:
            break
        assert len(body["objects"]) == 4
        params = {"limit": 4, "next": body["next"]}
    assert seen == [o["id"] for o in everything]


def test_added_after_gives_only_what_came_later(shared: Shared) -> None:
    client, url = shared.api(Role.MEMBER), f"{ROOT}collections/federation/manifest/"
    manifest = _get(client, url, limit=1000).json()["objects"]
    dates = sorted({entry["date_added"] for entry in manifest})
    later = _get(client, url, added_after=dates[-2]).json()["objects"]
    assert later and {e["date_added"] for e in later} == {dates[-1]}
    assert {e["id"] for e in later} < {e["id"] for e in manifest}
    empty = _get(client, url, added_after=dates[-1])
    assert empty.json() == {"more": False}
    assert "X-TAXII-Date-Added-First" not in empty


def test_match_filters_by_type_id_version_and_spec_version(shared: Shared) -> None:
    green = shared.reports["federation_green"]
    indicators = _objects(shared, Role.MEMBER, "federation", **{"match[type]": "indicator"})
    assert indicators and {o["type"] for o in indicators} == {"indicator"}
    vulns = _objects(shared, Role.MEMBER, "federation", **{"match[type]": "vulnerability"})
    assert {o["name"] for o in vulns} == {"CVE-2024-3400", "CVE-2025-0282"}
    one = _objects(shared, Role.MEMBER, "federation", **{"match[id]": f"report--{green.public_id}"})
    assert [o["id"] for o in one] == [f"report--{green.public_id}"]
    version = one[0]["modified"]
    same = _objects(shared, Role.MEMBER, "federation", **{"match[version]": version})
    assert f"report--{green.public_id}" in report_ids(same)
    old = "2001-01-01T00:00:00.000Z"
    assert _objects(shared, Role.MEMBER, "federation", **{"match[version]": old}) == []
    assert _objects(shared, Role.MEMBER, "federation", **{"match[spec_version]": "2.0"}) == []


def _forged_cursor(*parts: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(parts)).encode()).decode()


def test_bad_parameters_are_named_in_a_taxii_error(shared: Shared) -> None:
    url = f"{ROOT}collections/federation/objects/"
    for params, field in (
        ({"limit": "many"}, "limit"),
        ({"added_after": "yesterday"}, "added_after"),
        ({"next": "not-ours"}, "next"),
        ({"next": _forged_cursor("2026-01-01T00:00:00.000000Z", "x' OR 1=1", 0)}, "next"),
        ({"next": _forged_cursor("2026-01-01T00:00:00.000000Z", str(uuid.uuid4()), -3)}, "next"),
    ):
        response = _get(shared.api(Role.MEMBER), url, **params)
        assert response.status_code == 422
        assert response.json()["description"].startswith(f"{field}:")


def test_an_object_and_its_versions_by_id(shared: Shared) -> None:
    client = shared.api(Role.MEMBER)
    indicator = _objects(shared, Role.MEMBER, "federation", **{"match[type]": "indicator"})[0]
    base = f"{ROOT}collections/federation/objects/{indicator['id']}/"
    found = _get(client, base).json()["objects"]
    assert found == [indicator]
    assert _get(client, f"{base}versions/").json()["versions"] == [indicator["modified"]]
    amber = shared.reports["federation_amber"]
    hidden = _get(
        shared.api(Role.NATIONAL_ANALYST),
        f"{ROOT}collections/federation/objects/report--{amber.public_id}/",
    )
    assert hidden.status_code == 404


def test_only_the_hub_adds_to_the_federation_inbox(shared: Shared) -> None:
    url = f"{ROOT}collections/federation/objects/"
    envelope = json.dumps({"objects": []})
    member = shared.api(Role.MEMBER).post(url, envelope, content_type=TAXII, HTTP_ACCEPT=TAXII)
    assert member.status_code == 403
    region = shared.api(Role.COORDINATOR).post(
        f"{ROOT}collections/region/objects/", envelope, content_type=TAXII, HTTP_ACCEPT=TAXII
    )
    assert region.status_code == 403
    wrong_type = shared.api(Role.COORDINATOR).post(
        url, envelope, content_type="application/json", HTTP_ACCEPT=TAXII
    )
    assert wrong_type.status_code == 415
    readonly = shared.api(Role.NATIONAL_ANALYST).post(
        url, envelope, content_type=TAXII, HTTP_ACCEPT=TAXII
    )
    assert readonly.status_code == 403


def test_a_coordinator_adds_a_peers_reports_and_reads_the_status(shared: Shared) -> None:
    from openwarp.core.tlp import TLP
    from tests.hub.taxii.test_receive import peer_objects

    objects = peer_objects() + peer_objects(tlp=TLP.RED)
    url = f"{ROOT}collections/federation/objects/"
    posted = shared.api(Role.COORDINATOR).post(
        url, json.dumps({"objects": objects}), content_type=TAXII, HTTP_ACCEPT=TAXII
    )
    assert posted.status_code == 202, posted.content
    status = posted.json()
    assert status["status"] == "complete" and status["total_count"] == len(objects)
    red_report, red_indicator = objects[-2]["id"], objects[-1]["id"]
    assert status["failures"] == [
        {"id": red_report, "message": "TLP:RED: only TLP:CLEAR and GREEN federate"},
        {"id": red_indicator, "message": f"part of {red_report}, which was refused"},
    ]
    assert status["success_count"] == len(objects) - 2
    again = _get(shared.api(Role.COORDINATOR), f"{ROOT}status/{status['id']}/")
    assert again.json() == status
    assert _get(shared.api(Role.MEMBER), f"{ROOT}status/{status['id']}/").status_code == 404
    kept = _objects(shared, Role.MEMBER, "federation", **{"match[id]": objects[2]["id"]})
    assert [o["name"] for o in kept] == ["Peer hub warning"]


def test_a_body_that_is_not_an_envelope_is_refused_and_nothing_is_kept(shared: Shared) -> None:
    url = f"{ROOT}collections/federation/objects/"
    for body in ("not json", json.dumps([{"type": "report"}]), json.dumps({"objects": {}})):
        response = shared.api(Role.COORDINATOR).post(
            url, body, content_type=TAXII, HTTP_ACCEPT=TAXII
        )
        assert response.status_code == 422
        assert response.json()["description"].split(":")[0] in ("body", "objects")


def test_a_body_over_the_advertised_limit_is_refused_before_it_is_read(shared: Shared) -> None:
    limit = _get(shared.api(Role.COORDINATOR), ROOT).json()["max_content_length"]
    body = json.dumps({"objects": [{"type": "note", "id": "x", "pad": "x" * limit}]})
    response = shared.api(Role.COORDINATOR).post(
        f"{ROOT}collections/federation/objects/", body, content_type=TAXII, HTTP_ACCEPT=TAXII
    )
    assert response.status_code == 413
    assert str(limit) in response.json()["description"]
