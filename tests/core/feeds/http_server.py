"""A local HTTP server over a folder, for fetch tests: no test touches the internet.

It notes every path asked for, so a test can tell which files a run fetched,
and answers a few special paths: `/redirect-to?u=...` redirects, `/endless`
streams without end, `/status/NNN` answers that status.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit


@dataclass
class Served:
    url: str
    root: Path
    asked: list[str] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)


class _Handler(SimpleHTTPRequestHandler):
    served: Served

    def log_message(self, format: str, *args: object) -> None:
        return

    def do_GET(self) -> None:
        self.served.asked.append(self.path)
        self.served.headers.append(dict(self.headers.items()))
        parts = urlsplit(self.path)
        if parts.path == "/redirect-to":
            self.send_response(302)
            self.send_header("Location", parse_qs(parts.query)["u"][0])
            self.end_headers()
        elif parts.path == "/endless":
            self.send_response(200)
            self.end_headers()
            chunk = b"203.0.113.9\n" * 10_000
            try:
                while True:
                    self.wfile.write(chunk)
            except OSError:
                return
        elif parts.path.startswith("/status/"):
            self.send_error(int(parts.path.rsplit("/", 1)[1]))
        else:
            super().do_GET()


@contextmanager
def serve(root: Path) -> Iterator[Served]:
    served = Served(url="", root=root)
    handler_class = type("Handler", (_Handler,), {"served": served})
    handler = functools.partial(handler_class, directory=str(root))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    served.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        httpd.shutdown()
        httpd.server_close()
