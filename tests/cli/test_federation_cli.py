"""`openwarp federation`: failures are one line with an exit code, nothing written."""

from __future__ import annotations

import socket

from typer.testing import CliRunner

from openwarp.cli.main import app
from openwarp.hub.sharing.models import Report

runner = CliRunner()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_an_unreachable_peer_is_one_line_and_exit_2(db: None) -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    result = runner.invoke(app, ["federation", "pull", "--from", url, "--token", "owp_x_y"])
    assert result.exit_code == 2
    assert f"cannot reach {url}" in result.output and result.output.count("\n") == 1
    assert not Report.objects.exists()


def test_a_bad_since_or_address_names_the_option(db: None) -> None:
    since = runner.invoke(
        app, ["federation", "pull", "--from", "http://x", "--token", "t", "--since", "monday"]
    )
    assert since.exit_code == 2 and "since:" in since.output
    address = runner.invoke(app, ["federation", "push", "--to", "ftp://hub", "--token", "t"])
    assert address.exit_code == 2 and "is not an http(s) URL" in address.output


def test_peer_ties_an_address_and_an_account_to_one_hub(db: None) -> None:
    from openwarp.hub.members.policy import Role
    from openwarp.hub.taxii.models import Peer
    from tests.world import make_user

    make_user("push@national.example", Role.COORDINATOR, None)
    args = ["federation", "peer", "--name", "National hub", "--url", "https://national.example"]
    result = runner.invoke(app, [*args, "--account", "push@national.example"])
    assert result.exit_code == 0, result.output
    assert "pulled from https://national.example/taxii2/, pushes as push@national.example" in (
        result.output
    )
    peer = Peer.objects.get(name="National hub")
    assert peer.account is not None and peer.account.email == "push@national.example"
    unknown = runner.invoke(app, [*args, "--account", "nobody@national.example"])
    assert unknown.exit_code == 4 and "no account 'nobody@national.example'" in unknown.output


def test_schedule_keeps_the_token_and_peers_shows_the_last_run(
    transactional_db: None,
) -> None:
    from openwarp.hub.taxii.models import Peer
    from openwarp.hub.taxii.schedule import federation_run

    url = f"http://127.0.0.1:{_closed_port()}"
    args = ["federation", "schedule", "--name", "National hub", "--url", url, "--every", "15"]
    result = runner.invoke(app, [*args, "--token", "owp_national_secret"])
    assert result.exit_code == 0, result.output
    assert "peer National hub: pull every 15 minutes" in result.output
    peer = Peer.objects.get(name="National hub")
    assert peer.token == "owp_national_secret" and peer.next_run_at is not None
    federation_run(peer_id=peer.pk, due=peer.next_run_at.isoformat())

    listing = runner.invoke(app, ["federation", "peers"])
    assert listing.exit_code == 0, listing.output
    assert "National hub" in listing.output and "failed" in listing.output
    assert "cannot reach" in listing.output and "next " in listing.output
    assert "owp_national_secret" not in listing.output

    too_often = runner.invoke(app, [*args[:-1], "1"])
    assert too_often.exit_code == 2 and "interval" in too_often.output
    stopped = runner.invoke(app, [*args, "--no-pull"])
    assert stopped.exit_code == 0 and "not scheduled" in stopped.output
