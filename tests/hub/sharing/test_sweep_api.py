"""The two endpoints behind ``openwarp sweep --hub``: indicator export and sighting batches."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import Client

from openwarp.hub.audit.models import AuditEntry
from openwarp.hub.members.models import SharingGroup
from openwarp.hub.members.policy import Role
from openwarp.hub.members.services.tokens import token_create
from openwarp.hub.sharing.models import Indicator, Report, Sighting
from openwarp.hub.sharing.services.reports import ReportDraft, report_create, report_release
from tests.world import World


def _publish(world: World, text: str, *, tlp: str = "green", group: bool = False) -> Any:
    sharing_group = None
    if group:
        sharing_group = SharingGroup.objects.create(name=f"Nottingham only {text[:20]}")
        sharing_group.organisations.add(world.other)
    report, _ = report_create(
        actor=world.other_lead,
        draft=ReportDraft(
            title=f"Campaign {text[:30]}",
            threat_type="malware",
            tlp=tlp,
            distribution="sharing_group" if group else "region",
            sharing_group=sharing_group,
            indicators_text=text,
        ),
    )
    return report


def _export(client: Any, **params: Any) -> dict[str, Any]:
    response = client.get("/api/v1/indicators", params)
    assert response.status_code == 200, response.content
    return response.json()


def _all_values(client: Any) -> set[str]:
    return {item["value"] for item in _export(client)["items"]}


@pytest.fixture
def amber(world: World) -> Any:
    return _publish(world, "amber-secret.example", tlp="amber", group=True)


def _token_client(user: Any, scope: str) -> Client:
    secret = token_create(actor=None, user=user, name="sweep", scope=scope).secret
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_export_holds_only_what_the_holder_may_see(world: World, amber: Any) -> None:
    derby = _all_values(world.api(Role.MEMBER))
    nottingham = _all_values(_token_client(world.other_lead, "read"))
    assert "203.0.113.77" in derby and "amber-secret.example" not in derby
    assert {"203.0.113.77", "amber-secret.example"} <= nottingham
    # Held anonymous reports are not exported, not even to the coordinator.
    assert "negotiate@leak-site.example" not in _all_values(world.api(Role.COORDINATOR))


def test_export_items_name_report_tlp_and_warninglist(world: World, settings, shared_data) -> None:  # type: ignore[no-untyped-def]
    settings.WARNINGLISTS_FILE = str(shared_data / "warninglists" / "warninglists.jsonl.gz")
    report = _publish(world, "8.8.8.8\nevil-payments.example")
    items = {i["value"]: i for i in _export(world.api(Role.MEMBER))["items"]}
    assert items["8.8.8.8"]["warninglisted"] is True and items["8.8.8.8"]["warninglist"]
    assert items["evil-payments.example"] == {
        "id": report.indicators.get(value="evil-payments.example").pk,
        "type": "domain",
        "value": "evil-payments.example",
        "report": str(report.public_id),
        "tlp": "green",
        "warninglisted": False,
        "warninglist": "",
    }


def test_export_pages_and_cursor_bring_only_new_indicators(world: World) -> None:
    client = world.api(Role.MEMBER)
    first = _export(client, limit=1)
    seen = [item["value"] for item in first["items"]]
    after, until = first["next_after_id"], first["until"]
    while after is not None:
        page = _export(client, limit=1, after_id=after, until=until)
        seen += [item["value"] for item in page["items"]]
        after = page["next_after_id"]
    assert sorted(seen) == sorted(_all_values(client)) and len(seen) == 2
    assert _export(client, added_after=until)["items"] == []
    _publish(world, "new-campaign.example")
    assert [i["value"] for i in _export(client, added_after=until)["items"]] == [
        "new-campaign.example"
    ]


def _batch(client: Any, key: str, items: list[dict[str, Any]]) -> Any:
    return client.post(
        "/api/v1/sightings/batch", {"key": key, "items": items}, content_type="application/json"
    )


def _tally(world: World, value: str) -> Sighting | None:
    return Sighting.objects.filter(organisation=world.own, value=value).first()


def test_a_batch_is_counted_once_whatever_the_retries(world: World) -> None:
    ip = world.green_report.indicators.get(value="203.0.113.77")
    items = [
        {
            "indicator": ip.pk,
            "count": 4,
            "first_seen": "2026-11-20T08:00:00Z",
            "last_seen": "2026-11-21T09:30:00Z",
        }
    ]
    client = world.api(Role.MEMBER)
    first = _batch(client, "sweep-1-0", items)
    assert first.status_code == 200 and first.json()["duplicate"] is False
    again = _batch(client, "sweep-1-0", items)
    assert again.status_code == 200 and again.json() == {**first.json(), "duplicate": True}
    tally = _tally(world, "203.0.113.77")
    assert tally is not None and tally.count == 4
    assert tally.first_seen.isoformat() == "2026-11-20T08:00:00+00:00"
    changed = _batch(client, "sweep-1-0", [{**items[0], "count": 5}])
    assert changed.status_code == 409
    _batch(client, "sweep-2-0", [{**items[0], "count": 1, "last_seen": "2026-11-22T10:00:00Z"}])
    tally.refresh_from_db()
    assert tally.count == 5 and tally.last_seen.isoformat() == "2026-11-22T10:00:00+00:00"
    entry = AuditEntry.objects.filter(action="sighting.batch").first()
    assert entry is not None and entry.details["key"] == "sweep-1-0"
    assert entry.details["lines"] == 0


def test_a_batch_naming_an_invisible_indicator_records_nothing(world: World, amber: Any) -> None:
    secret = amber.indicators.get()
    visible = world.green_report.indicators.get(value="203.0.113.77")
    response = _batch(
        world.api(Role.MEMBER),
        "probe-0",
        [{"indicator": visible.pk, "count": 1}, {"indicator": secret.pk, "count": 1}],
    )
    assert response.status_code == 404
    assert response.json()["field"] == "items[1].indicator"
    assert not Sighting.objects.filter(organisation=world.own).exists()
    assert Indicator.objects.filter(pk=secret.pk).exists()


@pytest.mark.parametrize(
    ("item", "field"),
    [
        ({"count": 0}, "items[0].count"),
        ({"first_seen": "2099-01-01T00:00:00Z"}, "items[0].last_seen"),
        (
            {"first_seen": "2026-11-22T00:00:00Z", "last_seen": "2026-11-21T00:00:00Z"},
            "items[0].first_seen",
        ),
    ],
)
def test_bad_items_are_refused_by_name(world: World, item: dict[str, Any], field: str) -> None:
    indicator = world.green_report.indicators.first()
    response = _batch(
        world.api(Role.MEMBER), "bad-0", [{"indicator": indicator.pk, "count": 1, **item}]
    )
    assert response.status_code == 422 and response.json()["field"] == field
    assert not Sighting.objects.exists()


def test_read_only_tokens_cannot_report(world: World) -> None:
    indicator = world.green_report.indicators.first()
    response = _batch(
        _token_client(world.users[Role.MEMBER], "read"),
        "ro-0",
        [{"indicator": indicator.pk, "count": 1}],
    )
    assert response.status_code == 403 and not Sighting.objects.exists()


def test_narrow_windows_cannot_time_an_anonymous_release(world: World) -> None:
    coordinator = world.users[Role.COORDINATOR]
    report_release(actor=coordinator, report=world.held_report, release=True)
    released = datetime(2026, 11, 20, 10, 17, 42, tzinfo=UTC)
    Report.objects.filter(pk=world.held_report.pk).update(published_at=released)
    client = world.api(Role.MEMBER)

    def holds_it(after: str, until: str) -> bool:
        items = _export(client, added_after=after, until=until)["items"]
        return "negotiate@leak-site.example" in {item["value"] for item in items}

    # Every window that touches 20 November holds it, however narrow; others do not.
    assert holds_it("2026-11-20T10:17:00Z", "2026-11-20T10:18:00Z")
    assert holds_it("2026-11-20T06:00:00Z", "2026-11-20T07:00:00Z")
    assert holds_it("2026-11-20T21:00:00Z", "2026-11-20T22:00:00Z")
    assert not holds_it("2026-11-19T00:00:00Z", "2026-11-19T23:59:59Z")
    assert not holds_it("2026-11-21T00:00:00Z", "2026-11-21T12:00:00Z")
