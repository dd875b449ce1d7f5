"""Webhook posts go to the address that was checked, not to a second lookup."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from openwarp.core.notify.addresses import resolve_checked
from openwarp.core.notify.pinned import post


@pytest.fixture
def server() -> Iterator[tuple[int, list[dict[str, Any]]]]:
    seen: list[dict[str, Any]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            seen.append(
                {"path": self.path, "host": self.headers["Host"], "body": self.rfile.read(length)}
            )
            if self.path.startswith("/moved"):
                self.send_response(302)
                self.send_header("Location", "http://127.0.0.1:1/elsewhere")
            else:
                self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1], seen
    httpd.shutdown()


def test_the_post_goes_to_the_checked_address_with_the_url_host_kept(server: Any) -> None:
    port, seen = server
    # `rebind.invalid` resolves nowhere: the request can only arrive because the
    # connection used the address given, never a fresh lookup of the name.
    answer = post(
        f"http://rebind.invalid:{port}/hook?team=soc",
        "127.0.0.1",
        b'{"event": "test"}',
        {"Content-Type": "application/json"},
        timeout=5,
    )
    assert (answer.status, answer.error) == (204, "")
    assert seen == [
        {"path": "/hook?team=soc", "host": f"rebind.invalid:{port}", "body": b'{"event": "test"}'}
    ]


def test_a_redirect_is_reported_not_followed(server: Any) -> None:
    port, seen = server
    answer = post(f"http://hooks.example:{port}/moved", "127.0.0.1", b"{}", {}, timeout=5)
    assert (answer.status, answer.error) == (302, "the receiver answered 302")
    assert len(seen) == 1


def test_nothing_listening_is_a_connection_error() -> None:
    answer = post("http://hooks.example:1/", "127.0.0.1", b"{}", {}, timeout=5)
    assert answer.status is None and answer.error.startswith("could not connect:")


def test_private_addresses_are_refused_unless_a_lab_allows_them() -> None:
    address, why = resolve_checked("localhost", 443, allow_private=False)
    assert address is None and "which is not a public address" in why
    address, why = resolve_checked("localhost", 443, allow_private=True)
    assert address in {"127.0.0.1", "::1"} and why == ""
    address, why = resolve_checked("no-such-host.invalid", 443, allow_private=True)
    assert address is None and why.startswith("cannot resolve no-such-host.invalid")
