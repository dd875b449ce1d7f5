"""The `openwarp` command: run in-process against the test database, and as a
real subprocess for serve and demo."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection
from typer.testing import CliRunner

from openwarp.cli.main import app
from openwarp.hub.audit.models import AuditEntry
from openwarp.hub.members.models import Organisation
from tests.world import World

runner = CliRunner()


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def test_org_add_creates_the_member_with_its_ranges_and_domains(db: None) -> None:
    result = invoke(
        "org",
        "add",
        "Rutland County Council",
        "--type",
        "unitary",
        "--region",
        "East Midlands",
        "--population",
        "40476",
        "--cidr",
        "81.2.69.0/24",
        "--domain",
        "rutland.gov.uk",
    )
    assert result.exit_code == 0, result.output
    rutland = Organisation.objects.get(slug="rutland-county-council")
    assert [r.cidr for r in rutland.network_ranges.all()] == ["81.2.69.0/24"]
    listed = json.loads(invoke("org", "list", "--json").output)
    assert listed[0]["name"] == "Rutland County Council" and listed[0]["population"] == 40476


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--type", "parish"], 2, "unknown organisation type 'parish'"),
        (["--type", "unitary", "--cidr", "10.0.0.0/8"], 2, "not a public range"),
        (
            ["--type", "unitary", "--cidr", "81.2.69.0/24", "--cidr", "81.2.69.128/25"],
            3,
            "overlaps",
        ),
        (
            ["--type", "unitary", "--domain", "rutland.gov.uk", "--domain", "RUTLAND.gov.uk."],
            3,
            "already registered",
        ),
        (["--type", "district", "--parent", "Nowhere"], 4, "no organisation 'Nowhere'"),
    ],
)
def test_org_add_bad_input_is_one_line_and_writes_nothing(
    db: None, args: list[str], code: int, message: str
) -> None:
    result = invoke("org", "add", "Rutland County Council", *args)
    assert result.exit_code == code
    assert message in result.output and result.output.count("\n") == 1
    assert not Organisation.objects.exists()
    assert not AuditEntry.objects.exists()


def test_user_list_and_token_create_give_a_working_token(world: World, client) -> None:  # type: ignore[no-untyped-def]
    users = json.loads(invoke("user", "list", "--json").output)
    assert {
        "email": "member@test.example",
        "organisation": "Derby City Council",
        "role": "member",
    }.items() <= next(u for u in users if u["email"] == "member@test.example").items()
    result = invoke(
        "token", "create", "--user", "member@test.example", "--scope", "read", "--expires-days", "7"
    )
    assert result.exit_code == 0
    token = result.output.strip()
    me = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert me["email"] == "member@test.example" and me["token_scope"] == "read"
    bad = invoke("token", "create", "--user", "member@test.example", "--expires-days", "9999")
    assert bad.exit_code == 2 and "expiry must be between" in bad.output
    assert invoke("token", "create", "--user", "nobody@test.example").exit_code == 4


def test_audit_verify_finds_the_first_tampered_entry(world: World) -> None:
    assert invoke("audit", "verify").exit_code == 0
    victim = AuditEntry.objects.order_by("sequence")[3]
    table = AuditEntry._meta.db_table
    with connection.cursor() as cursor:
        # The database refuses updates; an attacker with owner rights drops the guard first.
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER audit_entry_append_only")
        else:
            cursor.execute("DROP TRIGGER audit_entry_append_only")
        cursor.execute(
            f"UPDATE {table} SET actor_email = %s WHERE sequence = %s",
            ["someone.else@test.example", victim.sequence],
        )
    result = invoke("audit", "verify")
    assert result.exit_code == 1
    assert f"broken at entry {victim.sequence}" in result.output


def test_the_database_refuses_to_change_an_audit_entry(world: World) -> None:
    from django.db import DatabaseError, transaction

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"UPDATE {AuditEntry._meta.db_table} SET action = 'x'")


def test_deleting_the_newest_entry_is_detected(world: World) -> None:
    AuditEntry.objects.filter(
        sequence=AuditEntry.objects.order_by("-sequence")[0].sequence
    )._raw_delete("default")
    result = invoke("audit", "verify")
    assert result.exit_code == 1 and "should end at entry" in result.output


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _sqlite_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["OPENWARP_DATA_DIR"] = str(tmp_path)
    return env


@pytest.mark.slow
def test_demo_seeds_a_region_prints_logins_and_serves_it(tmp_path: Path) -> None:
    cli = [sys.executable, "-m", "openwarp.cli"]
    env = _sqlite_env(tmp_path)
    seeded = subprocess.run(
        [*cli, "demo", "--no-serve", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert seeded.returncode == 0, seeded.stderr
    for role in (
        "Regional coordinator",
        "Hub admin",
        "National analyst",
        "Security lead",
        "Member",
        "Executive (board view)",
    ):
        assert role in seeded.stdout
    assert "Derby City Council" in seeded.stdout and "authenticator secret" in seeded.stdout
    port = _free_port()
    server = subprocess.Popen(
        [*cli, "serve", "--port", str(port), "--data-dir", str(tmp_path)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        body = _wait_for(f"http://127.0.0.1:{port}/healthz")
        assert json.loads(body)["status"] == "ok"
        sign_in_page = _wait_for(f"http://127.0.0.1:{port}/sign-in/").decode()
        assert "Sign in to East Midlands WARP" in sign_in_page  # kept in the data dir
        spec = json.loads(_wait_for(f"http://127.0.0.1:{port}/api/v1/openapi.json"))
        assert "/api/v1/organisations" in spec["paths"]
    finally:
        server.terminate()
        server.wait(timeout=10)
    verify = subprocess.run(
        [*cli, "audit", "verify", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert verify.returncode == 0 and "intact" in verify.stdout


def _wait_for(url: str, timeout: float = 30.0) -> bytes:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - localhost
                return bytes(response.read())
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_every_command_has_help() -> None:
    for command in (
        ["--help"],
        ["serve", "--help"],
        ["worker", "--help"],
        ["demo", "--help"],
        ["migrate", "--help"],
        ["createadmin", "--help"],
        ["org", "add", "--help"],
        ["org", "list", "--help"],
        ["user", "list", "--help"],
        ["token", "create", "--help"],
        ["audit", "verify", "--help"],
    ):
        result = invoke(*command)
        assert result.exit_code == 0 and "Usage" in result.output, command
