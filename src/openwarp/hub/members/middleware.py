"""Keeps signed-in coordinators and admins without a second factor out until they add one.

Sign-in already demands it; this catches a role raised during a session.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from openwarp.hub.members.policy import TOTP_REQUIRED_ROLES, Role


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and Role(user.role) in TOTP_REQUIRED_ROLES
            and not user.has_totp
            and not request.path.startswith(("/static/", "/healthz"))
            and request.path not in (reverse("members:enrol_totp"), reverse("members:sign_out"))
        ):
            if request.path.startswith("/api/"):
                # A signed-in browser calling the API (htmx): refuse, do not redirect.
                return JsonResponse(
                    {
                        "error": "permission_denied",
                        "message": "set up an authenticator before using the hub",
                        "field": None,
                    },
                    status=403,
                )
            return redirect("members:enrol_totp")
        return self.get_response(request)
