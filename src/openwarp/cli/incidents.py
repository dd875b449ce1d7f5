"""`openwarp incident`: list and show incidents from a hub, with a member's or the hub's token.

Thin over the hub's API (`/api/v1/incidents`): the hub decides what the token may
see (its organisation's incidents, or every one for a coordinator's token), so
this command never filters anything itself. The 72-hour clocks come computed from
the hub. Exit codes: 0 done, 1 the hub refused or could not be reached, 2 bad
arguments.
"""

from __future__ import annotations

from typing import Annotated, Any, NoReturn

import orjson
import typer
from rich.console import Console
from rich.table import Table

from openwarp.cli.hub_client import Hub, HubError

app = typer.Typer(help="Incidents recorded on a hub: list them and show one.")

HubOption = Annotated[str, typer.Option("--hub", envvar="OPENWARP_HUB", help="The hub's address.")]
TokenOption = Annotated[
    str, typer.Option("--token", envvar="OPENWARP_TOKEN", help="An API token for the hub.")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the hub's JSON as it is.")]


@app.callback()
def incident() -> None:
    """Incidents recorded on a hub: list them and show one."""


def _call(hub_url: str, token: str, path: str) -> Any:
    try:
        return Hub(hub_url, token).call("GET", path)
    except HubError as error:
        _fail(str(error), code=2 if "--hub must be" in str(error) else 1)


def _fail(message: str, code: int) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _clock(clock: dict[str, Any] | None) -> str:
    return "–" if clock is None else str(clock["summary"])


@app.command("list")
def list_command(
    hub: HubOption,
    token: TokenOption,
    status: Annotated[str, typer.Option(help="Only this status (open, contained, ...).")] = "",
    as_json: JsonOption = False,
) -> None:
    """The incidents the token may see, newest first, with their ICO and NIS clocks."""
    path = "/incidents" + (f"?status={status}" if status else "")
    found = _call(hub, token, path)
    if as_json:
        typer.echo(orjson.dumps(found, option=orjson.OPT_INDENT_2).decode())
        return
    table = Table("id", "title", "organisation", "NCSC", "status", "ICO clock", "NIS clock")
    for item in found:
        table.add_row(
            str(item["id"]),
            item["title"],
            item["organisation"],
            item["ncsc_category"],
            item["status"],
            _clock(item["ico_clock"]),
            _clock(item["nis_clock"]),
        )
    Console(width=200).print(table)
    typer.echo(f"{len(found)} incident(s)", err=True)


@app.command("show")
def show_command(
    incident_id: Annotated[str, typer.Argument(help="The incident's id (from `list`).")],
    hub: HubOption,
    token: TokenOption,
    as_json: JsonOption = False,
) -> None:
    """One incident: summary, clocks, timeline, tasks, related reports and indicators."""
    found = _call(hub, token, f"/incidents/{incident_id}")
    if as_json:
        typer.echo(orjson.dumps(found, option=orjson.OPT_INDENT_2).decode())
        return
    lines = [
        f"{found['title']} ({found['organisation']})",
        f"NCSC {found['ncsc_category']} · {found['status']} · started {found['started_at']} "
        f"· detected {found['detected_at']}",
        f"ICO: {_clock(found['ico_clock'])}",
        f"NIS: {_clock(found['nis_clock'])}",
        "",
        "Timeline:",
        *_or_none([f"  {e['at']}  {e['text']}" for e in found["timeline"]]),
        "Tasks:",
        *_or_none([f"  [{'x' if t['done'] else ' '}] {t['title']}" for t in found["tasks"]]),
        "Indicators:",
        *_or_none(
            [f"  {i['kind']}: {i['value']} (TLP:{i['tlp'].upper()})" for i in found["indicators"]]
        ),
    ]
    typer.echo("\n".join(lines))


def _or_none(lines: list[str]) -> list[str]:
    return lines or ["  (none)"]
