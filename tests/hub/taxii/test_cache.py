"""The cache of serialised STIX objects never shows one reader what was
built for another, and never serves a report as it was before a change."""

from __future__ import annotations

import json

from django.test import Client

from openwarp.hub.members.policy import Role
from openwarp.hub.sharing.models import Indicator, Report
from openwarp.hub.taxii.stream import object_cache
from tests.hub.taxii.conftest import Shared
from tests.hub.taxii.helpers import TAXII

ROOT = "/taxii2/api/"


def _listing(client: Client, alias: str = "federation") -> list[dict]:  # type: ignore[type-arg]
    response = client.get(f"{ROOT}collections/{alias}/objects/", {"limit": 1000}, HTTP_ACCEPT=TAXII)
    assert response.status_code == 200, response.content
    return response.json().get("objects", [])


def _group(objects: list[dict], report: Report) -> list[dict]:  # type: ignore[type-arg]
    head = next(o for o in objects if o["id"] == f"report--{report.public_id}")
    return [o for o in objects if o["id"] in {head["id"], *head["object_refs"]}]


def test_an_anonymous_report_read_by_the_coordinator_first_stays_anonymous_for_members(
    shared: Shared,
) -> None:
    object_cache().clear()
    anonymous = shared.reports["federation_anonymous"]
    coordinator_view = _group(_listing(shared.api(Role.COORDINATOR)), anonymous)
    assert "Nottingham City Council" in json.dumps(coordinator_view)
    assert len(object_cache()) > 0
    for role in (Role.MEMBER, Role.NATIONAL_ANALYST):
        objects = _listing(shared.api(role))
        group = _group(objects, anonymous)
        assert "nottingham" not in json.dumps(group).lower()
        hub = next(o for o in objects if o["id"] == group[0]["created_by_ref"])
        assert hub["name"] == "Regional WARP"
        assert group[0]["created"].endswith("T00:00:00.000Z")
    # The coordinator still gets its own cut, from the same cache.
    again = _group(_listing(shared.api(Role.COORDINATOR)), anonymous)
    assert again == coordinator_view


def test_a_member_read_first_does_not_hide_the_source_from_the_coordinator(
    shared: Shared,
) -> None:
    object_cache().clear()
    anonymous = shared.reports["federation_anonymous"]
    _listing(shared.api(Role.MEMBER))
    group = _group(_listing(shared.api(Role.COORDINATOR)), anonymous)
    assert "Reported by: Nottingham City Council" in group[0]["description"]


def test_a_changed_report_or_value_is_served_as_it_is_now(shared: Shared) -> None:
    report = shared.reports["federation_green"]
    client = shared.api(Role.MEMBER)
    before = _group(_listing(client), report)
    report.title = "Credential phishing kit aimed at councils (updated)"
    report.save()
    Indicator.objects.filter(report=report, value="fed-phish.example").update(
        value="fed-phish-2.example"
    )
    Indicator.objects.create(report=report, kind="domain", value="late-addition.example")
    after = _group(_listing(client), report)
    names = {o.get("name") for o in after}
    assert after[0]["name"].endswith("(updated)")
    assert {"fed-phish-2.example", "late-addition.example"} <= names
    assert "fed-phish.example" not in names
    assert len(after) == len(before) + 1


def test_a_renamed_publisher_is_named_anew(shared: Shared) -> None:
    report = shared.reports["federation_clear"]
    client = shared.api(Role.MEMBER)
    _listing(client)
    shared.other.name = "Nottingham City Council (renamed)"
    shared.other.save()
    objects = _listing(client)
    group = _group(objects, report)
    assert "Reported by: Nottingham City Council (renamed)" in group[0]["description"]
    names = {o["name"] for o in objects if o["type"] == "identity"}
    assert "Nottingham City Council (renamed)" in names
