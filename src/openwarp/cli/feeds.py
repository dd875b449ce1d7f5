"""External feeds from the command line: big files are imported here, not uploaded."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from openwarp.cli.django_setup import DataDirOption, console, errors_as_exit_codes, setup

app = typer.Typer(help="External indicator feeds the hub follows.", no_args_is_help=True)


@app.command("add")
def feed_add(
    name: str = typer.Argument(..., help="What members will call it, e.g. 'maltrail static'."),
    reliability: str = typer.Option("F", help="Admiralty grade of the source, A to F."),
    tlp: str = typer.Option("clear", help="clear or green."),
    expiry_days: int = typer.Option(30, help="Days a value lives after the feed drops it."),
    source_url: str = typer.Option("", help="Where the feed is published."),
    data_dir: Path | None = DataDirOption,
) -> None:
    """Subscribe the hub to a feed."""
    setup(data_dir)
    from openwarp.hub.feeds.services import feed_create

    with errors_as_exit_codes():
        feed = feed_create(
            actor=None,
            name=name,
            reliability=reliability.upper(),
            tlp=tlp.lower(),
            expiry_days=expiry_days,
            source_url=source_url,
        )
    console.print(f"subscribed to {feed.name} ({feed.slug})")


@app.command("import")
def feed_import(
    feed: str = typer.Argument(..., help="The feed's name or slug."),
    path: Path = typer.Argument(..., help="The feed file (gzip is fine)."),
    data_dir: Path | None = DataDirOption,
) -> None:
    """Import a feed file in one transaction and raise early warnings; prints a JSON summary."""
    setup(data_dir)
    from django.utils.text import slugify

    from openwarp.core.errors import NotFound
    from openwarp.hub.feeds.models import Feed
    from openwarp.hub.feeds.services import feed_import as import_file

    with errors_as_exit_codes():
        found = Feed.objects.filter(slug=slugify(feed)).first()
        if found is None:
            raise NotFound(f"no feed {feed!r} (see 'openwarp feeds list')", field="feed")
        summary = import_file(actor=None, feed=found, path=path)
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
        }
        for feed in Feed.objects.all()
    ]
    typer.echo(json.dumps(rows, indent=2))
