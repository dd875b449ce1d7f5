from __future__ import annotations

from typing import Any

import pytest

from tests.hub.mutualaid.factories import locate, scene
from tests.world import World


@pytest.fixture
def located(world: World) -> World:
    locate(world)
    return world


@pytest.fixture
def aid_scene(world: World) -> dict[str, Any]:
    return scene(world)
