"""Seeding the demo region.

Each app that has demo data gives a `demo` module with `seed(context)`; they
run in INSTALLED_APPS order, so later capabilities build on the members and
organisations seeded first. Seeding runs once per database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from openwarp.hub.capabilities import capability_modules


@dataclass
class DemoContext:
    """What seeders share: objects by seed code and the logins to print."""

    password: str
    organisations: dict[str, Any] = field(default_factory=dict)
    people: dict[str, Any] = field(default_factory=dict)
    logins: list[dict[str, str]] = field(default_factory=list)


def demo_seeders() -> list[Any]:
    return [module for _, module in capability_modules("demo")]


@transaction.atomic
def demo_seed(*, password: str) -> DemoContext:
    context = DemoContext(password=password)
    for module in demo_seeders():
        module.seed(context)
    return context
