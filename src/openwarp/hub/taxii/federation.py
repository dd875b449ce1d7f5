"""Federation with another hub over TAXII 2.1, through `taxii2-client`.

`federation_pull` reads the peer's `federation` collection (every page,
then receives it in one transaction, so a report and its indicators are
never split) and keeps the CLEAR and GREEN reports. It resumes where the last
pull from that peer stopped: the peer's `X-TAXII-Date-Added-Last` of the last
page, kept on the `Peer` (the peer's clock, not ours, so a skew between the
two hubs loses nothing). `federation_push` posts
what this hub may federate, as another hub would read it (`FEDERATION_PEER`:
no anonymous reporter's identity, no AMBER or RED, nothing that came from a
third hub), to the peer's inbox in batches that never split a report.
The peer's token is the API token of an account on the peer hub: any member
may pull; pushing needs a coordinator's (or admin's) write token there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any, TypeVar

import requests
from django.db import transaction
from taxii2client.exceptions import TAXIIServiceException
from taxii2client.v21 import Collection as PeerCollection
from taxii2client.v21 import Server, as_pages

from openwarp.core.errors import AuthenticationFailed, InvalidInput, NotFound, PermissionDenied
from openwarp.core.sharing.stix_export import StixObject
from openwarp.core.sharing.stix_import import parse_timestamp
from openwarp.hub.members.policy.taxii import FEDERATION_PEER
from openwarp.hub.taxii.collections import collection_for
from openwarp.hub.taxii.models import Peer
from openwarp.hub.taxii.peers import discovery_url, peer_for_url, peer_pulled
from openwarp.hub.taxii.services import ReceiveResult, reports_receive
from openwarp.hub.taxii.stream import PRELUDE_KEY, Filters, groups, taxii_timestamp

PAGE = 1000
T = TypeVar("T")


class BearerToken(requests.auth.AuthBase):
    """The hub's API token, sent as `Authorization: Bearer`.

    It also notes the latest `X-TAXII-Date-Added-Last` the peer answered with
    (taxii2-client hands back only the body), which is where the next pull resumes."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.added_last: datetime | None = None

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self.token}"
        request.register_hook("response", self._note_added_last)
        return request

    def _note_added_last(self, response: requests.Response, **_: Any) -> requests.Response:
        text = response.headers.get("X-TAXII-Date-Added-Last")
        if response.ok and text:
            try:
                moment = parse_timestamp(text, "X-TAXII-Date-Added-Last")
            except InvalidInput:
                return response  # a peer's bad header only costs a longer next pull
            if self.added_last is None or moment > self.added_last:
                self.added_last = moment
        return response


@contextmanager
def _peer_errors(url: str) -> Iterator[None]:
    """The peer's HTTP failures as the project's errors, each one line."""
    try:
        yield
    except requests.HTTPError as error:
        status = error.response.status_code if error.response is not None else 0
        if status == 401:
            raise AuthenticationFailed(f"{url} refused the token") from None
        if status == 403:
            raise PermissionDenied(f"{url} does not let this token do that") from None
        raise InvalidInput(f"{url} answered HTTP {status}", field="peer") from None
    except (requests.ConnectionError, requests.Timeout) as error:
        raise InvalidInput(f"cannot reach {url} ({type(error).__name__})", field="peer") from None
    except (TAXIIServiceException, ValueError) as error:
        raise InvalidInput(f"{url} is not a TAXII 2.1 server ({error})", field="peer") from None


@dataclass
class Connection:
    title: str
    inbox: PeerCollection
    auth: BearerToken


def peer_connect(*, url: str, token: str) -> Connection:
    """The peer's name and its federation collection."""
    auth = BearerToken(token)
    with _peer_errors(url):
        server = Server(discovery_url(url), auth=auth)
        root = server.default or (server.api_roots[0] if server.api_roots else None)
        if root is None:
            raise NotFound(f"{url} offers no TAXII API root")
        for collection in root.collections:
            if collection.alias == "federation" or collection.title == "Federation":
                return Connection(title=server.title, inbox=collection, auth=auth)
    raise NotFound(f"{url} has no federation collection this token may read")


def _with_peer[T](url: str, action: Callable[[], T]) -> T:
    with _peer_errors(url):
        return action()


@dataclass
class PullResult:
    received: ReceiveResult
    peer: Peer
    added_after: datetime | None


def federation_pull(*, url: str, token: str, added_after: datetime | None = None) -> PullResult:
    """Receive the peer's federable reports added after `added_after`, or
    else after where the last pull from this peer stopped (all the first time)."""
    connection = peer_connect(url=url, token=token)
    peer = peer_for_url(url=url, title=connection.title)
    since = added_after if added_after is not None else peer.pulled_until
    filters: dict[str, Any] = {}
    if since is not None:
        filters["added_after"] = taxii_timestamp(since)

    def read_all() -> list[StixObject]:
        found: list[StixObject] = []
        for envelope in as_pages(connection.inbox.get_objects, per_request=PAGE, **filters):
            found += envelope.get("objects", [])
        return found

    objects = _with_peer(url, read_all)
    with transaction.atomic():
        received = reports_receive(actor=None, objects=objects, peer=peer)
        peer_pulled(peer=peer, until=connection.auth.added_last)
    return PullResult(received=received, peer=peer, added_after=since)


def push_batches(limit: int = PAGE) -> Iterator[list[StixObject]]:
    """This hub's federable objects in envelopes of about `limit` objects.

    A report and its indicators stay together, and each batch repeats the
    markings and identities its reports need, so the peer can read each one
    on its own."""
    collection = collection_for(FEDERATION_PEER, "federation")
    context: dict[str, StixObject] = {}
    batch: list[StixObject] = []
    for _, key, objects in groups(FEDERATION_PEER, collection, Filters(limit=limit)):
        for obj in objects:
            if key == PRELUDE_KEY or obj.type == "identity":
                context[obj.id] = obj.as_dict()
            else:
                batch.append(obj.as_dict())
        if len(batch) >= limit:
            yield [*context.values(), *batch]
            batch = []
    if batch:
        yield [*context.values(), *batch]


@dataclass
class PushResult:
    batches: int = 0
    accepted: int = 0
    refused: int = 0


def federation_push(*, url: str, token: str) -> PushResult:
    """Post this hub's federable reports to the peer's federation inbox."""
    peer = peer_connect(url=url, token=token)
    if not peer.inbox.can_write:
        raise PermissionDenied(f"{url} does not let this token add to its federation inbox")
    result = PushResult()
    for batch in push_batches():
        envelope = {"objects": batch}
        status = _with_peer(url, partial(peer.inbox.add_objects, envelope, False))
        result.batches += 1
        result.accepted += status.success_count or 0
        result.refused += status.failure_count or 0
    return result
