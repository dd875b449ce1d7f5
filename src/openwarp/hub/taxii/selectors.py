"""Reads for the federation pages: the peers and how their exchanges went."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from openwarp.hub.taxii.models import FederationRun, Peer


@dataclass(frozen=True)
class PeerRow:
    peer: Peer
    last_run: FederationRun | None
    received: int


def federation_peers_list() -> list[PeerRow]:
    """Every peer with its latest run and how many reports it sent, by name."""
    peers = list(
        Peer.objects.select_related("account").annotate(received=Count("reports")).order_by("name")
    )
    latest: dict[int, FederationRun] = {}
    for run in FederationRun.objects.filter(peer__in=peers).order_by("peer_id", "-started_at"):
        latest.setdefault(run.peer_id, run)
    return [PeerRow(peer, latest.get(peer.pk), peer.received) for peer in peers]


def federation_runs_recent(*, limit: int = 20) -> list[FederationRun]:
    return list(FederationRun.objects.select_related("peer")[:limit])
