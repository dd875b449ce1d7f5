"""Dashboards and the health check."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from openwarp import __version__
from openwarp.hub.audit.selectors import audit_entries
from openwarp.hub.members import selectors
from openwarp.hub.members.models import Organisation
from openwarp.hub.members.policy import Action, Role, may
from openwarp.hub.web.decorators import MemberRequest, member_view
from openwarp.hub.web.panels import capability_panels


def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and the demo script: the hub answers and its database does."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except Exception:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": database, "version": __version__})


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("members:sign_in")
    return dashboard(request)


@member_view()
def dashboard(request: MemberRequest) -> HttpResponse:
    viewer = request.viewer
    if viewer.role == Role.EXECUTIVE:
        return redirect("web:board")
    if may(viewer, Action.VIEW_REGION):
        return render(
            request,
            "web/region_dashboard.html",
            {
                "overview": selectors.region_overview(viewer=viewer),
                "recent": audit_entries(limit=10) if may(viewer, Action.VIEW_AUDIT_LOG) else [],
                "role": viewer.role,
                "panels": capability_panels("region", viewer),
            },
        )
    organisation = request.user.organisation
    assert organisation is not None
    return render(
        request,
        "web/organisation_dashboard.html",
        {
            "organisation": organisation,
            "details": selectors.organisation_details(viewer=viewer, organisation=organisation),
            "panels": capability_panels("organisation", viewer, organisation),
            "can_manage_people": may(
                viewer, Action.MANAGE_COLLEAGUES, organisation_id=organisation.pk
            ),
        },
    )


@member_view(Action.VIEW_BOARD_REPORT)
def board(request: MemberRequest) -> HttpResponse:
    """The read-only summary an executive or elected member takes to the board."""
    organisation: Organisation | None = request.user.organisation
    assert organisation is not None
    details = selectors.organisation_details(viewer=request.viewer, organisation=organisation)
    panels = capability_panels("board", request.viewer, organisation)
    return render(
        request,
        "web/board.html",
        {"organisation": organisation, "details": details, "panels": panels},
    )
