"""The TAXII 2.1 endpoints. Discovery is `/taxii2/`; the hub has one API root,
`/taxii2/api/`. Each view parses, asks `stream` or `services`, and answers."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from openwarp.core.errors import InvalidInput, NotFound, PermissionDenied
from openwarp.core.sharing.stix_import import parse_timestamp
from openwarp.hub.members.policy import Viewer
from openwarp.hub.members.policy.taxii import may_add_to_collection
from openwarp.hub.taxii.collections import Collection, collection_for, collections_for
from openwarp.hub.taxii.http import (
    TAXII_MEDIA_TYPE,
    max_content_length,
    posted_envelope,
    taxii_endpoint,
    taxii_objects_response,
    taxii_response,
)
from openwarp.hub.taxii.models import AddStatus
from openwarp.hub.taxii.peers import peer_for_account
from openwarp.hub.taxii.services import add_status_record, reports_receive
from openwarp.hub.taxii.stream import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    Cursor,
    Filters,
    Page,
    page,
    taxii_timestamp,
)

STIX_MEDIA_TYPE = "application/stix+json;version=2.1"


def _viewer(request: HttpRequest) -> Viewer:
    return request.viewer  # type: ignore[attr-defined]


def _matches(request: HttpRequest, name: str) -> frozenset[str]:
    values = request.GET.getlist(f"match[{name}]")
    return frozenset(v.strip() for value in values for v in value.split(",") if v.strip())


def _limit(request: HttpRequest) -> int:
    text = request.GET.get("limit", "")
    if not text:
        return DEFAULT_LIMIT
    if not text.isdigit() or int(text) < 1:
        raise InvalidInput(f"limit must be a positive whole number, not {text!r}", field="limit")
    return min(int(text), MAX_LIMIT)


def _filters(request: HttpRequest, *, object_id: str | None = None) -> Filters:
    added_after = request.GET.get("added_after")
    versions = _matches(request, "version") or frozenset({"last"})
    for version in versions - {"first", "last", "all"}:
        parse_timestamp(version, "match[version]")
    ids = frozenset({object_id}) if object_id else _matches(request, "id")
    return Filters(
        added_after=parse_timestamp(added_after, "added_after") if added_after else None,
        ids=ids,
        types=_matches(request, "type"),
        versions=versions,
        spec_versions=_matches(request, "spec_version"),
        limit=_limit(request),
        cursor=Cursor.decode(request.GET["next"]) if request.GET.get("next") else None,
    )


def _headers(result: Page) -> dict[str, str]:
    if not result.entries:
        return {}
    return {
        "X-TAXII-Date-Added-First": taxii_timestamp(result.entries[0].added),
        "X-TAXII-Date-Added-Last": taxii_timestamp(result.entries[-1].added),
    }


def _listing(result: Page, key: str, items: Sequence[object]) -> dict[str, object]:
    body: dict[str, object] = {"more": result.more}
    if result.next:
        body["next"] = result.next
    if items:
        body[key] = items
    return body


def _collection(request: HttpRequest, collection_id: str) -> Collection:
    return collection_for(_viewer(request), collection_id)


@taxii_endpoint(public=True)
def discovery(request: HttpRequest) -> HttpResponse:
    root = reverse("taxii:api_root")
    return taxii_response(
        {
            "title": settings.HUB_NAME,
            "description": "TAXII 2.1 server of an openwarp hub.",
            "default": root,
            "api_roots": [root],
        }
    )


@taxii_endpoint()
def api_root(request: HttpRequest) -> HttpResponse:
    return taxii_response(
        {
            "title": f"{settings.HUB_NAME} reports",
            "description": "Reports members share, one collection per sharing scope.",
            "versions": [TAXII_MEDIA_TYPE],
            "max_content_length": max_content_length(),
        }
    )


@taxii_endpoint()
def collections(request: HttpRequest) -> HttpResponse:
    found = [collection.resource() for collection in collections_for(_viewer(request))]
    return taxii_response({"collections": found} if found else {})


@taxii_endpoint()
def collection(request: HttpRequest, collection_id: str) -> HttpResponse:
    return taxii_response(_collection(request, collection_id).resource())


def _add(request: HttpRequest, target: Collection) -> HttpResponse:
    viewer = _viewer(request)
    if not may_add_to_collection(viewer, target.distribution):
        raise PermissionDenied(f"the {target.alias} collection does not take objects from you")
    objects = posted_envelope(request)
    user = request.user
    if not user.is_authenticated:  # may_add_to_collection already needs a signed-in viewer
        raise PermissionDenied("sign in to add objects")
    with transaction.atomic():
        peer = peer_for_account(user=user)
        result = reports_receive(actor=user, objects=objects, peer=peer)
        status = add_status_record(actor=user, collection=target.id, objects=objects, result=result)
    return taxii_response(status.as_resource(), status=202)


@taxii_endpoint(methods=("GET", "POST"))
def objects(request: HttpRequest, collection_id: str) -> HttpResponse:
    target = _collection(request, collection_id)
    if request.method == "POST":
        return _add(request, target)
    result = page(_viewer(request), target, _filters(request))
    return _objects_response(result)


def _objects_response(result: Page) -> HttpResponse:
    """An envelope written from the objects' stored JSON, not rebuilt."""
    return taxii_objects_response(
        _listing(result, "objects", []),
        [entry.obj.raw for entry in result.entries],
        headers=_headers(result),
    )


@taxii_endpoint()
def manifest(request: HttpRequest, collection_id: str) -> HttpResponse:
    target = _collection(request, collection_id)
    result = page(_viewer(request), target, _filters(request))
    items = [
        {
            "id": entry.obj.id,
            "date_added": taxii_timestamp(entry.added),
            "version": entry.obj.version,
            "media_type": STIX_MEDIA_TYPE,
        }
        for entry in result.entries
    ]
    return taxii_response(_listing(result, "objects", items), headers=_headers(result))


def _one(request: HttpRequest, collection_id: str, object_id: str) -> Page:
    target = _collection(request, collection_id)
    result = page(_viewer(request), target, _filters(request, object_id=object_id))
    if not result.entries:
        raise NotFound(f"no object {object_id!r} in this collection")
    return result


@taxii_endpoint()
def object_detail(request: HttpRequest, collection_id: str, object_id: str) -> HttpResponse:
    return _objects_response(_one(request, collection_id, object_id))


@taxii_endpoint()
def object_versions(request: HttpRequest, collection_id: str, object_id: str) -> HttpResponse:
    result = _one(request, collection_id, object_id)
    items = sorted({entry.obj.version for entry in result.entries})
    return taxii_response(_listing(result, "versions", list(items)), headers=_headers(result))


@taxii_endpoint()
def status(request: HttpRequest, status_id: str) -> HttpResponse:
    viewer = _viewer(request)
    found = AddStatus.objects.filter(pk=status_id).first()
    if found is None or (found.user_id != viewer.user_id and not viewer.runs_hub):
        raise NotFound("no such status")
    return taxii_response(found.as_resource())
