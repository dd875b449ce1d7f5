"""Starting Django from the CLI, and turning service errors into exit codes."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from openwarp.core.errors import (
    AuthenticationFailed,
    Conflict,
    InvalidInput,
    NotFound,
    OpenWarpError,
    PermissionDenied,
)

err_console = Console(stderr=True)
console = Console()

EXIT_CODES: dict[type[OpenWarpError], int] = {
    InvalidInput: 2,
    Conflict: 3,
    NotFound: 4,
    PermissionDenied: 5,
    AuthenticationFailed: 6,
}

DataDirOption = typer.Option(
    None,
    "--data-dir",
    envvar="OPENWARP_DATA_DIR",
    help="Where the hub keeps its SQLite database and secret key.",
)


def setup(data_dir: Path | None = None) -> None:
    """Point Django at the data directory, then start it. Safe to call twice."""
    if data_dir is not None:
        os.environ["OPENWARP_DATA_DIR"] = str(data_dir.expanduser().resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openwarp.hub.settings")
    import django

    django.setup()


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print one line to stderr and return the Exit to raise."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


@contextmanager
def errors_as_exit_codes() -> Iterator[None]:
    try:
        yield
    except OpenWarpError as error:
        raise fail(str(error), EXIT_CODES.get(type(error), 2)) from None


def call_command(name: str, *args: Any, **options: Any) -> None:
    from django.core.management import call_command as django_call

    django_call(name, *args, **options)


def run_guarded(main: Callable[[], Any]) -> None:
    try:
        main()
    except KeyboardInterrupt:
        err_console.print("interrupted")
        sys.exit(130)
