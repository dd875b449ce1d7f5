"""The TAXII matrix rows walked as a TAXII client: token, TAXII media type."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from openwarp.hub.members.policy import Role
from tests.hub.permission_matrix import Row
from tests.hub.taxii.helpers import TAXII
from tests.hub.taxii.matrix_rows import PAGES, WRITES
from tests.world import World

VIEWERS: list[Role | None] = [None, *Role]
ROWS = [row for row in PAGES + WRITES if "html" not in row.tags]


def _ids(rows: list[Row]) -> list[str]:
    return [f"{r.method} {r.target} {r.args.__name__} {r.note}".strip() for r in rows]


@pytest.mark.parametrize("viewer", VIEWERS, ids=lambda v: v.value if v else "visitor")
@pytest.mark.parametrize("row", ROWS, ids=[f"{i}" for i in range(len(ROWS))])
def test_taxii_access_with_tokens(world: World, row: Row, viewer: Role | None) -> None:
    client = world.api(viewer)
    url = reverse(row.target, args=row.args(world))
    if row.method == "POST":
        response = client.post(
            url, json.dumps(row.data(world)), content_type=TAXII, HTTP_ACCEPT=TAXII
        )
    else:
        response = client.get(url, HTTP_ACCEPT=TAXII)
    assert response["Content-Type"] == TAXII
    outcome = "allow" if 200 <= response.status_code < 300 else "refuse"
    if outcome == "refuse":
        assert response.status_code in (401, 403, 404), response.content
    assert outcome == row.expect[viewer], f"{viewer} {row.method} {url}: {response.content[:300]!r}"
