"""Seeding the demo region.

Each app that has demo data gives a `demo` module with `seed(context)`; they
run in INSTALLED_APPS order, so later capabilities build on the members and
organisations seeded first. Seeding runs once per database.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import transaction


@dataclass
class DemoContext:
    """What seeders share: objects by seed code and the logins to print."""

    password: str
    organisations: dict[str, Any] = field(default_factory=dict)
    people: dict[str, Any] = field(default_factory=dict)
    logins: list[dict[str, str]] = field(default_factory=list)


def demo_seeders() -> list[Any]:
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("openwarp.hub."):
            continue
        name = f"{config.name}.demo"
        if importlib.util.find_spec(name) is not None:
            modules.append(importlib.import_module(name))
    return modules


@transaction.atomic
def demo_seed(*, password: str) -> DemoContext:
    context = DemoContext(password=password)
    for module in demo_seeders():
        module.seed(context)
    return context
