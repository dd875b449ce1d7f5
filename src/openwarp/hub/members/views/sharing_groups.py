"""Sharing groups: members see theirs; coordinators form and change them."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from openwarp.core.errors import OpenWarpError
from openwarp.hub.members import selectors
from openwarp.hub.members.forms import SharingGroupForm
from openwarp.hub.members.models import SharingGroup
from openwarp.hub.members.policy import Action, may
from openwarp.hub.members.services import sharing_groups as services
from openwarp.hub.web.decorators import MemberRequest, member_view


@member_view()
def sharing_group_list(request: MemberRequest) -> HttpResponse:
    return render(
        request,
        "members/sharing_groups.html",
        {
            "groups": selectors.sharing_groups_for_viewer(viewer=request.viewer),
            "can_manage": may(request.viewer, Action.MANAGE_ORGANISATIONS),
        },
    )


@member_view(Action.MANAGE_ORGANISATIONS)
def sharing_group_edit(request: MemberRequest, pk: int | None = None) -> HttpResponse:
    group = get_object_or_404(SharingGroup, pk=pk) if pk is not None else None
    form = SharingGroupForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if group is None:
                group = services.sharing_group_create(
                    actor=request.user, name=data["name"], organisations=data["organisations"]
                )
            else:
                group = services.sharing_group_update(
                    actor=request.user,
                    group=group,
                    name=data["name"],
                    organisations=data["organisations"],
                )
        except OpenWarpError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"Sharing group {group.name} saved.")
            return redirect("members:sharing_groups")
    return render(request, "members/sharing_group_edit.html", {"form": form, "group": group})
