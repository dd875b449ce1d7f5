"""Where a webhook may point: never at the hub's own network.

A member could otherwise make the hub send requests to its database, a cloud
metadata service or an internal admin page (server-side request forgery).
The check runs on every delivery, on the addresses the name resolves to then,
and the delivery connects to the address that was checked.
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


def resolve_checked(host: str, port: int, *, allow_private: bool) -> tuple[str | None, str]:
    """(the address to connect to, "") or (None, why the host is refused): every
    address the name resolves to must be public, unless `allow_private` (labs).
    The caller connects to exactly this address (see `pinned`), so a name
    server cannot answer differently for the check and for the connection."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        return None, f"cannot resolve {host}: {exc}"
    addresses = [ipaddress.ip_address(sockaddr[0]) for *_, sockaddr in found]
    if not allow_private:
        for address in addresses:
            if not address.is_global:
                return None, f"{host} resolves to {address}, which is not a public address"
    return str(addresses[0]), ""
