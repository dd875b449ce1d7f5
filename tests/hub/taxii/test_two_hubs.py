"""Two real hubs (two `openwarp serve` processes, two SQLite files) federating
over TAXII 2.1: GREEN federation reports cross; AMBER, region-only reports
and anonymous reporters' identities do not; nothing echoes back."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

CLI = [sys.executable, "-m", "openwarp.cli"]
TAXII = "application/taxii+json;version=2.1"
ADMIN_PASSWORD = "national-hub-admin-2026"


class Hub:
    def __init__(self, directory: Path, name: str) -> None:
        directory.mkdir()
        (directory / "openwarp.toml").write_text(f'[hub]\nname = "{name}"\n')
        self.directory, self.name = directory, name
        self.env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        self.env.update(OPENWARP_DATA_DIR=str(directory), OPENWARP_ADMIN_PASSWORD=ADMIN_PASSWORD)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = int(s.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self.server: subprocess.Popen[bytes] | None = None

    def run(self, *args: str) -> str:
        done = subprocess.run(
            [*CLI, *args, "--data-dir", str(self.directory)],
            capture_output=True,
            text=True,
            env=self.env,
            timeout=300,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout.strip()

    def token(self, email: str, scope: str = "read") -> str:
        return self.run("token", "create", "--user", email, "--scope", scope).splitlines()[-1]

    def serve(self) -> None:
        log = (self.directory / "serve.log").open("wb")
        self.server = subprocess.Popen(
            [*CLI, "serve", "--port", str(self.port), "--threads", "4"],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 180  # a loaded CI machine starts Django slowly
        while time.monotonic() < deadline and self.server.poll() is None:
            try:
                if requests.get(f"{self.url}/healthz", timeout=10).ok:
                    return
            except (requests.ConnectionError, requests.Timeout):
                # Not listening yet, or listening but still busy starting up.
                time.sleep(0.5)
        output = (self.directory / "serve.log").read_text(errors="replace")[-2000:]
        raise AssertionError(f"{self.name} did not start:\n{output}")

    def stop(self) -> None:
        if self.server is not None:
            self.server.terminate()
            self.server.wait(timeout=15)

    def post(self, token: str, path: str, body: dict[str, object]) -> dict[str, object]:
        response = requests.post(
            f"{self.url}{path}",
            json=body,
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        assert response.status_code in (200, 201), response.text
        return response.json()  # type: ignore[no-any-return]

    def federation_objects(self, token: str) -> list[dict[str, object]]:
        response = requests.get(
            f"{self.url}/taxii2/api/collections/federation/objects/",
            params={"limit": 1000},
            headers={"Authorization": f"Bearer {token}", "Accept": TAXII},
            timeout=30,
        )
        assert response.status_code == 200, response.text
        assert response.json()["more"] is False
        return response.json().get("objects", [])  # type: ignore[no-any-return]


@pytest.fixture
def hubs(tmp_path: Path) -> Iterator[tuple[Hub, Hub]]:
    region = Hub(tmp_path / "region", "East Midlands WARP")
    national = Hub(tmp_path / "national", "National Cyber Hub")
    region.run("demo", "--no-serve")
    national.run("migrate")
    national.run("createadmin", "--email", "admin@national.example", "--name", "East Midlands WARP")
    try:
        region.serve()
        national.serve()
        yield region, national
    finally:
        region.stop()
        national.stop()


def _report(region: Hub, token: str, title: str, **fields: object) -> str:
    body = {"title": title, "threat_type": "phishing", "confidence": "confirmed", **fields}
    return str(region.post(token, "/api/v1/reports", body)["id"])


def _titles(objects: list[dict[str, object]]) -> set[str]:
    return {str(o["name"]) for o in objects if o["type"] == "report"}


@pytest.mark.slow
def test_green_federation_reports_cross_and_nothing_else_does(hubs: tuple[Hub, Hub]) -> None:
    region, national = hubs
    derby = region.token("security.lead@derby.example", "write")
    lincs = region.token("security.lead@lincolnshire.example", "write")
    coordinator = region.token("coordinator@em-warp.example", "write")
    _report(
        region,
        derby,
        "GREEN for every hub",
        tlp="green",
        distribution="federation",
        indicators="federated-phish.example\n203.0.113.50",
    )
    _report(
        region,
        derby,
        "AMBER stays home",
        tlp="amber",
        distribution="federation",
        indicators="amber-home.example",
    )
    _report(
        region,
        derby,
        "GREEN for the region only",
        tlp="green",
        distribution="region",
        indicators="region-only.example",
    )
    anonymous = _report(
        region,
        lincs,
        "Anonymous extortion note",
        tlp="green",
        distribution="federation",
        anonymous=True,
        indicators="extortion@leak.example",
    )
    region.post(coordinator, f"/api/v1/reports/{anonymous}/release", {"release": True})
    # TAXII lists an anonymous report from the full hour after its release;
    # this one was released two hours ago.
    subprocess.run(
        [
            sys.executable,
            "-c",
            "from datetime import timedelta; from openwarp.cli.django_setup import setup; setup();"
            "from django.utils import timezone; from openwarp.hub.sharing.models import Report;"
            f"Report.objects.filter(public_id='{anonymous}').update("
            "published_at=timezone.now() - timedelta(hours=2));"
            "from openwarp.hub.taxii.entries import collection_entries_sync;"
            "collection_entries_sync()",
        ],
        env=region.env,
        check=True,
        timeout=60,
    )

    push_token = national.token("admin@national.example", "write")
    pushed = region.run("federation", "push", "--to", national.url, "--token", push_token)
    assert "0 refused" in pushed
    reader = national.token("admin@national.example")
    crossed = national.federation_objects(reader)
    assert _titles(crossed) == {
        "GREEN for every hub",
        "Anonymous extortion note",
        "Patch Ivanti Connect Secure now",  # the demo's CLEAR advisory
    }
    text = json.dumps(crossed).lower()
    assert "lincolnshire" not in text, "the anonymous reporter is not named anywhere"
    anonymous_report = next(o for o in crossed if o["id"] == f"report--{anonymous}")
    creator = next(o for o in crossed if o["id"] == anonymous_report["created_by_ref"])
    # Held for the hub it came from; no field names the reporter.
    assert creator["name"] == "East Midlands WARP (federated hub)"
    assert "a county council in the east midlands" in str(anonymous_report["description"]).lower()

    analyst = region.token("analyst@national-warp.example")
    # Until told, the national hub cannot know that the account which pushed
    # and the address it pulls from are the same hub: a report may be changed
    # only by the peer that sent it.
    pulled = national.run("federation", "pull", "--from", region.url, "--token", analyst)
    assert pulled.endswith(": 0 new, 0 updated, 0 unchanged, 3 refused"), pulled
    national.run(
        "federation", "peer", "--name", "East Midlands WARP", "--url", region.url,
        "--account", "admin@national.example",
    )  # fmt: skip
    pulled = national.run(
        "federation",
        "pull",
        "--from",
        region.url,
        "--token",
        analyst,
        "--since",
        "2020-01-01T00:00:00Z",
    )
    assert pulled.endswith(": 0 new, 0 updated, 3 unchanged, 0 refused"), pulled
    # Without --since the pull resumes after the last report it was given.
    resumed = national.run("federation", "pull", "--from", region.url, "--token", analyst)
    assert resumed.startswith("added after ") and resumed.endswith(
        ": 0 new, 0 updated, 0 unchanged, 0 refused"
    ), resumed
    # The national hub serves the three back to its own members; the region
    # recognises its own reports and refuses to let another hub change them.
    echo = region.run("federation", "pull", "--from", national.url, "--token", reader)
    assert echo.endswith(": 0 new, 0 updated, 0 unchanged, 3 refused"), echo
    assert _titles(national.federation_objects(reader)) == _titles(crossed)
