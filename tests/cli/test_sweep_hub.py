"""``openwarp sweep --hub --report`` against a running hub, as a member runs it.

The hub is pytest-django's live server; the sweep is the real command in a
subprocess talking HTTP to it with a member's API token.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from typer import Typer
from typer.testing import CliRunner

from openwarp.cli import hub_client, sweep_hub
from openwarp.cli.hub_client import Hub, HubError, IndicatorCache, fetch_indicators
from openwarp.cli.sweep import sweep_command
from openwarp.hub.members.models import SharingGroup
from openwarp.hub.members.policy import Role
from openwarp.hub.sharing.models import Sighting, SightingBatch
from openwarp.hub.sharing.services.reports import ReportDraft, report_create
from tests.world import World

# Squid access log lines at 2026-11-20 08:00:00Z + n minutes.
START = 1795161600


def squid(minute: int, url: str, peer: str = "192.0.2.10") -> str:
    stamp = START + 60 * minute
    return (
        f"{stamp}.000    120 10.20.1.17 TCP_MISS/200 5120 GET {url} - "
        f"HIER_DIRECT/{peer} text/html\n"
    )


def publish(world: World, text: str, *, tlp: str = "green", group: Any = None) -> Any:
    report, _ = report_create(
        actor=world.other_lead,
        draft=ReportDraft(
            title=f"Campaign {text.split()[0]}",
            threat_type="malware",
            tlp=tlp,
            distribution="sharing_group" if group else "region",
            sharing_group=group,
            indicators_text=text,
        ),
    )
    return report


@pytest.fixture
def region(world: World, settings, shared_data) -> World:  # type: ignore[no-untyped-def]
    settings.WARNINGLISTS_FILE = str(shared_data / "warninglists" / "warninglists.jsonl.gz")
    publish(world, "evil-payments.example\n8.8.8.8")
    group = SharingGroup.objects.create(name="Nottinghamshire only")
    group.organisations.add(world.other)
    publish(world, "amber-secret.example", tlp="amber", group=group)
    return world


@pytest.fixture
def logs(tmp_path: Path) -> Path:
    folder = tmp_path / "logs"
    folder.mkdir()
    (folder / "access.log").write_text(
        squid(0, "http://www.evil-payments.example/pay")
        + squid(5, "http://intranet.derby.example/")
        + squid(7, "http://evil-payments.example/pay", peer="203.0.113.77")
        + squid(9, "http://dns.google/resolve", peer="8.8.8.8")
        + squid(12, "http://amber-secret.example/x")
        + squid(30, "http://cdn.evil-payments.example/a.js")
    )
    return folder


def sweep(hub: str, token: str, cache: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "openwarp.cli", "sweep", "--hub", hub, "--token", token]
    return subprocess.run(
        [*command, "--cache", str(cache), "--no-progress", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def tallies(world: World) -> dict[str, tuple[int, str, str]]:
    return {
        s.value: (s.count, s.first_seen.isoformat(), s.last_seen.isoformat())
        for s in Sighting.objects.filter(organisation=world.own)
    }


def test_fetch_sweep_report_and_rerun(region: World, live_server, logs: Path, tmp_path) -> None:  # type: ignore[no-untyped-def]
    token, cache = region.tokens[Role.MEMBER], tmp_path / "cache"
    first = sweep(live_server.url, token, cache, "--report", str(logs))
    assert first.returncode == 1, first.stderr
    hits = [json.loads(line) for line in first.stdout.splitlines()]
    assert sorted((h["indicator"], h["line"]) for h in hits) == [
        ("203.0.113.77", 3),
        ("evil-payments.example", 1),
        ("evil-payments.example", 3),
        ("evil-payments.example", 6),
    ]
    assert {h["tlp"] for h in hits} == {"green"}
    assert "1 warninglisted skipped" in first.stderr
    assert "1 recorded, 0 already on the hub" in first.stderr
    expected = {
        "evil-payments.example": (3, "2026-11-20T08:00:00+00:00", "2026-11-20T08:30:00+00:00"),
        "203.0.113.77": (1, "2026-11-20T08:07:00+00:00", "2026-11-20T08:07:00+00:00"),
    }
    assert tallies(region) == expected
    assert SightingBatch.objects.get().samples == {}  # no log line left the member

    again = sweep(live_server.url, token, cache, "--report", str(logs))
    assert again.returncode == 1, again.stderr
    assert "hub: 0 new indicator(s), 4 in the cache" in again.stderr
    assert "report: nothing new to send; 4 hit(s) on lines reported before" in again.stderr
    assert tallies(region) == expected

    publish(region, "new-campaign.example")
    (logs / "today.log").write_text(squid(60, "http://new-campaign.example/"))
    third = sweep(live_server.url, token, cache, "--report", str(logs))
    assert "hub: 1 new indicator(s), 5 in the cache" in third.stderr
    assert "1 recorded, 0 already on the hub" in third.stderr
    assert tallies(region)["new-campaign.example"][0] == 1
    assert tallies(region)["evil-payments.example"] == expected["evil-payments.example"]


def test_another_members_token_never_fetches_their_amber(
    region: World, live_server, logs: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    result = sweep(live_server.url, region.tokens[Role.MEMBER], tmp_path / "c", str(logs))
    assert "amber-secret.example" not in result.stdout
    cached = "".join(path.read_text() for path in (tmp_path / "c").glob("indicators-*.json"))
    assert "amber-secret" not in cached and "203.0.113.77" in cached


def test_include_lines_sends_the_lines_asked_for(
    region: World, live_server, logs: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    result = sweep(
        live_server.url,
        region.tokens[Role.MEMBER],
        tmp_path / "c",
        "--report",
        "--include-lines",
        "--include-warninglisted",
        str(logs),
    )
    assert result.returncode == 1, result.stderr
    samples = SightingBatch.objects.get().samples
    lines = [line for lines in samples.values() for line in lines]
    assert len(lines) == 5 and all("HIER_DIRECT" in line for line in lines)
    assert "8.8.8.8" in tallies(region)


def test_network_errors_are_one_line_and_keep_the_cache(
    region: World, live_server, logs: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    cache = tmp_path / "cache"
    sweep(live_server.url, region.tokens[Role.MEMBER], cache, str(logs))
    before = {path.name: path.read_bytes() for path in cache.iterdir()}
    down = sweep("http://127.0.0.1:9", region.tokens[Role.MEMBER], cache, str(logs))
    assert down.returncode == 2
    assert down.stderr.strip().count("\n") == 0 and "cannot reach the hub" in down.stderr
    assert {path.name: path.read_bytes() for path in cache.iterdir()} == before
    refused = sweep(live_server.url, "owp_not-a-token", cache, str(logs))
    assert refused.returncode == 2 and "401" in refused.stderr


def test_a_fetch_cut_short_keeps_the_previous_cache(
    region: World, live_server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    member, token = region.users[Role.MEMBER], region.tokens[Role.MEMBER]
    cache = IndicatorCache.for_hub(tmp_path, Hub(live_server.url, token))
    fetch_indicators(Hub(live_server.url, token), cache)
    before = cache.path.read_bytes()
    publish(region, "later-one.example\nlater-two.example")
    monkeypatch.setattr(hub_client, "PAGE", 1)

    class RevokedMidway(Hub):
        """The member's token is revoked while the fetch is on its first page."""

        def call(self, method: str, path: str, body: object | None = None) -> Any:
            answer = super().call(method, path, body)
            member.api_tokens.update(revoked_at=timezone.now())
            return answer

    hub = RevokedMidway(live_server.url, token)
    with pytest.raises(HubError, match="401"):
        fetch_indicators(hub, IndicatorCache.for_hub(tmp_path, hub))
    assert cache.path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [cache.path.name]  # no temp file left


def test_a_growing_log_is_reported_once_per_line(
    region: World, live_server, logs: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    token, cache, log = region.tokens[Role.MEMBER], tmp_path / "cache", logs / "access.log"
    assert sweep(live_server.url, token, cache, "--report", str(logs)).returncode == 1
    with log.open("a") as out:  # the proxy keeps writing
        out.write(squid(40, "http://evil-payments.example/again"))
        out.write(squid(41, "http://intranet.derby.example/"))
    grown = sweep(live_server.url, token, cache, "--report", str(logs))
    assert grown.returncode == 1, grown.stderr
    assert len(grown.stdout.splitlines()) == 5  # every hit is still printed
    assert "1 sighting(s) of 1 indicator(s) in 1 batch(es): 1 recorded" in grown.stderr
    assert "4 hit(s) on lines reported before, not sent again" in grown.stderr
    assert tallies(region)["evil-payments.example"] == (
        4,
        "2026-11-20T08:00:00+00:00",
        "2026-11-20T08:40:00+00:00",
    )
    assert tallies(region)["203.0.113.77"][0] == 1

    log.write_text(squid(50, "http://evil-payments.example/rotated"))  # rotated: a new file
    rotated = sweep(live_server.url, token, cache, "--report", str(logs))
    assert "1 sighting(s) of 1 indicator(s) in 1 batch(es): 1 recorded" in rotated.stderr
    assert tallies(region)["evil-payments.example"][0] == 5


def test_a_report_cut_short_is_finished_once_even_if_the_log_grew(
    region: World, live_server, logs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """The first send fails after the hub recorded it (the answer was lost); the
    log grows before the next run, which must not count the first range again."""
    token, cache, log = region.tokens[Role.MEMBER], tmp_path / "cache", logs / "access.log"
    sent = sweep_hub._send

    def lost_answer(hub: Hub, key: str, chunk: list, outcome: Any, total: int) -> None:
        sent(hub, key, chunk, outcome, total)
        raise HubError("cannot reach the hub: connection reset")

    app = Typer()
    app.command()(sweep_command)
    arguments = ["--hub", live_server.url, "--token", token, "--cache", str(cache)]
    with monkeypatch.context() as patch:
        patch.setattr(sweep_hub, "_send", lost_answer)
        failed = CliRunner().invoke(app, [*arguments, "--report", "--no-progress", str(logs)])
    assert failed.exit_code == 2 and "connection reset" in failed.output
    assert tallies(region)["evil-payments.example"][0] == 3
    with log.open("a") as out:
        out.write(squid(40, "http://evil-payments.example/again"))
    again = CliRunner().invoke(app, [*arguments, "--report", "--no-progress", str(logs)])
    assert again.exit_code == 1, again.output
    assert "2 batch(es): 1 recorded, 1 already on the hub" in again.output
    assert tallies(region)["evil-payments.example"][0] == 4
    assert tallies(region)["203.0.113.77"][0] == 1
