"""Notifications from the command line: the daily digest by hand.

The worker sends the digest itself every day at `DIGEST_AT` (hub/jobs/daily.py);
this command sends a chosen day's, and like the worker never mails one twice."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import typer

from openwarp.cli.django_setup import DataDirOption, errors_as_exit_codes, setup

app = typer.Typer(help="E-mail digests and other notifications.", no_args_is_help=True)


@app.command("digest")
def digest(
    day: str = typer.Option("", help="The day (YYYY-MM-DD, UTC) to send; default yesterday."),
    data_dir: Path | None = DataDirOption,
) -> None:
    """Mail each member's leads the GREEN and CLEAR reports of a day, once (prints JSON)."""
    setup(data_dir)
    from openwarp.core.errors import InvalidInput
    from openwarp.hub.sharing.services.digest import digest_send

    with errors_as_exit_codes():
        try:
            chosen = date.fromisoformat(day) if day else datetime.now(UTC).date() - timedelta(1)
        except ValueError:
            raise InvalidInput(f"{day!r} is not a date like 2026-11-30", field="day") from None
        run = digest_send(day=chosen)
    typer.echo(
        json.dumps(
            {
                "day": run.day.isoformat(),
                "sent": run.sent,
                "already": run.already,
                "reports": run.reports,
            }
        )
    )
