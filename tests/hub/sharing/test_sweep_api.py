"""The two endpoints behind ``openwarp sweep --hub``: indicator export and sighting batches."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Any
from uuid import UUID

import pytest
from django.test import Client

from openwarp.core.errors import InvalidInput
from openwarp.hub.audit.models import AuditEntry
from openwarp.hub.members.models import SharingGroup
from openwarp.hub.members.policy import Role
from openwarp.hub.members.services.tokens import token_create
from openwarp.hub.sharing import export_selectors
from openwarp.hub.sharing.models import Indicator, Report, Sighting
from openwarp.hub.sharing.services.reports import (
    ReportDraft,
    report_create,
    report_indicators_add,
    report_release,
)
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


@pytest.fixture(autouse=True, params=["changed reports named", "plain window"])
def export_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every window is read both ways: through the reports changed since the
    cursor (the fast path) and by the plain query it falls back to."""
    if request.param == "plain window":
        monkeypatch.setattr(export_selectors, "CHANGED_REPORTS_NAMED", -1)


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
        "id": str(report.indicators.get(value="evil-payments.example").public_id),
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
    after, until = first["next_after"], first["until"]
    while after is not None:
        page = _export(client, limit=1, after=after, until=until)
        seen += [item["value"] for item in page["items"]]
        after = page["next_after"]
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
            "indicator": str(ip.public_id),
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
        [
            {"indicator": str(visible.public_id), "count": 1},
            {"indicator": str(secret.public_id), "count": 1},
        ],
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
        world.api(Role.MEMBER),
        "bad-0",
        [{"indicator": str(indicator.public_id), "count": 1, **item}],
    )
    assert response.status_code == 422 and response.json()["field"] == field
    assert not Sighting.objects.exists()


def test_read_only_tokens_cannot_report(world: World) -> None:
    indicator = world.green_report.indicators.first()
    response = _batch(
        _token_client(world.users[Role.MEMBER], "read"),
        "ro-0",
        [{"indicator": str(indicator.public_id), "count": 1}],
    )
    assert response.status_code == 403 and not Sighting.objects.exists()


def test_exported_ids_are_random_not_database_order(world: World) -> None:
    later = _publish(world, "later-campaign.example")
    items = {i["value"]: i for i in _export(world.api(Role.MEMBER))["items"]}
    for indicator in [*world.green_report.indicators.all(), *later.indicators.all()]:
        exported = UUID(items[indicator.value]["id"])
        assert exported == indicator.public_id and exported.version == 4
        assert items[indicator.value]["id"] != str(indicator.pk)


def _released_at(world: World, moment: datetime) -> None:
    report_release(actor=world.users[Role.COORDINATOR], report=world.held_report, release=True)
    Report.objects.filter(pk=world.held_report.pk).update(published_at=moment)
    # Its values were written with it, before the release.
    world.held_report.indicators.update(added_at=moment - timedelta(hours=5))


def _holds_anonymous(client: Any, after: str, until: str) -> bool:
    items = _export(client, added_after=after, until=until)["items"]
    return "negotiate@leak-site.example" in {item["value"] for item in items}


def test_an_anonymous_report_joins_the_export_at_the_next_full_hour(world: World) -> None:
    _released_at(world, datetime(2026, 11, 20, 10, 17, 42, tzinfo=UTC))
    client = world.api(Role.MEMBER)
    # Polling just after the release shows nothing: that would time it.
    assert not _holds_anonymous(client, "2026-11-20T10:17:00Z", "2026-11-20T10:18:00Z")
    assert not _holds_anonymous(client, "2026-11-20T10:00:00Z", "2026-11-20T10:59:59Z")
    assert _holds_anonymous(client, "2026-11-20T10:59:00Z", "2026-11-20T11:00:00Z")
    assert not _holds_anonymous(client, "2026-11-20T11:00:00Z", "2026-11-20T12:00:00Z")


WINDOWS = [
    (f"2026-11-20T{start}Z", f"2026-11-20T{end}Z")
    for start, end in [
        ("09:30:00", "10:00:00"),
        ("09:59:59", "10:00:01"),
        ("10:00:00", "10:17:42"),
        ("10:17:41", "10:17:43"),
        ("10:30:00", "10:59:59"),
        ("10:30:00", "11:00:00"),
        ("10:59:59", "11:00:01"),
        ("11:00:00", "11:30:00"),
    ]
]


@pytest.mark.parametrize(
    "second",
    [datetime(2026, 11, 20, 10, 0, 1, tzinfo=UTC), datetime(2026, 11, 20, 10, 59, 58, tzinfo=UTC)],
)
def test_no_window_tells_two_releases_in_one_hour_apart(world: World, second: datetime) -> None:
    client = world.api(Role.MEMBER)
    _released_at(world, datetime(2026, 11, 20, 10, 17, 42, tzinfo=UTC))
    first_answers = [_holds_anonymous(client, a, u) for a, u in WINDOWS]
    Report.objects.filter(pk=world.held_report.pk).update(published_at=second)
    assert [_holds_anonymous(client, a, u) for a, u in WINDOWS] == first_answers


def test_back_to_back_windows_export_an_anonymous_report_exactly_once(world: World) -> None:
    _released_at(world, datetime(2026, 11, 20, 10, 17, 42, tzinfo=UTC))
    client = world.api(Role.MEMBER)
    edges = [
        "2026-11-20T09:00:00Z",
        "2026-11-20T10:17:00Z",
        "2026-11-20T10:45:00Z",
        "2026-11-20T11:00:00Z",
        "2026-11-20T11:00:30Z",
        "2026-11-20T13:00:00Z",
    ]
    held = [_holds_anonymous(client, a, u) for a, u in pairwise(edges)]
    assert held.count(True) == 1


def _add(world: World, report: Any, text: str) -> None:
    added, _ = report_indicators_add(actor=world.other_lead, report=report, text=text)
    assert added == 1


def test_values_added_to_a_published_report_come_in_the_next_window(world: World) -> None:
    client = world.api(Role.MEMBER)
    until = _export(client)["until"]
    _add(world, world.green_report, "late-stage.example")
    news = _export(client, added_after=until)
    # Only the new value: what the sweep's cache already holds is not sent again.
    assert [item["value"] for item in news["items"]] == ["late-stage.example"]
    assert news["items"][0]["report"] == str(world.green_report.public_id)
    assert _export(client, added_after=news["until"])["items"] == []


def test_values_added_before_release_join_with_it_and_after_release_are_refused(
    world: World,
) -> None:
    _add(world, world.held_report, "second-leak-site.example")  # still awaiting review
    _released_at(world, datetime(2026, 11, 20, 10, 17, tzinfo=UTC))
    client = world.api(Role.MEMBER)

    def values(after: str, until: str) -> set[str]:
        items = _export(client, added_after=after, until=until)["items"]
        return {item["value"] for item in items}

    assert "second-leak-site.example" in values("2026-11-20T10:59:00Z", "2026-11-20T11:00:00Z")
    # Once released, more values would skip the coordinator's review.
    with pytest.raises(InvalidInput, match="new anonymous report") as refused:
        report_indicators_add(
            actor=world.other_lead, report=world.held_report, text="third-site.example"
        )
    assert refused.value.field == "indicators"
    assert not world.held_report.indicators.filter(value="third-site.example").exists()
    assert values("2026-11-20T11:00:00Z", "2026-11-21T00:00:00Z") == set()
