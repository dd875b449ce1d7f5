"""Exports through the API: valid for the tools members use, and never leaking
an anonymous publisher."""

from __future__ import annotations

import csv
import io
import json

from pymisp import MISPEvent
from stix2validator import ValidationOptions, validate_instance

from openwarp.hub.members.policy import Role
from openwarp.hub.sharing.services.reports import report_release
from tests.world import World


def test_a_report_exports_as_valid_stix_with_its_tlp2_marking(world: World) -> None:
    response = world.api(Role.MEMBER).get(f"/api/v1/reports/{world.green_report.public_id}/stix")
    assert response["Content-Type"].startswith("application/stix+json")
    bundle = response.json()
    result = validate_instance(bundle, ValidationOptions(strict=True))
    assert result.is_valid, [str(e) for e in result.errors]
    report = next(o for o in bundle["objects"] if o["type"] == "report")
    assert report["object_marking_refs"] == [
        "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
    ]
    creator = next(o for o in bundle["objects"] if o["id"] == report["created_by_ref"])
    assert creator["name"] == "Nottingham City Council"


def test_an_anonymous_report_exports_under_the_hubs_name_only(world: World) -> None:
    report_release(actor=world.users[Role.COORDINATOR], report=world.held_report, release=True)
    api = world.api(Role.MEMBER)
    path = f"/api/v1/reports/{world.held_report.public_id}"
    stix_text = api.get(f"{path}/stix").content.decode()
    misp_text = api.get(f"{path}/misp").content.decode()
    csv_text = api.get("/api/v1/reports.csv").content.decode()
    for text in (stix_text, misp_text):
        assert "nottingham" not in text.lower()
    event = MISPEvent()
    event.load(json.loads(misp_text))
    assert event.Orgc.name == "Regional WARP"
    assert "tlp:amber" in [tag.name for tag in event.tags]
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    anonymous_rows = [r for r in rows if "negotiate@leak-site.example" in r.values()]
    assert anonymous_rows
    for row in anonymous_rows:
        assert "a unitary authority" in " ".join(row.values())
        assert "nottingham" not in " ".join(row.values()).lower()


def test_exports_refuse_what_the_reader_cannot_see(world: World) -> None:
    path = f"/api/v1/reports/{world.held_report.public_id}"
    assert world.api(Role.MEMBER).get(f"{path}/stix").status_code == 404
    assert (
        world.api(Role.NATIONAL_ANALYST)
        .get(f"/api/v1/reports/{world.green_report.public_id}/misp")
        .status_code
        == 404
    )
