"""Permission-matrix rows for mutual aid (see tests/hub/permission_matrix.py).

The test world's own organisation (Derby) asks for help; the other (Nottingham)
lends. `scene` and `reverse_scene` build the objects the rows point at, once per
world, through the services.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from openwarp.hub.members.policy import Role
from openwarp.hub.mutualaid.services import requests, roster
from tests.hub.mutualaid.factories import person, reverse_scene, scene
from tests.hub.permission_matrix import HUB, REGION_READERS, Row, allowed

LEAD = allowed(Role.SECURITY_LEAD)
LEAD_OR_HUB = allowed(Role.SECURITY_LEAD, Role.COORDINATOR, Role.ADMIN)
BASE = "/api/v1/mutual-aid"


def _request(w: Any) -> Any:
    return scene(w)["request"]


def _start() -> str:
    return (timezone.localtime() + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")


def _request_form(w: Any) -> dict[str, Any]:
    scene(w)
    return {
        "title": "Help rebuilding AD",
        "mode": "on_site",
        "starts_at": _start(),
        "days": "2",
        "priority": "4",
        "need_1_skill": "incident_lead",
        "need_1_level": "2",
        "need_1_people": "1",
    }


def _request_json(w: Any) -> dict[str, Any]:
    scene(w)
    return {
        "title": "Help rebuilding AD",
        "starts_at": (timezone.now() + timedelta(hours=3)).isoformat(),
        "days": 2,
        "priority": 4,
        "needs": [{"skill": "incident_lead", "min_level": 2}],
    }


def _fresh_candidate(w: Any) -> dict[str, Any]:
    """Someone eligible for the scene's request who has not been offered yet."""
    aid = _request(w)
    newcomer = person(w.other, "Second responder", {"incident_lead": 3})
    return {"need": aid.needs.first().pk, "person": newcomer.pk}


def _fresh_package(w: Any) -> dict[str, Any]:
    """A one-person Nottingham package that can fill the scene's request's need."""
    aid = _request(w)
    member = person(w.other, "Package responder", {"incident_lead": 3})
    package = roster.package_create(
        actor=None,
        organisation=w.other,
        name="Rapid team",
        day_rate=Decimal("800"),
        people=[member],
    )
    return {"need": aid.needs.first().pk, "package": package.pk}


def _derby_person(w: Any) -> Any:
    scene(w)
    return person(w.own, "Derby analyst", {"forensic_analyst": 2})


def _unoffered(w: Any) -> Any:
    reverse_scene(w)
    return requests.request_create(
        actor=w.other_lead,
        organisation=w.other,
        draft=requests.RequestDraft(
            title="Second incident",
            starts_at=timezone.now() + timedelta(hours=5),
            days=1,
            priority=2,
            needs=[requests.NeedDraft(skill="windows_ad_recovery", min_level=1)],
        ),
    )


def _with_scene(w: Any) -> list[Any]:
    """No URL arguments, but the scene's open requests and roster exist to be planned."""
    scene(w)
    return []


def _plan_path(w: Any) -> str:
    scene(w)
    return f"{BASE}/plan"


def _pair(w: Any) -> Any:
    return roster.conflict_add(actor=None, org_a=w.own, org_b=w.other, reason="Same supplier")


PERSON_FORM = {
    "title": "Network engineer",
    "vetting": "sc",
    "max_days": "5",
    "skill_network": "3",
    "languages": "English",
}
ACCEPT_FORM = {
    "decision": "accept",
    "terms": "As the memorandum says.",
    "cost_basis": "day_rate",
    "day_rate": "400",
    "confidentiality": "on",
}
ACCEPT_JSON = {
    "terms": "As the memorandum says.",
    "cost_basis": "day_rate",
    "day_rate": "400",
    "confidentiality_agreed": True,
}


def _today(w: Any) -> str:
    scene(w)
    return timezone.localdate().isoformat()


PAGES: list[Row] = [
    Row("mutualaid:roster_index", REGION_READERS),
    Row("mutualaid:roster", REGION_READERS, args=lambda w: [w.own.slug]),
    Row(
        "mutualaid:roster",
        HUB,
        args=lambda w: [w.other.slug],
        note="another member's roster people are never shown",
    ),
    Row("mutualaid:person_new", LEAD_OR_HUB, args=lambda w: [w.own.slug]),
    Row(
        "mutualaid:person_new",
        LEAD_OR_HUB,
        method="POST",
        args=lambda w: [w.own.slug],
        data=lambda w: dict(PERSON_FORM, latitude="52.9", longitude="-1.47"),
    ),
    Row("mutualaid:person_new", HUB, args=lambda w: [w.other.slug]),
    Row("mutualaid:person_edit", HUB, args=lambda w: [w.other.slug, scene(w)["responder"].pk]),
    Row("mutualaid:package_new", LEAD_OR_HUB, args=lambda w: [w.own.slug]),
    Row(
        "mutualaid:capacity_new",
        LEAD_OR_HUB,
        method="POST",
        args=lambda w: [w.own.slug],
        data=lambda w: {"description": "Spare laptops", "quantity": "4"},
    ),
    Row("mutualaid:requests", REGION_READERS),
    Row("mutualaid:request_new", LEAD),
    Row("mutualaid:request_new", LEAD, method="POST", data=_request_form),
    Row("mutualaid:request", REGION_READERS, args=lambda w: [_request(w).pk]),
    Row(
        "mutualaid:request",
        REGION_READERS,
        args=lambda w: [reverse_scene(w)["request"].pk],
        note="Nottingham's request, on which Derby has been sent an offer",
    ),
    Row(
        "mutualaid:request",
        HUB,
        args=lambda w: [_unoffered(w).pk],
        note="Nottingham's request, with no offer to Derby",
    ),
    Row("mutualaid:request_edit", LEAD_OR_HUB, args=lambda w: [_request(w).pk]),
    Row(
        "mutualaid:request_edit",
        LEAD_OR_HUB,
        method="POST",
        args=lambda w: [_request(w).pk],
        data=_request_form,
    ),
    Row(
        "mutualaid:offer_send",
        HUB,
        method="POST",
        args=lambda w: [_request(w).pk],
        data=_fresh_candidate,
    ),
    Row(
        "mutualaid:package_offer_send",
        HUB,
        method="POST",
        args=lambda w: [_request(w).pk],
        data=_fresh_package,
    ),
    Row(
        "mutualaid:request_conflicts",
        HUB,
        method="POST",
        args=lambda w: [_request(w).pk],
        data=lambda w: {"avoid": "on"},
    ),
    Row("mutualaid:request_close", LEAD_OR_HUB, args=lambda w: [_request(w).pk]),
    Row(
        "mutualaid:request_close",
        LEAD_OR_HUB,
        method="POST",
        args=lambda w: [_request(w).pk],
        data=lambda w: {"helped": "Quick help"},
    ),
    Row(
        "mutualaid:offer_withdraw",
        HUB,
        method="POST",
        args=lambda w: [_request(w).pk, scene(w)["offer"].pk],
        data=lambda w: {"reason": "Found help locally"},
    ),
    Row(
        "mutualaid:request_reimbursement",
        LEAD_OR_HUB,
        args=lambda w: [scene(w)["deployed_request"].pk],
        note="the requester's lead and the hub; a lender's lead gets its own lines only",
    ),
    Row("mutualaid:joint_plan", HUB, args=_with_scene, note="plans the scene's open request"),
    Row("mutualaid:offers", REGION_READERS),
    Row(
        "mutualaid:offer",
        HUB,
        args=lambda w: [scene(w)["offer"].pk],
        note="an offer of Nottingham's person: Nottingham and the hub only",
    ),
    Row(
        "mutualaid:offer",
        allowed(),
        method="POST",
        args=lambda w: [scene(w)["offer"].pk],
        data=lambda w: dict(ACCEPT_FORM),
        note="only the lender consents, not the hub",
    ),
    Row(
        "mutualaid:offer",
        LEAD,
        method="POST",
        args=lambda w: [reverse_scene(w)["offer"].pk],
        data=lambda w: dict(ACCEPT_FORM),
        note="Derby's security lead lends Derby's person",
    ),
    Row("mutualaid:deployment", REGION_READERS, args=lambda w: [scene(w)["deployment"].pk]),
    Row(
        "mutualaid:deployment",
        HUB,
        method="POST",
        args=lambda w: [scene(w)["deployment"].pk],
        data=lambda w: {"day": _today(w), "hours": "7.5", "expenses": "0"},
        note="the lender (Nottingham) logs time; the requester only reads",
    ),
    Row("mutualaid:conflicts", HUB),
    Row("mutualaid:conflict_remove", HUB, method="POST", args=lambda w: [_pair(w).pk]),
    Row(
        "mutualaid:conflicts",
        HUB,
        method="POST",
        data=lambda w: {"org_a": w.own.pk, "org_b": w.other.pk, "reason": "Same IT supplier"},
    ),
]

API: list[Row] = [
    Row(
        f"GET {BASE}/roster/{{slug}}",
        REGION_READERS,
        api_path=lambda w: f"{BASE}/roster/{w.own.slug}",
    ),
    Row(
        f"GET {BASE}/roster/{{slug}}",
        HUB,
        api_path=lambda w: f"{BASE}/roster/{w.other.slug}",
        note="another member's roster",
    ),
    Row(
        f"POST {BASE}/roster/{{slug}}/people",
        LEAD_OR_HUB,
        api_path=lambda w: f"{BASE}/roster/{w.own.slug}/people",
        data=lambda w: {
            "title": "Cloud engineer",
            "skills": {"cloud": 3},
            "latitude": 52.9,
            "longitude": -1.47,
        },
    ),
    Row(
        f"POST {BASE}/roster/{{slug}}/packages",
        LEAD_OR_HUB,
        api_path=lambda w: f"{BASE}/roster/{w.own.slug}/packages",
        data=lambda w: {
            "name": "Forensics pair",
            "day_rate": "900",
            "people": [_derby_person(w).pk],
        },
    ),
    Row(
        f"POST {BASE}/roster/{{slug}}/capacity",
        LEAD_OR_HUB,
        api_path=lambda w: f"{BASE}/roster/{w.own.slug}/capacity",
        data=lambda w: {"description": "Spare laptops", "quantity": 4},
    ),
    Row(f"GET {BASE}/requests", REGION_READERS),
    Row(f"POST {BASE}/requests", LEAD, data=_request_json),
    Row(
        f"GET {BASE}/requests/{{request_id}}",
        REGION_READERS,
        api_path=lambda w: f"{BASE}/requests/{_request(w).pk}",
    ),
    Row(
        f"POST {BASE}/requests/{{request_id}}/edit",
        LEAD_OR_HUB,
        api_path=lambda w: f"{BASE}/requests/{_request(w).pk}/edit",
        data=_request_json,
    ),
    Row(
        f"GET {BASE}/requests/{{request_id}}/candidates",
        HUB,
        api_path=lambda w: f"{BASE}/requests/{_request(w).pk}/candidates",
    ),
    Row(
        f"POST {BASE}/requests/{{request_id}}/offers",
        HUB,
        api_path=lambda w: f"{BASE}/requests/{_request(w).pk}/offers",
        data=_fresh_candidate,
    ),
    Row(
        f"POST {BASE}/requests/{{request_id}}/close",
        LEAD_OR_HUB,
        api_path=lambda w: f"{BASE}/requests/{_request(w).pk}/close",
        data=lambda w: {"helped": "Quick help"},
    ),
    Row(f"GET {BASE}/plan", HUB, api_path=_plan_path),
    Row(f"GET {BASE}/offers", REGION_READERS),
    Row(
        f"POST {BASE}/offers/{{offer_id}}/accept",
        LEAD,
        api_path=lambda w: f"{BASE}/offers/{reverse_scene(w)['offer'].pk}/accept",
        data=lambda w: dict(ACCEPT_JSON),
    ),
    Row(
        f"POST {BASE}/offers/{{offer_id}}/accept",
        allowed(),
        api_path=lambda w: f"{BASE}/offers/{scene(w)['offer'].pk}/accept",
        data=lambda w: dict(ACCEPT_JSON),
        note="Nottingham's person: not Derby's, not the hub's",
    ),
    Row(
        f"POST {BASE}/offers/{{offer_id}}/decline",
        LEAD,
        api_path=lambda w: f"{BASE}/offers/{reverse_scene(w)['offer'].pk}/decline",
        data=lambda w: {"reason": "On leave"},
    ),
    Row(
        f"POST {BASE}/offers/{{offer_id}}/withdraw",
        HUB,
        api_path=lambda w: f"{BASE}/offers/{scene(w)['offer'].pk}/withdraw",
        data=lambda w: {"reason": "Found help locally"},
    ),
    Row(
        f"GET {BASE}/requests/{{request_id}}/reimbursement.csv",
        LEAD_OR_HUB,
        api_path=lambda w: f"{BASE}/requests/{scene(w)['deployed_request'].pk}/reimbursement.csv",
    ),
    Row(
        f"GET {BASE}/deployments/{{deployment_id}}",
        REGION_READERS,
        api_path=lambda w: f"{BASE}/deployments/{scene(w)['deployment'].pk}",
    ),
    Row(
        f"POST {BASE}/deployments/{{deployment_id}}/entries",
        HUB,
        api_path=lambda w: f"{BASE}/deployments/{scene(w)['deployment'].pk}/entries",
        data=lambda w: {"day": _today(w), "hours": "7.5"},
    ),
    Row(f"GET {BASE}/conflicts", HUB),
    Row(
        f"POST {BASE}/conflicts/{{conflict_id}}/remove",
        HUB,
        api_path=lambda w: f"{BASE}/conflicts/{_pair(w).pk}/remove",
    ),
    Row(
        f"POST {BASE}/conflicts",
        HUB,
        data=lambda w: {"org_a": w.own.slug, "org_b": w.other.slug, "reason": "Same supplier"},
    ),
]
