"""`openwarp mutualaid`: plan mutual aid from an instance file, outside the hub.

Thin on purpose: read the file, call the pure-core optimiser, print the plan. Bad
input is one line on stderr and exit code 2, so scripts can tell it from a crash.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import orjson
import typer

from openwarp.core.errors import InvalidInput, OpenWarpError
from openwarp.core.mutualaid import load_instance, plan_to_json, solve

EXIT_BAD_INPUT = 2
EXIT_SOLVER_FAILED = 1

app = typer.Typer(help="Mutual aid between members: plan who is lent where.")


@app.callback()
def mutualaid() -> None:
    """Mutual aid between members: plan who is lent where."""


@app.command("solve")
def solve_command(
    instance: Annotated[
        Path, typer.Argument(help="Instance JSON (responders, requests, conflicts).")
    ],
    exact: Annotated[
        bool, typer.Option("--exact", help="Solve with OR-Tools CP-SAT and prove optimality.")
    ] = False,
    time_limit: Annotated[
        float | None,
        typer.Option(
            "--time-limit",
            min=0.1,
            help="Seconds: CP-SAT's limit (default 60), or the default solver's (default 8).",
        ),
    ] = None,
) -> None:
    """Print the plan as JSON: assignments, coverage, travel_km, max_lent_by_one_org."""
    try:
        raw = instance.read_bytes()
    except OSError as exc:
        _fail(f"cannot read {instance}: {exc.strerror or exc}")
    try:
        parsed = load_instance(raw)
        plan = solve(parsed, method="exact" if exact else "default", time_limit=time_limit)
    except InvalidInput as exc:
        _fail(f"{instance}: {exc}")
    except OpenWarpError as exc:  # the solver itself failed: not the user's input
        _fail(f"{instance}: {exc}", code=EXIT_SOLVER_FAILED)
    for note in plan.notes:
        typer.echo(f"note: {note}", err=True)
    typer.echo(orjson.dumps(plan_to_json(parsed, plan), option=orjson.OPT_INDENT_2).decode())


def _fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    typer.echo(f"error: {' '.join(message.split())}", err=True)
    raise typer.Exit(code)
