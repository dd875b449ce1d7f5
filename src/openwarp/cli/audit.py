"""Checking the audit log's hash chain."""

from __future__ import annotations

from pathlib import Path

import typer

from openwarp.cli.django_setup import DataDirOption, console, fail, setup

audit_app = typer.Typer(help="The append-only audit log.", no_args_is_help=True)


@audit_app.command("verify")
def verify(data_dir: Path | None = DataDirOption) -> None:
    """Check every link of the chain; exit 1 and name the first broken entry if any."""
    setup(data_dir)
    from openwarp.hub.audit.selectors import audit_verify

    count, broken = audit_verify()
    if broken is not None:
        raise fail(f"audit chain broken at entry {broken.sequence}: {broken.reason}", 1)
    console.print(f"audit chain intact: {count} entries verified")
