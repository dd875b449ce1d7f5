"""`openwarp federation`: exchange reports with another hub over TAXII 2.1.

Run `pull` and `push` from cron (or a systemd timer) to federate on a
schedule; both are idempotent, so running them again changes nothing, and
`pull` resumes where the last pull from the same hub stopped.
"""

from __future__ import annotations

from pathlib import Path

import typer

from openwarp.cli.django_setup import DataDirOption, console, errors_as_exit_codes, setup

app = typer.Typer(
    help="Exchange CLEAR and GREEN federation reports with another hub over TAXII 2.1.",
    no_args_is_help=True,
)

TokenOption = typer.Option(
    ...,
    "--token",
    envvar="OPENWARP_FEDERATION_TOKEN",
    help="An API token of an account on the other hub (owp_...).",
)


@app.command("pull")
def pull(
    from_url: str = typer.Option(
        ..., "--from", help="The other hub's address, e.g. https://national.example/."
    ),
    token: str = TokenOption,
    since: str | None = typer.Option(
        None,
        help="Only what the other hub added after this UTC time (2026-12-01T09:00:00Z); "
        "by default, what it added since the last pull from it.",
    ),
    data_dir: Path | None = DataDirOption,
) -> None:
    """Import the other hub's CLEAR/GREEN federation reports, all or nothing."""
    setup(data_dir)
    from openwarp.core.sharing.stix_import import parse_timestamp
    from openwarp.hub.taxii.federation import federation_pull

    with errors_as_exit_codes():
        added_after = parse_timestamp(since, "since") if since else None
        pulled = federation_pull(url=from_url, token=token, added_after=added_after)
    result = pulled.received
    if pulled.added_after is not None:
        console.print(f"added after {pulled.added_after.isoformat()}", highlight=False)
    console.print(
        f"pulled from {from_url}: {len(result.created)} new, {len(result.updated)} updated, "
        f"{len(result.unchanged)} unchanged, {len(result.refused)} refused"
        + (f", {result.skipped_patterns} patterns skipped" if result.skipped_patterns else ""),
        highlight=False,
        soft_wrap=True,
    )


@app.command("push")
def push(
    to_url: str = typer.Option(..., "--to", help="The other hub's address."),
    token: str = TokenOption,
    data_dir: Path | None = DataDirOption,
) -> None:
    """Send this hub's federable reports to the other hub's federation inbox.

    The token must be a coordinator's write token on the other hub.
    """
    setup(data_dir)
    from openwarp.hub.taxii.federation import federation_push

    with errors_as_exit_codes():
        result = federation_push(url=to_url, token=token)
    console.print(
        f"pushed to {to_url}: {result.accepted} objects accepted, {result.refused} refused "
        f"in {result.batches} batches",
        highlight=False,
        soft_wrap=True,
    )


@app.command("peer")
def peer(
    name: str = typer.Option(
        ..., "--name", help="The other hub's name, e.g. 'National Cyber Hub'."
    ),
    url: str | None = typer.Option(None, "--url", help="The address this hub pulls it from."),
    account: str | None = typer.Option(
        None, "--account", help="E-mail of the account on this hub that it pushes with."
    ),
    data_dir: Path | None = DataDirOption,
) -> None:
    """Say that an address and an account are the same other hub.

    Only the hub that sent a report may change it; a hub that both pushes
    here and is pulled from is one peer only once it is named like this.
    """
    setup(data_dir)
    from openwarp.hub.taxii.peers import peer_register

    with errors_as_exit_codes():
        found = peer_register(actor=None, name=name, url=url, account_email=account)
    account_text = found.account.email if found.account else "none"
    console.print(
        f"peer {found.name}: pulled from {found.url or 'nowhere'}, pushes as {account_text}",
        highlight=False,
        soft_wrap=True,
    )
