"""Builders for small mutual-aid instances: one eligible pair by default, then vary one thing."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from openwarp.core.mutualaid import Instance, instance_from_data

Data = dict[str, Any]

BASE_RESPONDER: Data = {
    "id": "alice",
    "org": "leicester",
    "skills": {"forensic_analyst": 2},
    "vetted": True,
    "location": [52.6369, -1.1398],  # Leicester
    "available_from": "2025-03-01T00:00:00Z",
    "available_to": "2025-03-15T00:00:00Z",
    "max_days": 5,
}
BASE_REQUEST: Data = {
    "id": "redcar-ransomware",
    "org": "nottingham",
    "priority": 4,
    "location": [52.9548, -1.1581],  # Nottingham
    "start": "2025-03-03T09:00:00Z",
    "days": 3,
    "needs": [{"skill": "forensic_analyst", "min_level": 2, "people": 1, "vetting_required": True}],
}


def responder(**changes: Any) -> Data:
    data = copy.deepcopy(BASE_RESPONDER)
    data.update(changes)
    return data


def request(**changes: Any) -> Data:
    data = copy.deepcopy(BASE_REQUEST)
    data.update(changes)
    return data


def need(**changes: Any) -> Data:
    data = copy.deepcopy(BASE_REQUEST["needs"][0])
    data.update(changes)
    return data


def build(
    responders: list[Data] | None = None,
    requests: list[Data] | None = None,
    conflicts: list[list[str]] | None = None,
) -> Instance:
    return instance_from_data(
        {
            "responders": responders if responders is not None else [responder()],
            "requests": requests if requests is not None else [request()],
            "conflicts": conflicts or [],
        }
    )


class Builders:
    responder = staticmethod(responder)
    request = staticmethod(request)
    need = staticmethod(need)
    build = staticmethod(build)


@pytest.fixture
def make() -> type[Builders]:
    return Builders
