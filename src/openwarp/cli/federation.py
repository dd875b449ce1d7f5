"""`openwarp federation`: exchange reports with another hub over TAXII 2.1.

`schedule` lets the worker pull from (and push to) a hub at an interval;
`peers` shows how each hub's last run went. `pull` and `push` do one
exchange now; both are idempotent, so running them again changes nothing,
and `pull` resumes where the last pull from the same hub stopped.
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


@app.command("schedule")
def schedule(
    name: str = typer.Option(..., "--name", help="The other hub's name."),
    url: str = typer.Option(..., "--url", help="The other hub's address."),
    token: str | None = typer.Option(
        None,
        "--token",
        envvar="OPENWARP_FEDERATION_TOKEN",
        help="An API token of an account on the other hub; kept by this hub "
        "(given once, kept for later changes). Pushing needs a coordinator's write token.",
    ),
    every: int = typer.Option(60, "--every", help="Minutes between runs (5 to 10080)."),
    pull: bool = typer.Option(True, "--pull/--no-pull", help="Pull its federation reports."),
    push: bool = typer.Option(False, "--push/--no-push", help="Push this hub's to it."),
    data_dir: Path | None = DataDirOption,
) -> None:
    """Let the worker pull from (and push to) another hub on a schedule.

    The first run is due at once; `--no-pull --no-push` stops the schedule.
    """
    setup(data_dir)
    from openwarp.hub.taxii.schedule import federation_schedule_set

    with errors_as_exit_codes():
        found = federation_schedule_set(
            actor=None, name=name, url=url, token=token, interval_minutes=every, pull=pull,
            push=push,
        )  # fmt: skip
    what = " and ".join(w for w, on in (("pull", found.pulls), ("push", found.pushes)) if on)
    console.print(
        f"peer {found.name}: {what} every {found.interval_minutes} minutes"
        if what
        else f"peer {found.name}: not scheduled",
        highlight=False,
        soft_wrap=True,
    )


@app.command("peers")
def peers(data_dir: Path | None = DataDirOption) -> None:
    """List the other hubs, their schedules, last run and next run."""
    setup(data_dir)
    from openwarp.hub.taxii.selectors import federation_peers_list

    for row in federation_peers_list():
        peer, run = row.peer, row.last_run
        last = "never run"
        if run is not None:
            state = "ok" if run.ok else ("failed" if run.finished_at else "running")
            last = f"last run {run.started_at:%Y-%m-%d %H:%M} {state}: {run.message}"
        upcoming = f"next {peer.next_run_at:%Y-%m-%d %H:%M}" if peer.scheduled else "not scheduled"
        console.print(
            f"{peer.name} ({peer.url or 'no address'}): {row.received} reports received; "
            f"{last}; {upcoming}",
            highlight=False,
            soft_wrap=True,
        )
