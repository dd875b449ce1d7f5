"""Fixtures for exposure tests: real CVE records and KEV catalogues from ../shared/data."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from openwarp.hub.exposure.models import InventoryItem
from openwarp.hub.exposure.services.data import vulnerability_data_load
from openwarp.hub.members.models import Organisation

# Rows whose products the shared cve5 sample names (CVE-2024-21236, -2466, -5009, -20449).
SAMPLE_ROWS = [
    {
        "vendor": "Oracle",
        "product": "MySQL Server",
        "version": "8.0.36",
        "internet_facing": False,
        "criticality": "high",
    },
    {"vendor": "Oracle", "product": "MySQL Server", "version": "8.0.40", "internet_facing": False},
    {"vendor": "curl", "product": "curl", "version": "8.6.0", "internet_facing": True},
    {
        "vendor": "Progress Software",
        "product": "WhatsUp Gold",
        "version": "2023.1.2",
        "internet_facing": True,
        "criticality": "medium",
    },
    {"vendor": "Cisco", "product": "Data Center Network Manager", "version": ""},
    {"vendor": "Acme Widgets", "product": "Doesnotexist Suite", "version": "1.0"},
]


def add_rows(organisation: Organisation, rows: list[dict[str, object]]) -> list[InventoryItem]:
    return [InventoryItem.objects.create(organisation=organisation, **row) for row in rows]


@pytest.fixture
def sample_dir(shared_data: Path) -> Path:
    return shared_data / "cve5" / "sample"


@pytest.fixture
def kev_history(shared_data: Path) -> list[Path]:
    """KEV catalogues oldest first, the current one last."""
    history = sorted((shared_data / "kev" / "history").glob("kev-*.json"))
    return [*history, shared_data / "kev" / "known_exploited_vulnerabilities.json"]


@pytest.fixture
def loaded_sample(db: None, sample_dir: Path) -> None:
    vulnerability_data_load(actor=None, cve5_paths=[sample_dir])


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return


@contextmanager
def serve_directory(
    root: Path, shared_data: Path, handler: type[SimpleHTTPRequestHandler]
) -> Iterator[str]:
    """A local HTTP server for feed refresh tests (no test touches the internet): its
    root links to ../shared/data as `shared/` (served where it is, never copied)."""
    root.mkdir()
    (root / "shared").symlink_to(shared_data)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
