from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from openwarp.hub.audit.selectors import audit_entries
from openwarp.hub.members.policy import Action
from openwarp.hub.web.decorators import MemberRequest, member_view


@member_view(Action.VIEW_AUDIT_LOG)
def audit_log(request: MemberRequest) -> HttpResponse:
    return render(request, "audit/log.html", {"entries": audit_entries(limit=500)})
