"""Turning policy answers and service errors into web responses, in one place."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from openwarp.core.errors import NotFound, PermissionDenied
from openwarp.hub.members.models import User
from openwarp.hub.members.policy import Action, Viewer, may
from openwarp.hub.members.policy_adapters import viewer_for


class MemberRequest(HttpRequest):
    """A request that `member_view` has let through: signed in, with its viewer."""

    user: User
    viewer: Viewer


View = Callable[..., HttpResponse]


def refused(request: HttpRequest, message: str, status: int = 403) -> HttpResponse:
    return render(request, "web/refused.html", {"message": message}, status=status)


def member_view(action: Action | None = None) -> Callable[[View], View]:
    """Require sign-in (and optionally a policy action); give the view `request.viewer`.

    PermissionDenied and NotFound raised inside the view become 403 and 404 pages.
    """

    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            viewer = viewer_for(request.user)
            request.viewer = viewer  # type: ignore[attr-defined]
            if action is not None and not may(viewer, action):
                return refused(request, "You do not have access to this page.")
            try:
                return view(request, *args, **kwargs)
            except PermissionDenied as error:
                return refused(request, error.message)
            except NotFound as error:
                return refused(request, error.message, status=404)

        return wrapped

    return decorate
