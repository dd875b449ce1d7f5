"""The sweep's indicator cache: a damaged file means a full fetch, never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from openwarp.cli.hub_client import Hub, HubError, IndicatorCache

HUB = Hub("https://hub.example", "owp_secret")


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b'{"version": 99, "until": "2026-11-20T00:00:00Z", "items": {}}',
        b'{"version": 1, "until": "2026-11-20T00:00:00Z", "items": {"7": {"type": "domain"}}}',
        b'{"version": 1, "until": "2026-11-20T00:00:00Z", "items": []}',
    ],
)
def test_a_damaged_cache_is_refetched_from_the_start(tmp_path: Path, content: bytes) -> None:
    first = IndicatorCache.for_hub(tmp_path, HUB)
    first.path.write_bytes(content)
    again = IndicatorCache.for_hub(tmp_path, HUB)
    assert (again.until, again.items) == (None, {})


def test_a_saved_cache_reads_back_and_is_per_token(tmp_path: Path) -> None:
    cache = IndicatorCache.for_hub(tmp_path, HUB)
    cache.until = "2026-11-20T00:00:00Z"
    cache.items = {"7": {"value": "evil.example", "report": "r", "type": "domain"}}
    cache.save()
    again = IndicatorCache.for_hub(tmp_path, HUB)
    assert (again.until, again.items) == (cache.until, cache.items)
    other = IndicatorCache.for_hub(tmp_path, Hub("https://hub.example", "owp_someone_else"))
    assert other.items == {} and other.path != cache.path
    assert "owp_secret" not in cache.path.name


def test_a_hub_url_must_be_http() -> None:
    with pytest.raises(HubError, match="http"):
        Hub("file:///etc/passwd", "t")
