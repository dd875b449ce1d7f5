"""Fetching feed files: only http(s), size caps, MISP directories by change."""

from __future__ import annotations

import gzip
import socket
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from openwarp.core.feeds.fetch import fetch_list, fetch_misp, fetch_stix, file_name, misp_changed
from openwarp.core.fetching import FetchFailed, get
from openwarp.core.indicators.loaders import load_indicators
from tests.core.feeds.http_server import Served, serve

EVENT_A = "5d2e4f1a-7b3c-4d8e-9f0a-1b2c3d4e5f60"
EVENT_B = "6e3f5a2b-8c4d-4e9f-a01b-2c3d4e5f6a71"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Served]:
    root = tmp_path / "www"
    root.mkdir()
    with serve(root) as served:
        yield served


def _event(uuid: str, timestamp: int, values: list[str]) -> dict[str, object]:
    return {
        "Event": {
            "uuid": uuid,
            "info": f"event {uuid[:8]}",
            "timestamp": str(timestamp),
            "Tag": [{"name": "tlp:clear"}],
            "Attribute": [{"type": "domain", "value": v, "to_ids": True} for v in values],
        }
    }


def _publish(root: Path, events: dict[str, tuple[int, list[str]]]) -> None:
    feed = root / "misp"
    feed.mkdir(exist_ok=True)
    manifest = {}
    for uuid, (stamp, values) in events.items():
        (feed / f"{uuid}.json").write_bytes(orjson.dumps(_event(uuid, stamp, values)))
        manifest[uuid] = {"info": f"event {uuid[:8]}", "timestamp": str(stamp)}
    (feed / "manifest.json").write_bytes(orjson.dumps(manifest))


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_gzipped_maltrail_list_is_fetched_under_its_own_name(
    server: Served, tmp_path: Path
) -> None:
    with gzip.open(server.root / "trails.tsv.gz", "wt") as out:
        out.write("evil-c2.example\tmalware/remcos.txt\tmalware\n")
    folder = tmp_path / "run"
    folder.mkdir()
    fetched = fetch_list(f"{server.url}/trails.tsv.gz", folder)
    assert [p.name for p in fetched.paths] == ["trails.tsv.gz"]
    loaded = load_indicators(fetched.paths)
    assert [(i.key, i.report) for i in loaded.indicators.indicators] == [
        ("evil-c2.example", "malware/remcos.txt")
    ]


def test_only_http_and_https_are_fetched_even_after_a_redirect(
    server: Served, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("203.0.113.1\n")
    with pytest.raises(FetchFailed, match="only http and https"):
        get(f"file://{secret}", tmp_path / "out")
    with pytest.raises(FetchFailed, match="not http"):
        get(f"{server.url}/redirect-to?u=ftp://127.0.0.1/x", tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_body_past_the_cap_is_refused_and_nothing_is_left_on_disk(
    server: Served, tmp_path: Path
) -> None:
    target = tmp_path / "endless.txt"
    with pytest.raises(FetchFailed, match="larger than 1,000,000 bytes"):
        get(f"{server.url}/endless", target, max_bytes=1_000_000)
    assert not target.exists()


def test_errors_name_the_url(server: Served, tmp_path: Path) -> None:
    with pytest.raises(FetchFailed, match="answered 404"):
        get(f"{server.url}/status/404", tmp_path / "x")
    offline = f"http://127.0.0.1:{_closed_port()}/feed.txt"
    with pytest.raises(FetchFailed, match=f"cannot reach {offline}"):
        get(offline, tmp_path / "x")


def test_a_stix_source_must_be_a_bundle(server: Served, tmp_path: Path) -> None:
    (server.root / "not-a-bundle.json").write_text('{"type": "indicator"}')
    with pytest.raises(FetchFailed, match=r"not a STIX 2\.1 bundle"):
        fetch_stix(f"{server.url}/not-a-bundle.json", tmp_path)


def test_a_misp_directory_fetches_only_events_changed_since_the_cursor(
    server: Served, tmp_path: Path
) -> None:
    _publish(server.root, {EVENT_A: (100, ["a.example"]), EVENT_B: (200, ["b.example"])})
    first_dir, second_dir, third_dir = (tmp_path / n for n in ("1", "2", "3"))
    for folder in (first_dir, second_dir, third_dir):
        folder.mkdir()
    first = fetch_misp(f"{server.url}/misp", first_dir, {})
    assert sorted(p.name for p in first.paths) == [f"{EVENT_A}.json", f"{EVENT_B}.json"]
    assert first.cursor == {"events": {EVENT_A: 100, EVENT_B: 200}}
    server.asked.clear()
    second = fetch_misp(f"{server.url}/misp/", second_dir, first.cursor)
    assert second.paths == [] and server.asked == ["/misp/manifest.json"]
    assert second.note == "0 new or changed event(s) of 2"
    _publish(server.root, {EVENT_A: (100, ["a.example"]), EVENT_B: (300, ["b2.example"])})
    third = fetch_misp(f"{server.url}/misp", third_dir, second.cursor)
    assert [p.name for p in third.paths] == [f"{EVENT_B}.json"]
    assert third.cursor["events"][EVENT_B] == 300
    assert [i.key for i in load_indicators(third.paths).indicators.indicators] == ["b2.example"]


def test_a_misp_manifest_cannot_name_files_outside_the_feed(tmp_path: Path) -> None:
    with pytest.raises(FetchFailed, match="is not an event uuid"):
        misp_changed({"../../etc/passwd": {"timestamp": "1"}}, {}, "http://feed/")
    with pytest.raises(FetchFailed, match="no usable timestamp"):
        misp_changed({EVENT_A: {"timestamp": "soon"}}, {}, "http://feed/")


def test_a_big_misp_backlog_comes_over_several_runs_oldest_first() -> None:
    manifest = {EVENT_A: {"timestamp": 5}, EVENT_B: {"timestamp": 3}}
    changed, held = misp_changed(manifest, {}, "http://feed/", limit=1)
    assert changed == [(EVENT_B, 3)] and held == 1


def test_local_names_keep_the_extension_and_nothing_else() -> None:
    assert file_name("https://x.example/trails/static.csv?x=1", "feed.txt") == "static.csv"
    assert file_name("https://x.example/../..%2Fetc%2Fpasswd", "feed.txt") == "_etc_passwd"
    assert file_name("https://x.example/", "feed.txt") == "feed.txt"
