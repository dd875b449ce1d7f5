"""Posting to an address fixed before the connection is made.

Checking where a name resolves and then letting the HTTP library resolve it
again leaves a gap: a hostile name server can answer with a public address
for the check and a private one for the connection ("DNS rebinding"). The
address checked by `addresses.resolve_checked` is the one connected to here;
the URL's host name is still sent as `Host` and, for HTTPS, checked against
the server's certificate.
"""

from __future__ import annotations

import http.client
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True, slots=True)
class Answer:
    status: int | None  # None: no HTTP answer at all
    error: str  # "" on a 2xx answer


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPS(_PinnedHTTP):
    def connect(self) -> None:
        super().connect()
        context = ssl.create_default_context()
        self.sock = context.wrap_socket(self.sock, server_hostname=self.host)


def post(url: str, address: str, body: bytes, headers: dict[str, str], *, timeout: float) -> Answer:
    """POST `body` to `url`, connecting to `address`; redirects are not followed
    (one could lead to an address the check refused)."""
    parts = urlsplit(url)
    secure = parts.scheme == "https"
    port = parts.port or (443 if secure else 80)
    connection_type = _PinnedHTTPS if secure else _PinnedHTTP
    connection = connection_type(parts.hostname or "", port, address, timeout)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    try:
        connection.request("POST", path, body=body, headers=headers)
        status = connection.getresponse().status
    except (OSError, http.client.HTTPException) as error:
        return Answer(None, f"could not connect: {error}"[:300])
    finally:
        connection.close()
    if 200 <= status < 300:
        return Answer(status, "")
    return Answer(status, f"the receiver answered {status}")
