"""Regional figures page: open incidents and breaches by organisation type."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from openwarp.hub.incidents.selectors.figures import regional_figures
from openwarp.hub.members.policy import K_ANONYMITY
from openwarp.hub.web.decorators import MemberRequest, member_view


@member_view()
def figures(request: MemberRequest) -> HttpResponse:
    return render(
        request,
        "incidents/figures.html",
        {"figures": regional_figures(viewer=request.viewer), "k": K_ANONYMITY},
    )
