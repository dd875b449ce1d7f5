"""Plain HTTP(S) downloads with a timeout and a size cap, for every fetched feed.

The vulnerability feeds and the indicator feeds both fetch files from where a
coordinator said they are published. Only http and https are fetched - also
after a redirect - so a link inside a fetched file (or a server's redirect)
can never open a local file or another protocol. The body streams to a file
and stops at the cap, so a huge or endless answer costs neither memory nor
disk beyond it. Failures are one `FetchFailed` naming the URL.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

from openwarp.core.errors import OpenWarpError

TIMEOUT_SECONDS = 60
MAX_BYTES = 256 * 1024 * 1024
CHUNK = 1024 * 1024
SCHEMES = ("http", "https")


class FetchFailed(OpenWarpError):
    code = "fetch_failed"


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects only to http(s) (urllib would also follow one to ftp)."""

    def redirect_request(  # type: ignore[override]
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: Mapping[str, str],
        newurl: str,
    ) -> urllib.request.Request | None:
        if urlsplit(newurl).scheme not in SCHEMES:
            raise FetchFailed(f"{req.full_url}: redirected to {newurl}, which is not http(s)")
        return super().redirect_request(req, fp, code, msg, headers, newurl)  # type: ignore[arg-type]


_OPENER = urllib.request.build_opener(_HttpOnlyRedirects)


def check_url(url: str) -> None:
    """Refuse anything but an http(s) URL with a host."""
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES or not parts.netloc:
        raise FetchFailed(f"{url}: only http and https URLs are fetched")


def get(
    url: str,
    target: Path,
    *,
    max_bytes: int = MAX_BYTES,
    timeout: float = TIMEOUT_SECONDS,
    headers: Mapping[str, str] | None = None,
) -> Path:
    """Download `url` to `target`, refusing more than `max_bytes`."""
    check_url(url)
    request = urllib.request.Request(url, headers={"User-Agent": "openwarp-hub", **(headers or {})})  # noqa: S310
    written = 0
    try:
        with _OPENER.open(request, timeout=timeout) as response, target.open("wb") as out:
            while chunk := response.read(CHUNK):
                written += len(chunk)
                if written > max_bytes:
                    raise FetchFailed(f"{url}: larger than {_size(max_bytes)}")
                out.write(chunk)
    except FetchFailed:
        target.unlink(missing_ok=True)
        raise
    except urllib.error.HTTPError as exc:
        target.unlink(missing_ok=True)
        raise FetchFailed(f"{url}: the server answered {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        target.unlink(missing_ok=True)
        reason = getattr(exc, "reason", exc)
        raise FetchFailed(f"cannot reach {url} ({reason})") from None
    return target


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count // 1024 // 1024} MB"
    return f"{count:,} bytes"
