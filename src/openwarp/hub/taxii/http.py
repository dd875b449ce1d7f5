"""TAXII 2.1 over HTTP: media types, who is asking, and error messages.

Every TAXII response is `application/taxii+json;version=2.1`, errors
included (as TAXII error messages). A client is known by the same API tokens
as the REST API, sent as `Authorization: Bearer owp_...` or, for clients
that only speak HTTP Basic (taxii2-client's `user`/`password`), as the
password with any user name. A signed-in browser session may read; a write
through a session must also pass Django's CSRF check.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

import orjson
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.views.decorators.csrf import csrf_exempt

from openwarp.core.errors import (
    AuthenticationFailed,
    Conflict,
    InvalidInput,
    NotFound,
    OpenWarpError,
    PermissionDenied,
)
from openwarp.hub.members.policy import Viewer
from openwarp.hub.members.policy_adapters import viewer_for
from openwarp.hub.members.services.tokens import token_authenticate

TAXII_MEDIA_TYPE = "application/taxii+json;version=2.1"


def max_content_length() -> int:
    """The largest body a POST may carry: Django's own limit on reading one."""
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 2_621_440)


_STATUS = {
    InvalidInput: 422,
    Conflict: 409,
    NotFound: 404,
    PermissionDenied: 403,
    AuthenticationFailed: 401,
}
_TITLES = {
    400: "Bad request",
    401: "Authentication required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    413: "Request too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
}


class NotAcceptable(OpenWarpError):
    code = "not_acceptable"


class UnsupportedMediaType(OpenWarpError):
    code = "unsupported_media_type"


class TooLarge(OpenWarpError):
    code = "too_large"


def taxii_response(
    body: object, *, status: int = 200, headers: dict[str, str] | None = None
) -> HttpResponse:
    response = HttpResponse(orjson.dumps(body), status=status, content_type=TAXII_MEDIA_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def taxii_objects_response(
    body: dict[str, object], objects: list[bytes], *, headers: dict[str, str] | None = None
) -> HttpResponse:
    """`body` with an `objects` list spliced in from JSON already written
    (each object's JSON is kept by the object cache, so it is not rebuilt)."""
    content = orjson.dumps(body)
    if objects:  # body always holds "more", so a comma follows it
        content = content[:-1] + b',"objects":[' + b",".join(objects) + b"]}"
    response = HttpResponse(content, content_type=TAXII_MEDIA_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def error_response(status: int, description: str) -> HttpResponse:
    body = {"title": _TITLES.get(status, "Error"), "description": description}
    body["http_status"] = str(status)
    response = taxii_response(body, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="openwarp", Basic realm="openwarp"'
    return response


def _is_taxii_21(value: str, *, wildcards: bool) -> bool:
    """Whether a media type (or Accept range) means TAXII 2.1; no version means any."""
    parts = [part.strip().lower() for part in value.split(";")]
    params = {p.split("=", 1)[0]: p.partition("=")[2] for p in parts[1:] if p}
    if wildcards and parts[0] in ("*/*", "application/*"):
        return True
    return parts[0] == "application/taxii+json" and params.get("version", "2.1") == "2.1"


def accepts_taxii(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "").strip()
    return not accept or any(_is_taxii_21(v, wildcards=True) for v in accept.split(","))


def _token_secret(request: HttpRequest) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, credentials = header.partition(" ")
    if scheme.lower() == "bearer":
        return credentials.strip()
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(credentials.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            raise AuthenticationFailed("malformed Basic credentials") from None
        return decoded.partition(":")[2]
    if header:
        raise AuthenticationFailed("send a Bearer token, or the token as a Basic password")
    return None


def request_viewer(request: HttpRequest) -> Viewer | None:
    """The viewer behind a token or a session, or None when nobody signed in."""
    secret = _token_secret(request)
    if secret is not None:
        token = token_authenticate(secret=secret)
        request.user = token.user
        return viewer_for(token.user, read_only=token.scope == "read")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    if request.method not in ("GET", "HEAD"):
        middleware = CsrfViewMiddleware(lambda r: HttpResponse())
        refusal = middleware.process_view(request, lambda r: HttpResponse(), (), {})
        if refusal is not None:
            raise PermissionDenied("a write from a browser session needs its CSRF token")
    return viewer_for(user)


TaxiiView = Callable[..., HttpResponse]


def taxii_endpoint(
    *, methods: tuple[str, ...] = ("GET",), public: bool = False
) -> Callable[[TaxiiView], TaxiiView]:
    """Negotiate, authenticate and map errors; the view gets `request.viewer`."""

    def decorate(view: TaxiiView) -> TaxiiView:
        @csrf_exempt
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method not in methods:
                return error_response(405, f"use {' or '.join(methods)}")
            if not accepts_taxii(request):
                return error_response(406, f"this server answers in {TAXII_MEDIA_TYPE}")
            try:
                viewer = request_viewer(request)
                if viewer is None and not public:
                    raise AuthenticationFailed("send an API token (Bearer, or Basic password)")
                request.viewer = viewer  # type: ignore[attr-defined]
                return view(request, *args, **kwargs)
            except NotAcceptable as error:
                return error_response(406, error.message)
            except UnsupportedMediaType as error:
                return error_response(415, error.message)
            except TooLarge as error:
                return error_response(413, error.message)
            except OpenWarpError as error:
                return error_response(_STATUS.get(type(error), 400), str(error))

        return wrapped

    return decorate


def posted_envelope(request: HttpRequest) -> list[Any]:
    """The objects of a posted TAXII envelope, checked for type, size and shape."""
    content_type = request.headers.get("Content-Type", "")
    if not _is_taxii_21(content_type, wildcards=False):
        raise UnsupportedMediaType(f"send objects as {TAXII_MEDIA_TYPE}, not {content_type!r}")
    limit = max_content_length()
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if (int(declared) if declared.isdigit() else 0) > limit:
        raise TooLarge(f"the limit is {limit} bytes (the API root's max_content_length)")
    try:
        envelope = json.loads(request.body)
    except (ValueError, UnicodeDecodeError) as error:
        raise InvalidInput(f"the body is not JSON ({error})", field="body") from None
    if not isinstance(envelope, dict) or not isinstance(envelope.get("objects"), list):
        raise InvalidInput("expected an envelope with a list of objects", field="objects")
    return envelope["objects"]
