"""The REST API at /api/v1: one router per app, errors mapped once here."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer
from ninja.security.session import SessionAuth

from openwarp import __version__
from openwarp.core.errors import (
    AuthenticationFailed,
    Conflict,
    InvalidInput,
    NotFound,
    OpenWarpError,
    PermissionDenied,
)
from openwarp.hub.members.policy_adapters import viewer_for
from openwarp.hub.members.services.tokens import token_authenticate

READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

STATUS_FOR_ERROR: dict[type[OpenWarpError], int] = {
    InvalidInput: 422,
    Conflict: 409,
    NotFound: 404,
    PermissionDenied: 403,
    AuthenticationFailed: 401,
}


class BearerToken(HttpBearer):
    """`Authorization: Bearer owp_...`; sets request.viewer with the token's scope."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        try:
            api_token = token_authenticate(secret=token)
        except AuthenticationFailed as error:
            request.auth_error = error.message  # type: ignore[attr-defined]
            return None
        if api_token.scope == "read" and request.method not in READING_METHODS:
            # Services also refuse writes for a read-only viewer; this stops any
            # that rebuild the viewer from the user and so lose the token's scope.
            raise PermissionDenied("this token is read-only: changes need a read and write token")
        request.user = api_token.user
        request.viewer = viewer_for(  # type: ignore[attr-defined]
            api_token.user, read_only=api_token.scope == "read"
        )
        return api_token


class Session(SessionAuth):
    """A signed-in browser session (HTMX calls); CSRF is checked for writes."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is not None:
            request.viewer = viewer_for(user)  # type: ignore[attr-defined]
        return user


api = NinjaAPI(
    title="openwarp hub API",
    version=__version__,
    urls_namespace="api",
    auth=[BearerToken(), Session()],
    docs_url="/docs",
)


def _error(request: HttpRequest, error: OpenWarpError, status: int) -> HttpResponse:
    body = {"error": error.code, "message": error.message, "field": error.field}
    return api.create_response(request, body, status=status)


@api.exception_handler(OpenWarpError)
def openwarp_error(request: HttpRequest, error: OpenWarpError) -> HttpResponse:
    return _error(request, error, STATUS_FOR_ERROR.get(type(error), 400))


@api.exception_handler(AuthenticationError)
def not_authenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    reason = getattr(request, "auth_error", "sign in or send a bearer token")
    return _error(request, AuthenticationFailed(reason), 401)


def _routers() -> None:
    from openwarp.hub.capabilities import capability_modules

    for _, module in capability_modules("api"):
        api.add_router(getattr(module, "API_PREFIX", "/"), module.router)


_routers()
