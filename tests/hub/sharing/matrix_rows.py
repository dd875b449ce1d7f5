"""Permission-matrix rows for sharing (see tests/hub/permission_matrix.py)."""

from __future__ import annotations

from openwarp.hub.members.policy import Role
from tests.hub.permission_matrix import (
    HUB,
    REGION_READERS,
    SIGNED_IN,
    WRITERS,
    Row,
    allowed,
)

NEW_REPORT = {
    "title": "Fake MFA prompts",
    "threat_type": "phishing",
    "tlp": "green",
    "distribution": "region",
    "confidence": "probable",
    "indicators": "evil.example",
}


ADD_VALUES = {"indicators": "added-later.example"}


def _derby_report(world: object) -> object:
    """A report Derby's member wrote: its author and Derby's lead may add values."""
    from openwarp.hub.sharing.services.reports import ReportDraft, report_create

    fields = {key: value for key, value in NEW_REPORT.items() if key != "indicators"}
    draft = ReportDraft(**fields, indicators_text=NEW_REPORT["indicators"])
    return report_create(actor=world.users[Role.MEMBER], draft=draft)[0].public_id  # type: ignore[attr-defined]


AUTHOR_AND_LEAD = allowed(Role.MEMBER, Role.SECURITY_LEAD)

PAGES: list[Row] = [
    Row("sharing:feed", SIGNED_IN),
    Row("sharing:alerts", REGION_READERS),
    Row("sharing:report_new", WRITERS),
    Row("sharing:report_new", WRITERS, method="POST", data=lambda w: dict(NEW_REPORT)),
    Row("sharing:release_queue", HUB),
    Row(
        "sharing:report",
        REGION_READERS,
        args=lambda w: [w.green_report.public_id],
        note="GREEN for the region: not for the national analyst (not federated)",
    ),
    Row(
        "sharing:report",
        HUB,
        args=lambda w: [w.held_report.public_id],
        note="anonymous and not yet released",
    ),
    Row(
        "sharing:sighting_new",
        WRITERS,
        method="POST",
        args=lambda w: [w.green_report.public_id, w.green_report.indicators.first().public_id],
        data=lambda w: {"sighting": "seen", "count": "1"},
    ),
    Row("sharing:indicator", SIGNED_IN, args=lambda w: ["ipv4", "203.0.113.77"]),
    Row("sharing:indicators_new", AUTHOR_AND_LEAD, args=lambda w: [_derby_report(w)]),
    Row(
        "sharing:indicators_new",
        AUTHOR_AND_LEAD,
        method="POST",
        args=lambda w: [_derby_report(w)],
        data=lambda w: dict(ADD_VALUES),
    ),
    Row(
        "sharing:indicators_new",
        allowed(),
        method="POST",
        args=lambda w: [w.green_report.public_id],
        data=lambda w: dict(ADD_VALUES),
        note="another member's report: nobody here adds to it, not even the hub",
    ),
]

API: list[Row] = [
    Row("GET /api/v1/reports", SIGNED_IN),
    Row("GET /api/v1/alerts", REGION_READERS),
    Row(
        "POST /api/v1/reports",
        WRITERS,
        data=lambda w: {**NEW_REPORT, "indicators": "evil.example\n198.51.100.9"},
    ),
    Row(
        "GET /api/v1/reports/{report_id}",
        REGION_READERS,
        api_path=lambda w: f"/api/v1/reports/{w.green_report.public_id}",
    ),
    Row(
        "GET /api/v1/reports/{report_id}",
        HUB,
        api_path=lambda w: f"/api/v1/reports/{w.held_report.public_id}",
        note="anonymous and not yet released",
    ),
    Row(
        "POST /api/v1/reports/{report_id}/release",
        HUB,
        api_path=lambda w: f"/api/v1/reports/{w.held_report.public_id}/release",
        data=lambda w: {"release": True},
    ),
    Row(
        "GET /api/v1/reports/{report_id}/stix",
        REGION_READERS,
        api_path=lambda w: f"/api/v1/reports/{w.green_report.public_id}/stix",
    ),
    Row(
        "GET /api/v1/reports/{report_id}/misp",
        REGION_READERS,
        api_path=lambda w: f"/api/v1/reports/{w.green_report.public_id}/misp",
    ),
    Row("GET /api/v1/reports.csv", SIGNED_IN),
    Row(
        "GET /api/v1/correlation",
        SIGNED_IN,
        api_path=lambda w: "/api/v1/correlation?kind=ipv4&value=203.0.113.77",
    ),
    Row(
        "POST /api/v1/sightings",
        WRITERS,
        data=lambda w: {
            "report": str(w.green_report.public_id),
            "indicator": str(w.green_report.indicators.first().public_id),
        },
    ),
    Row(
        "POST /api/v1/reports/{report_id}/indicators",
        AUTHOR_AND_LEAD,
        api_path=lambda w: f"/api/v1/reports/{_derby_report(w)}/indicators",
        data=lambda w: dict(ADD_VALUES),
    ),
    Row(
        "POST /api/v1/reports/{report_id}/indicators",
        allowed(),
        api_path=lambda w: f"/api/v1/reports/{w.green_report.public_id}/indicators",
        data=lambda w: dict(ADD_VALUES),
        note="another member's report",
    ),
    Row("GET /api/v1/audit/verify", HUB),
    Row("GET /api/v1/indicators", SIGNED_IN, note="each holder gets what it may see"),
    Row(
        "POST /api/v1/sightings/batch",
        WRITERS,
        data=lambda w: {
            "key": "matrix-0",
            "items": [{"indicator": str(w.green_report.indicators.first().public_id), "count": 1}],
        },
        note="write-scope tokens of organisation members only",
    ),
    Row("GET /api/v1/misp-feed/manifest.json", SIGNED_IN, note="each holder gets what it may see"),
    Row("GET /api/v1/misp-feed/hashes.csv", SIGNED_IN),
    Row(
        "GET /api/v1/misp-feed/{event_id}.json",
        REGION_READERS,
        api_path=lambda w: f"/api/v1/misp-feed/{w.green_report.public_id}.json",
    ),
    Row(
        "GET /api/v1/misp-feed/{event_id}.json",
        allowed(),
        api_path=lambda w: f"/api/v1/misp-feed/{w.held_report.public_id}.json",
        note="anonymous and not yet released: in no feed, not even the hub's",
    ),
]
