"""Finding each capability's pieces, so adding an app is one line in settings.

An app under `openwarp.hub` may have `urls.py` (pages, mounted at the root),
`api.py` with a `router` (mounted under /api/v1 at its `API_PREFIX`, default
"/") and `demo.py` (see `hub/demo.py`).
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Iterator
from types import ModuleType

from django.apps import apps

# The web app's catch-all dashboard must come after every other app's pages.
LAST = "openwarp.hub.web"


def hub_app_names() -> list[str]:
    names = [c.name for c in apps.get_app_configs() if c.name.startswith("openwarp.hub.")]
    return sorted(names, key=lambda name: name == LAST)


def capability_modules(module: str) -> Iterator[tuple[str, ModuleType]]:
    for name in hub_app_names():
        full = f"{name}.{module}"
        if importlib.util.find_spec(full) is not None:
            yield name, importlib.import_module(full)
