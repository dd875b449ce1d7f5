"""Permission-matrix rows for incidents (see tests/hub/permission_matrix.py)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from openwarp.hub.members.policy import Role
from tests.hub.incidents.factories import other_incident, own_incident, waiting_post
from tests.hub.permission_matrix import HUB, SIGNED_IN, Row, allowed

OWN_WRITERS = allowed(Role.MEMBER, Role.SECURITY_LEAD)
OWN_READERS = allowed(Role.MEMBER, Role.SECURITY_LEAD, Role.EXECUTIVE, Role.COORDINATOR, Role.ADMIN)
NOBODY = allowed()


def _when(hours: float) -> str:
    return (timezone.localtime() - timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")


def _new_incident() -> dict[str, str]:
    return {
        "title": "Suspicious logins",
        "started_at": _when(5),
        "detected_at": _when(4),
        "ncsc_category": "C5",
    }


def _breach() -> dict[str, str]:
    return {"aware_at": _when(1), "subjects_told": "not_yet"}


def _own(w):  # type: ignore[no-untyped-def]
    return [own_incident(w).public_id]


def _other(w):  # type: ignore[no-untyped-def]
    return [other_incident(w).public_id]


def _changes(incident, expect, note: str) -> list[Row]:  # type: ignore[no-untyped-def]
    """Every change on the incident page, against one incident."""
    return [
        Row(
            "incidents:status",
            expect,
            method="POST",
            args=incident,
            data=lambda w: {"status": "contained"},
            note=note,
        ),
        Row(
            "incidents:timeline_add",
            expect,
            method="POST",
            args=incident,
            data=lambda w: {"timeline-at": _when(1), "timeline-text": "Isolated"},
            note=note,
        ),
        Row(
            "incidents:task_add",
            expect,
            method="POST",
            args=incident,
            data=lambda w: {"task-title": "Call insurer"},
            note=note,
        ),
        Row(
            "incidents:log_add",
            expect,
            method="POST",
            args=incident,
            data=lambda w: {"log-text": "Private"},
            note=note,
        ),
        Row(
            "incidents:report_link",
            expect,
            method="POST",
            args=incident,
            data=lambda w: {"link-report": str(w.green_report.public_id)},
            note=note,
        ),
        Row(
            "incidents:indicators_add",
            expect,
            method="POST",
            args=incident,
            data=lambda w: {
                "ioc-indicators": "198.51.100.23",
                "ioc-tlp": "amber",
                "ioc-distribution": "organisation",
            },
            note=note,
        ),
        Row(
            "incidents:edit",
            expect,
            method="POST",
            args=incident,
            data=lambda w: _new_incident() | {"title": "Renamed"},
            note=note,
        ),
        Row(
            "incidents:breach",
            expect,
            method="POST",
            args=incident,
            data=lambda w: _breach(),
            note=note,
        ),
    ]


def _task(w):  # type: ignore[no-untyped-def]
    incident = own_incident(w)
    return [incident.public_id, incident.tasks.first().pk]


PAGES: list[Row] = [
    Row("incidents:list", OWN_READERS),
    Row("incidents:new", OWN_WRITERS),
    Row("incidents:new", OWN_WRITERS, method="POST", data=lambda w: _new_incident()),
    Row("incidents:figures", SIGNED_IN),
    Row("incidents:channel", SIGNED_IN),
    Row("incidents:post_new", OWN_WRITERS),
    Row(
        "incidents:post_new",
        OWN_WRITERS,
        method="POST",
        data=lambda w: {"threat": "LockBit", "message": "Our e-mail is down."},
    ),
    Row("incidents:review", HUB),
    Row(
        "incidents:review",
        HUB,
        method="POST",
        data=lambda w: {"post": str(waiting_post(w).public_id), "decision": "publish"},
    ),
    Row("incidents:detail", OWN_READERS, args=_own),
    Row("incidents:detail", HUB, args=_other, note="another member's incident"),
    Row("incidents:breach", OWN_WRITERS, args=_own),
    Row("incidents:edit", OWN_WRITERS, args=_own),
    Row("incidents:edit", NOBODY, args=_other, note="another member's incident"),
    Row("incidents:ico_report", OWN_READERS, args=_own),
    Row("incidents:task_toggle", OWN_WRITERS, method="POST", args=_task),
    *_changes(_own, OWN_WRITERS, "own incident"),
    *_changes(_other, NOBODY, "another member's incident"),
    Row("admin:incidents_incident_changelist", allowed(Role.ADMIN)),
    Row("admin:incidents_anonymouspost_changelist", allowed(Role.ADMIN)),
]


def _api_own(suffix: str = ""):  # type: ignore[no-untyped-def]
    return lambda w: f"/api/v1/incidents/{own_incident(w).public_id}{suffix}"


def _api_other(suffix: str = ""):  # type: ignore[no-untyped-def]
    return lambda w: f"/api/v1/incidents/{other_incident(w).public_id}{suffix}"


def _iso(hours: float) -> str:
    return (timezone.now() - timedelta(hours=hours)).isoformat()


API: list[Row] = [
    Row("GET /api/v1/incidents", OWN_READERS),
    Row(
        "POST /api/v1/incidents",
        OWN_WRITERS,
        data=lambda w: {
            "title": "Suspicious logins",
            "started_at": _iso(5),
            "detected_at": _iso(4),
            "ncsc_category": "C5",
        },
    ),
    Row("GET /api/v1/incidents/region", SIGNED_IN),
    Row("GET /api/v1/incidents/anonymous", SIGNED_IN),
    Row(
        "POST /api/v1/incidents/anonymous",
        OWN_WRITERS,
        data=lambda w: {"threat": "LockBit", "message": "Our e-mail is down."},
    ),
    Row(
        "POST /api/v1/incidents/anonymous/{post_id}/review",
        HUB,
        api_path=lambda w: f"/api/v1/incidents/anonymous/{waiting_post(w).public_id}/review",
        data=lambda w: {"decision": "publish"},
    ),
    Row("GET /api/v1/incidents/{incident_id}", OWN_READERS, api_path=_api_own()),
    Row(
        "GET /api/v1/incidents/{incident_id}",
        HUB,
        api_path=_api_other(),
        note="another member's incident",
    ),
    Row(
        "POST /api/v1/incidents/{incident_id}/timeline",
        OWN_WRITERS,
        api_path=_api_own("/timeline"),
        data=lambda w: {"at": _iso(1), "text": "Isolated"},
    ),
    Row(
        "POST /api/v1/incidents/{incident_id}/timeline",
        NOBODY,
        api_path=_api_other("/timeline"),
        data=lambda w: {"at": _iso(1), "text": "Isolated"},
        note="another member's incident",
    ),
    Row(
        "POST /api/v1/incidents/{incident_id}/indicators",
        OWN_WRITERS,
        api_path=_api_own("/indicators"),
        data=lambda w: {"text": "evil-c2.example", "tlp": "amber", "distribution": "organisation"},
    ),
    Row(
        "POST /api/v1/incidents/{incident_id}/indicators",
        NOBODY,
        api_path=_api_other("/indicators"),
        data=lambda w: {"text": "evil-c2.example"},
        note="another member's incident",
    ),
    Row(
        "POST /api/v1/incidents/{incident_id}/breach",
        OWN_WRITERS,
        api_path=_api_own("/breach"),
        data=lambda w: {"aware_at": _iso(1)},
    ),
    Row(
        "GET /api/v1/incidents/{incident_id}/ico-report",
        OWN_READERS,
        api_path=_api_own("/ico-report"),
    ),
    Row(
        "GET /api/v1/incidents/{incident_id}/ico-report",
        NOBODY,
        api_path=_api_other("/ico-report"),
        note="no breach: 404 even for the hub",
    ),
]
