"""The `openwarp` command."""

from __future__ import annotations

import typer

from openwarp.cli import exposure, federation, feeds, hub, incidents, mutualaid, notify
from openwarp.cli.audit import audit_app
from openwarp.cli.django_setup import run_guarded
from openwarp.cli.members import createadmin, org_app, token_app, user_app
from openwarp.cli.sweep import sweep_command

app = typer.Typer(
    name="openwarp",
    help="openwarp: a regional Warning, Advice and Reporting Point hub.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

app.command()(hub.serve)
app.command()(hub.worker)
app.command()(hub.demo)
app.command()(hub.migrate)
app.command("totp-code")(hub.totp_code)
app.command("sweep")(sweep_command)
app.command()(createadmin)
app.add_typer(org_app, name="org")
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")
app.add_typer(audit_app, name="audit")
app.add_typer(mutualaid.app, name="mutualaid")
app.add_typer(incidents.app, name="incident")
app.add_typer(exposure.app, name="exposure")
app.add_typer(feeds.app, name="feeds")
app.add_typer(federation.app, name="federation")
app.add_typer(notify.app, name="notify")


def run() -> None:
    run_guarded(app)
