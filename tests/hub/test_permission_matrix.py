"""Walks every page and API operation for every role; see permission_matrix.py."""

from __future__ import annotations

import json

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from openwarp.hub.api import api
from openwarp.hub.members.policy import Role
from tests.hub.permission_matrix import ALLOW, COVERED_BY_FAMILY, Row, capability_rows

PAGES, API = capability_rows()

VIEWERS: list[Role | None] = [None, *Role]


def _url_names(resolver: URLResolver, prefix: str = "") -> set[str]:
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            names |= _url_names(pattern, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(prefix + pattern.name)
    return names


def test_every_page_has_a_row() -> None:
    names = {
        name
        for name in _url_names(get_resolver())
        if not name.startswith(("api:", *COVERED_BY_FAMILY))
    }
    covered = {row.target for row in PAGES}
    assert names - covered == set(), "add rows to tests/hub/permission_matrix.py"


def test_every_api_operation_has_a_row() -> None:
    schema = api.get_openapi_schema()
    operations = {
        f"{method.upper()} {path}"
        for path, methods in schema["paths"].items()
        for method in methods
    }
    covered = {row.target for row in API}
    assert operations - covered == set(), "add rows to tests/hub/permission_matrix.py"


def _outcome(response, api_call: bool) -> str:  # type: ignore[no-untyped-def]
    status = response.status_code
    if status >= 500:
        raise AssertionError(f"server error {status}")
    if status in (401, 403, 404):
        return "refuse"
    if status in (301, 302):
        location = response["Location"]
        return "refuse" if ("sign-in" in location or "login" in location) else ALLOW
    assert 200 <= status < 300, f"unexpected status {status}"
    return ALLOW


def _ids(rows: list[Row]) -> list[str]:
    return [f"{row.method} {row.target} {row.note or ''}".strip() for row in rows]


@pytest.mark.parametrize("viewer", VIEWERS, ids=lambda v: v.value if v else "visitor")
@pytest.mark.parametrize("row", PAGES, ids=_ids(PAGES))
def test_page_access(world, row: Row, viewer: Role | None) -> None:  # type: ignore[no-untyped-def]
    client = world.client(viewer)
    url = reverse(row.target, args=row.args(world))
    send = client.post if row.method == "POST" else client.get
    response = send(url, row.data(world))
    assert _outcome(response, api_call=False) == row.expect[viewer], (
        f"{viewer} {row.method} {url}: {response.status_code}"
    )


@pytest.mark.parametrize("viewer", VIEWERS, ids=lambda v: v.value if v else "visitor")
@pytest.mark.parametrize("row", API, ids=_ids(API))
def test_api_access(world, row: Row, viewer: Role | None) -> None:  # type: ignore[no-untyped-def]
    client = world.api(viewer)
    method, path = row.target.split(" ", 1)
    url = row.api_path(world) if row.api_path else path
    if method == "GET":
        response = client.get(url)
    else:
        body = json.dumps(row.data(world))
        response = client.generic(method, url, body, content_type="application/json")
    assert _outcome(response, api_call=True) == row.expect[viewer], (
        f"{viewer} {method} {url}: {response.status_code} {response.content[:200]!r}"
    )


WRITE_OPERATIONS = sorted({row.target for row in API if not row.target.startswith("GET ")})


@pytest.mark.parametrize("target", WRITE_OPERATIONS)
def test_a_read_only_token_changes_nothing_through_any_operation(world, target: str) -> None:  # type: ignore[no-untyped-def]
    """Every role's read token, on every operation that is not a GET, is refused."""
    from openwarp.hub.members.services.tokens import token_create

    row = next(r for r in API if r.target == target)
    method, path = target.split(" ", 1)
    url = row.api_path(world) if row.api_path else path
    for role in (Role.SECURITY_LEAD, Role.COORDINATOR, Role.ADMIN):
        secret = token_create(actor=None, user=world.users[role], name="read", scope="read").secret
        response = world.api(None).generic(
            method,
            url,
            json.dumps(row.data(world)),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {secret}",
        )
        assert response.status_code == 403, (
            f"{role} read token {method} {url}: {response.status_code}"
        )
