"""External feeds from the command line: big files are imported here, not uploaded."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from openwarp.cli.django_setup import DataDirOption, console, errors_as_exit_codes, setup

if TYPE_CHECKING:
    from openwarp.hub.feeds.models import Feed

app = typer.Typer(help="External indicator feeds the hub follows.", no_args_is_help=True)


@app.command("add")
def feed_add(
    name: str = typer.Argument(..., help="What members will call it, e.g. 'maltrail static'."),
    reliability: str = typer.Option("F", help="Admiralty grade of the source, A to F."),
    tlp: str = typer.Option("clear", help="clear or green."),
    expiry_days: int = typer.Option(30, help="Days a value lives after the feed drops it."),
    source_url: str = typer.Option("", help="Where the feed is published."),
    source_format: str = typer.Option("list", help="list, stix, misp (a directory) or taxii."),
    interval_hours: int = typer.Option(0, help="The worker fetches it every N hours (0: never)."),
    token: str = typer.Option(
        "", envvar="OPENWARP_FEED_TOKEN", help="TAXII API token (better from the environment)."
    ),
    data_dir: Path | None = DataDirOption,
) -> None:
    """Subscribe the hub to a feed, optionally fetched from its URL on a schedule."""
    setup(data_dir)
    from django.db import transaction

    from openwarp.hub.feeds.fetching import feed_source_save
    from openwarp.hub.feeds.services import feed_create

    with errors_as_exit_codes(), transaction.atomic():
        feed = feed_create(
            actor=None,
            name=name,
            reliability=reliability.upper(),
            tlp=tlp.lower(),
            expiry_days=expiry_days,
            source_url=source_url,
        )
        if source_url or interval_hours:
            feed = feed_source_save(
                actor=None,
                feed=feed,
                source_url=source_url,
                source_format=source_format.lower(),
                interval_hours=interval_hours,
                auth_token=token,
            )
    every = f", fetched every {interval_hours} h" if interval_hours else ""
    console.print(f"subscribed to {feed.name} ({feed.slug}){every}")


def _feed(name: str) -> Feed:
    from django.utils.text import slugify

    from openwarp.core.errors import NotFound
    from openwarp.hub.feeds.models import Feed

    found = Feed.objects.filter(slug=slugify(name)).first()
    if found is None:
        raise NotFound(f"no feed {name!r} (see 'openwarp feeds list')", field="feed")
    return found


@app.command("fetch")
def feed_fetch(
    feed: str = typer.Argument(..., help="The feed's name or slug."),
    data_dir: Path | None = DataDirOption,
) -> None:
    """Fetch a feed from its URL now, in this process; prints the run as JSON.
    A failed run (no internet, a broken file) exits 2 and keeps the last good data."""
    setup(data_dir)
    from openwarp.core.errors import InvalidInput
    from openwarp.hub.feeds.fetching import feed_fetch as fetch

    with errors_as_exit_codes():
        found = _feed(feed)
        if not found.source_url:
            raise InvalidInput("the feed has no URL: use 'openwarp feeds import'", field="feed")
        run = fetch(feed_id=found.pk)
    assert run is not None
    typer.echo(json.dumps({"state": run.state, "message": run.message, **run.counts}, indent=2))
    if run.state != "ok":
        raise typer.Exit(2)


@app.command("import")
def feed_import(
    feed: str = typer.Argument(..., help="The feed's name or slug."),
    path: Path = typer.Argument(
        ..., help="The feed file (gzip is fine), or a MISP feed directory copied by hand."
    ),
    data_dir: Path | None = DataDirOption,
) -> None:
    """Import a feed file in one transaction and raise early warnings; prints a JSON summary."""
    setup(data_dir)
    from openwarp.hub.feeds.services import feed_import as import_file

    with errors_as_exit_codes():
        summary = import_file(actor=None, feed=_feed(feed), path=path)
    typer.echo(json.dumps(summary, indent=2))


@app.command("list")
def feed_list(data_dir: Path | None = DataDirOption) -> None:
    """The feeds the hub follows, as JSON."""
    setup(data_dir)
    from openwarp.hub.feeds.models import Feed

    rows = [
        {
            "name": feed.name,
            "slug": feed.slug,
            "reliability": feed.reliability,
            "tlp": feed.tlp,
            "values": feed.indicators.count(),
            "last_imported_at": feed.last_imported_at.isoformat()
            if feed.last_imported_at
            else None,
            "source_format": feed.source_format,
            "interval_hours": feed.interval_hours,
            "next_run_at": feed.next_run_at.isoformat() if feed.next_run_at else None,
        }
        for feed in Feed.objects.all()
    ]
    typer.echo(json.dumps(rows, indent=2))
