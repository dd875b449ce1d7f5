"""`openwarp feeds add|fetch`: a feed fetched from the command line, online and off."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from openwarp.cli.main import app
from openwarp.hub.feeds.models import Feed, FeedIndicator, FeedRun
from tests.core.feeds.http_server import Served, serve
from tests.core.feeds.test_fetch import EVENT_A, EVENT_B, _closed_port, _publish

runner = CliRunner()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Served]:
    (tmp_path / "list.txt").write_text("# plain list\nevil-c2.example\n203.0.113.9\n")
    with serve(tmp_path) as served:
        yield served


def test_add_with_a_schedule_then_fetch_now_prints_the_run(db: None, server: Served) -> None:
    added = runner.invoke(
        app,
        [
            "feeds",
            "add",
            "Abuse list",
            "--source-url",
            f"{server.url}/list.txt",
            "--interval-hours",
            "6",
            "--reliability",
            "b",
        ],
    )
    assert added.exit_code == 0, added.output
    assert "subscribed to Abuse list (abuse-list), fetched every 6 h" in added.output
    feed = Feed.objects.get()
    assert feed.next_run_at is not None and feed.reliability == "B"
    fetched = runner.invoke(app, ["feeds", "fetch", "abuse-list"])
    assert fetched.exit_code == 0, fetched.output
    assert json.loads(fetched.output) == {
        "state": "ok",
        "message": "fetched 41 bytes",
        "values": 2,
        "new": 2,
        "rejected": 0,
        "alerts": 0,
    }
    assert FeedIndicator.objects.count() == 2


def test_offline_fetch_exits_2_and_keeps_the_data(db: None, server: Served) -> None:
    runner.invoke(app, ["feeds", "add", "Abuse list", "--source-url", f"{server.url}/list.txt"])
    assert runner.invoke(app, ["feeds", "fetch", "Abuse list"]).exit_code == 0
    offline = f"http://127.0.0.1:{_closed_port()}/list.txt"
    Feed.objects.update(source_url=offline)
    result = runner.invoke(app, ["feeds", "fetch", "Abuse list"])
    assert result.exit_code == 2 and f"cannot reach {offline}" in result.output
    assert FeedIndicator.objects.count() == 2
    assert FeedRun.objects.filter(state=FeedRun.State.FAILED).count() == 1


def test_a_bad_source_is_refused_naming_the_field(db: None) -> None:
    result = runner.invoke(
        app,
        ["feeds", "add", "Local", "--source-url", "file:///etc/passwd", "--interval-hours", "1"],
    )
    assert result.exit_code != 0 and "http(s) URL" in result.output
    assert not Feed.objects.exists()  # nothing half-made
    unknown = runner.invoke(app, ["feeds", "fetch", "nothing"])
    assert unknown.exit_code == 4 and "no feed 'nothing'" in unknown.output


def test_offline_a_misp_feed_directory_copied_by_hand_imports_from_disk(
    db: None, tmp_path: Path
) -> None:
    _publish(tmp_path, {EVENT_A: (100, ["a.example"]), EVENT_B: (200, ["b.example"])})
    runner.invoke(app, ["feeds", "add", "Partner MISP", "--source-format", "misp"])
    result = runner.invoke(app, ["feeds", "import", "Partner MISP", str(tmp_path / "misp")])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["values"] == 2
    assert set(FeedIndicator.objects.values_list("value", flat=True)) == {"a.example", "b.example"}
    (tmp_path / "misp" / f"{EVENT_B}.json").unlink()
    broken = runner.invoke(app, ["feeds", "import", "Partner MISP", str(tmp_path / "misp")])
    assert broken.exit_code != 0 and f"the manifest lists {EVENT_B}.json" in broken.output
