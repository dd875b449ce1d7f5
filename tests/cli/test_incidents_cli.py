"""``openwarp incident list/show`` against a running hub, with a member's and the hub's token."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from openwarp.hub.incidents.services.indicators import incident_indicators_add
from openwarp.hub.members.policy import Role
from tests.hub.incidents.factories import record, with_breach
from tests.world import World

pytestmark = pytest.mark.django_db(transaction=True)


def incident_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "openwarp.cli", "incident", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def incidents(world: World) -> World:
    lead = world.users[Role.SECURITY_LEAD]
    own = with_breach(lead, record(lead, "Ransomware on the revenues servers"))
    incident_indicators_add(
        actor=lead, incident=own, text="evil-c2.example", distribution="organisation"
    )
    world.extras["other"] = record(world.other_lead, "Nottingham mail outage")
    world.extras["own"] = own
    return world


def test_a_member_lists_only_its_own_incidents_with_the_ico_clock(
    incidents: World, live_server
) -> None:  # type: ignore[no-untyped-def]
    done = incident_cli("list", "--hub", live_server.url, "--token", incidents.tokens[Role.MEMBER])
    assert done.returncode == 0, done.stderr
    assert "Ransomware on the revenues servers" in done.stdout
    assert "Nottingham mail outage" not in done.stdout
    assert "left" in done.stdout  # "2 days 22 hours left" on the ICO clock
    assert "1 incident(s)" in done.stderr


def test_the_hubs_token_lists_every_incident(incidents: World, live_server) -> None:  # type: ignore[no-untyped-def]
    token = incidents.tokens[Role.COORDINATOR]
    done = incident_cli("list", "--hub", live_server.url, "--token", token, "--json")
    assert done.returncode == 0, done.stderr
    assert sorted(i["title"] for i in json.loads(done.stdout)) == [
        "Nottingham mail outage",
        "Ransomware on the revenues servers",
    ]


def test_show_prints_the_incident_and_its_indicators(incidents: World, live_server) -> None:  # type: ignore[no-untyped-def]
    own = incidents.extras["own"]
    token = incidents.tokens[Role.SECURITY_LEAD]
    done = incident_cli("show", str(own.public_id), "--hub", live_server.url, "--token", token)
    assert done.returncode == 0, done.stderr
    assert "Ransomware on the revenues servers" in done.stdout
    assert "ICO:" in done.stdout and "left" in done.stdout
    assert "domain: evil-c2.example (TLP:AMBER)" in done.stdout


def test_another_members_incident_and_a_bad_hub_are_errors(incidents: World, live_server) -> None:  # type: ignore[no-untyped-def]
    refused = incident_cli(
        "show",
        str(incidents.extras["other"].public_id),
        "--hub",
        live_server.url,
        "--token",
        incidents.tokens[Role.MEMBER],
    )
    assert refused.returncode == 1 and "refused" in refused.stderr
    bad = incident_cli("list", "--hub", "ftp://hub", "--token", "x")
    assert bad.returncode == 2 and "--hub must be" in bad.stderr
    assert "Nottingham mail outage" not in refused.stdout + refused.stderr
