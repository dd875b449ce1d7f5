"""Organisations, people and tokens from the command line (the hub operator's view)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import typer
from rich.table import Table

from openwarp.cli.django_setup import DataDirOption, console, errors_as_exit_codes, fail, setup

org_app = typer.Typer(help="Member organisations.", no_args_is_help=True)
user_app = typer.Typer(help="People with accounts on the hub.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens.", no_args_is_help=True)


def _print_rows(
    rows: Sequence[Mapping[str, object]], *, as_json: bool, noun: str, columns: tuple[str, ...]
) -> None:
    """JSON (every field) for scripts, or a table of the main columns for people."""
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    table = Table(title=f"{len(rows)} {noun}")
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*("" if row[column] is None else str(row[column]) for column in columns))
    console.print(table)


@org_app.command("add")
def org_add(
    name: str = typer.Argument(..., help="Official name, e.g. 'Derby City Council'."),
    org_type: str = typer.Option(
        ...,
        "--type",
        help="county, district, unitary, metropolitan, "
        "london_borough, nhs_trust, icb, school, fire, police or other.",
    ),
    region: str = typer.Option("Region", help="Region name (created if new)."),
    parent: str | None = typer.Option(None, help="The county a district sits in (name or slug)."),
    population: int | None = typer.Option(None, min=0),
    subregion: str = typer.Option("", help="Sub-region or Local Resilience Forum."),
    cidr: list[str] = typer.Option([], "--cidr", help="A public IP range; repeat for more."),
    domain: list[str] = typer.Option([], "--domain", help="An internet domain; repeat for more."),
    data_dir: Path | None = DataDirOption,
) -> None:
    """Add a member organisation, with its ranges and domains, all or nothing."""
    setup(data_dir)
    from django.db import transaction

    from openwarp.hub.members.services import organisations as services

    with errors_as_exit_codes(), transaction.atomic():
        parent_org = services.organisation_get(slug_or_name=parent) if parent else None
        organisation = services.organisation_create(
            actor=None,
            name=name,
            org_type=org_type,
            region=services.region_get_or_create(name=region),
            parent=parent_org,
            population=population,
            subregion=subregion,
        )
        for value in cidr:
            services.network_range_add(actor=None, organisation=organisation, cidr=value)
        for value in domain:
            services.domain_add(actor=None, organisation=organisation, name=value)
    console.print(f"added {organisation.name} ({organisation.slug})")


@org_app.command("list")
def org_list(
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
    data_dir: Path | None = DataDirOption,
) -> None:
    """List member organisations."""
    setup(data_dir)
    from openwarp.hub.members.models import Organisation

    rows = [
        {
            "slug": o.slug,
            "name": o.name,
            "type": o.org_type,
            "parent": o.parent.slug if o.parent else None,
            "population": o.population,
            "subregion": o.subregion,
            "region": o.region.name,
        }
        for o in Organisation.objects.select_related("parent", "region")
    ]
    _print_rows(
        rows,
        as_json=as_json,
        noun="organisations",
        columns=("name", "type", "parent", "population", "subregion"),
    )


@user_app.command("list")
def user_list(
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
    data_dir: Path | None = DataDirOption,
) -> None:
    """List accounts: e-mail, organisation, role."""
    setup(data_dir)
    from openwarp.hub.members.models import User

    rows = [
        {
            "email": u.email,
            "name": u.full_name,
            "organisation": u.organisation.name if u.organisation else None,
            "role": u.role,
            "active": u.is_active,
            "totp": u.has_totp,
        }
        for u in User.objects.select_related("organisation")
    ]
    _print_rows(
        rows,
        as_json=as_json,
        noun="accounts",
        columns=("email", "organisation", "role", "active", "totp"),
    )


@token_app.command("create")
def token_create(
    user: str = typer.Option(..., "--user", help="E-mail of the account the token acts as."),
    scope: str = typer.Option("read", help="read or write."),
    expires_days: int = typer.Option(90, "--expires-days", help="Days until it expires."),
    name: str = typer.Option("CLI token", help="What the token is for."),
    data_dir: Path | None = DataDirOption,
) -> None:
    """Create an API token and print it (only once: it is stored hashed)."""
    setup(data_dir)
    from openwarp.hub.members.models import User
    from openwarp.hub.members.services.tokens import token_create as create

    account = User.objects.filter(email=user.strip().lower()).first()
    if account is None:
        raise fail(f"user: no account {user!r}", 4)
    with errors_as_exit_codes():
        issued = create(actor=None, user=account, name=name, scope=scope, expires_days=expires_days)
    typer.echo(issued.secret)


def createadmin(
    email: str = typer.Option(..., help="E-mail address to sign in with."),
    name: str = typer.Option("Hub admin", help="Full name."),
    password: str = typer.Option(
        ...,
        prompt=True,
        hide_input=True,
        confirmation_prompt=True,
        envvar="OPENWARP_ADMIN_PASSWORD",
    ),
    data_dir: Path | None = DataDirOption,
) -> None:
    """Create a hub admin. They must set up an authenticator at first sign-in."""
    setup(data_dir)
    from openwarp.hub.members.services.people import user_create

    with errors_as_exit_codes():
        user = user_create(
            actor=None,
            email=email,
            full_name=name,
            role="admin",
            organisation=None,
            password=password,
        )
    console.print(f"created admin {user.email}")
