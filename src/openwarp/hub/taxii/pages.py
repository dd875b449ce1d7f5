"""The coordinator's federation page: each peer, its schedule and last run."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from openwarp.core.errors import OpenWarpError, PermissionDenied
from openwarp.hub.members.policy.taxii import may_run_federation, may_see_federation_peers
from openwarp.hub.taxii.models import Peer
from openwarp.hub.taxii.schedule import federation_run_now
from openwarp.hub.taxii.selectors import federation_peers_list, federation_runs_recent
from openwarp.hub.web.decorators import MemberRequest, member_view


@member_view()
def peers(request: MemberRequest) -> HttpResponse:
    if not may_see_federation_peers(request.viewer):
        raise PermissionDenied("only the hub's coordinators see the federation peers")
    context = {"rows": federation_peers_list(), "runs": federation_runs_recent()}
    return render(request, "taxii/peers.html", context)


@require_POST
@member_view()
def peer_run(request: MemberRequest, peer_id: int) -> HttpResponse:
    if not may_run_federation(request.viewer):
        raise PermissionDenied("only the hub's coordinators start federation runs")
    peer = get_object_or_404(Peer, pk=peer_id)
    try:
        federation_run_now(actor=request.user, peer=peer)
    except OpenWarpError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"A run with {peer.name} is queued for the worker.")
    return redirect("taxii:peers")
