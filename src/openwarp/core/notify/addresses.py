"""Where a webhook may point: never at the hub's own network.

A member could otherwise make the hub send requests to its database, a cloud
metadata service or an internal admin page (server-side request forgery).
The check runs on every delivery, on the addresses the name resolves to then.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from openwarp.core.errors import InvalidInput


def check_url(url: str, *, allow_http: bool) -> tuple[str, int]:
    """The (host, port) of an acceptable webhook URL, or InvalidInput saying why."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or (parts.scheme == "http" and not allow_http):
        raise InvalidInput("a webhook URL must start with https://", field="url")
    if not parts.hostname:
        raise InvalidInput("a webhook URL needs a host name", field="url")
    if parts.username or parts.password:
        raise InvalidInput("put no user name or password in the URL", field="url")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise InvalidInput("the URL's port is not a number", field="url") from None
    return parts.hostname, port


def refused_address(host: str, port: int) -> str | None:
    """Why a delivery to this host is refused (a private or special address),
    or None when every address it resolves to is public."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        return f"cannot resolve {host}: {exc}"
    for *_, sockaddr in found:
        address = ipaddress.ip_address(sockaddr[0])
        if not address.is_global:
            return f"{host} resolves to {address}, which is not a public address"
    return None
