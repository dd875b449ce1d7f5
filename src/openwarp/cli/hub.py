"""Running the hub: migrate, serve, worker, demo."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import typer

from openwarp.cli.django_setup import (
    DataDirOption,
    call_command,
    console,
    errors_as_exit_codes,
    setup,
)

DEMO_PASSWORD = "openwarp-demo-2026"


def migrate(data_dir: Path | None = DataDirOption) -> None:
    """Create or update the hub's database tables."""
    setup(data_dir)
    call_command("migrate", interactive=False, verbosity=0)
    console.print("database is up to date")


def _serve(host: str, port: int, threads: int) -> None:
    from waitress import serve as waitress_serve

    from openwarp.hub.wsgi import application

    console.print(f"openwarp hub on [bold]http://{host}:{port}/[/] (Ctrl+C to stop)")
    waitress_serve(application, host=host, port=port, threads=threads, ident="openwarp")


def _allow_host(host: str) -> None:
    if host not in ("0.0.0.0", "::"):  # noqa: S104 - the operator chose to listen widely
        hosts = os.environ.get("OPENWARP_ALLOWED_HOSTS", "127.0.0.1,localhost")
        if host not in hosts.split(","):
            os.environ["OPENWARP_ALLOWED_HOSTS"] = f"{hosts},{host}"


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    threads: int = typer.Option(8, help="Request threads."),
    data_dir: Path | None = DataDirOption,
) -> None:
    """Serve the hub (web UI, API, health check). Runs migrations first."""
    _allow_host(host)
    setup(data_dir)
    call_command("migrate", interactive=False, verbosity=0)
    _serve(host, port, threads)


def worker(
    queues: str = typer.Option("*", help="Comma-separated queue names, or * for all."),
    batch: bool = typer.Option(False, help="Exit when the queue is empty."),
    heartbeat: float = typer.Option(5.0, min=0.1, help="Seconds between liveness beats."),
    stale_after: float = typer.Option(
        30.0,
        min=0.5,
        help="Seconds of silence after which a worker counts as dead and its "
        "running tasks are queued again.",
    ),
    data_dir: Path | None = DataDirOption,
) -> None:
    """Run background tasks. Tasks left by a killed worker are picked up again."""
    setup(data_dir)
    from datetime import timedelta

    from openwarp.hub.jobs.worker import worker_run

    worker_run(
        queues=queues,
        batch=batch,
        heartbeat_seconds=heartbeat,
        stale_after=timedelta(seconds=stale_after),
    )


def _print_logins(logins: list[dict[str, str]], password: str) -> None:
    """One line per login, never truncated, so it can be copied from any terminal."""
    console.print(f"\n[bold]Demo logins[/] (password for all: [bold]{password}[/])")
    for login in logins:
        where = f" ({login['organisation']})" if login["organisation"] else ""
        line = f"  {login['role']:<24} {login['email']}{where}"
        if login["totp_secret"]:
            line += f"  authenticator secret: {login['totp_secret']}"
        console.print(line, highlight=False, soft_wrap=True)
    console.print(
        "Coordinator and admin accounts need a code: add the secret to an authenticator "
        "app, or run [bold]openwarp totp-code SECRET[/].\n",
        soft_wrap=True,
    )


def demo(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    data_dir: Path | None = typer.Option(
        None,
        "--data-dir",
        envvar="OPENWARP_DATA_DIR",
        help="Keep the demo here (default: a new temporary directory).",
    ),
    no_serve: bool = typer.Option(False, "--no-serve", help="Seed, print logins, and exit."),
) -> None:
    """Seed a realistic demo region (East Midlands) and serve it."""
    directory = data_dir or Path(tempfile.mkdtemp(prefix="openwarp-demo-"))
    directory.mkdir(parents=True, exist_ok=True)
    hub_file = directory / "openwarp.toml"
    if not hub_file.exists():
        hub_file.write_text('[hub]\nname = "East Midlands WARP"\n')
    _allow_host(host)
    setup(directory)
    call_command("migrate", interactive=False, verbosity=0)
    from openwarp.hub.demo import demo_seed
    from openwarp.hub.members.models import Organisation

    if Organisation.objects.exists():
        console.print(f"demo data already in {directory}; serving it as it is")
    else:
        with errors_as_exit_codes():
            context = demo_seed(password=DEMO_PASSWORD)
        console.print(f"seeded {len(context.organisations)} organisations in {directory}")
        _print_logins(context.logins, DEMO_PASSWORD)
    if not no_serve:
        _serve(host, port, threads=8)


def totp_code(secret: str = typer.Argument(..., help="A base32 authenticator secret.")) -> None:
    """Print the current 6-digit code for an authenticator secret (for the demo)."""
    import pyotp

    console.print(pyotp.TOTP(secret.replace(" ", "")).now())
