"""The NVD API key travels as NVD's `apiKey` header, never in the address."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from openwarp.hub.exposure.fetch import fetch_feed
from tests.hub.exposure.test_sources import nvd_response


@pytest.fixture
def nvd() -> Iterator[tuple[str, list[tuple[str, str | None]]]]:
    asked: list[tuple[str, str | None]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append((self.path, self.headers.get("apiKey")))
            body = orjson.dumps(nvd_response())
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/rest/json/cves/2.0", asked
    server.shutdown()


@pytest.mark.parametrize("key", ["", "nvd-key-123"])
def test_the_key_is_sent_as_a_header_only_when_set(
    nvd: Any, tmp_path: Path, settings: Any, key: str
) -> None:
    url, asked = nvd
    settings.NVD_API_KEY = key
    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    fetched = fetch_feed("nvd", url, tmp_path, since=datetime(2026, 11, 30, tzinfo=UTC), now=now)
    assert len(fetched.nvd) == 1
    assert [header for _, header in asked] == [key or None]
    assert all(key not in path for path, _ in asked if key)
