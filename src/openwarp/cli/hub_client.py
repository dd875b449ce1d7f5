"""The sweep's side of the hub's API: fetch indicators into a cache, send sightings.

Plain ``urllib`` over HTTPS with the member's bearer token: two endpoints do
not justify an HTTP client dependency. Every failure becomes a ``HubError``
with one line to print. The cache is one JSON file per hub and token holder,
replaced atomically and only after every page of a fetch has arrived, so a
fetch cut short leaves the previous cache as it was.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

CACHE_VERSION = 2  # 2: indicator ids are the hub's random public ids
PAGE = 1000


class HubError(Exception):
    """Talking to the hub failed; ``str`` is one line a person can act on."""


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "openwarp"


@dataclass
class Hub:
    url: str
    token: str
    timeout: float = 30.0

    def __post_init__(self) -> None:
        parts = urllib.parse.urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise HubError(f"--hub must be an http(s) URL, not {self.url!r}")
        self.url = self.url.rstrip("/")

    def call(self, method: str, path: str, body: object | None = None) -> Any:
        """One API call; the hub's own error message when it gives one."""
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
            f"{self.url}/api/v1{path}",
            method=method,
            data=None if body is None else orjson.dumps(body),
            headers={
                "Authorization": f"Bearer {self.token}",
                "Accept": "application/json",
                "Content-Type": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                payload = response.read()
        except urllib.error.HTTPError as exc:
            raise HubError(f"hub refused {method} {path}: {_reason(exc)}") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise HubError(f"cannot reach the hub at {self.url}: {reason}") from None
        try:
            return orjson.loads(payload)
        except orjson.JSONDecodeError:
            raise HubError(f"the hub's answer to {method} {path} is not JSON") from None


def _reason(exc: urllib.error.HTTPError) -> str:
    try:
        body = orjson.loads(exc.read())
        message = body.get("message") or body.get("detail") or ""
    except (orjson.JSONDecodeError, AttributeError, OSError):
        message = ""
    return f"{exc.code} {message or exc.reason}".strip()


@dataclass
class IndicatorCache:
    """The indicators a token's holder may see, as last fetched from one hub."""

    path: Path
    until: str | None = None
    items: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def for_hub(cls, directory: Path, hub: Hub) -> IndicatorCache:
        """One file per hub and token: two people may see different indicators."""
        name = hashlib.sha256(f"{hub.url}\n{hub.token}".encode()).hexdigest()[:24]
        path = directory / f"indicators-{name}.json"
        if not path.exists():
            return cls(path)
        try:
            document = orjson.loads(path.read_bytes())
            if document.get("version") != CACHE_VERSION:
                return cls(path)
            items = document["items"]
            if not isinstance(items, dict) or not all(
                isinstance(i, dict) and {"value", "report"} <= i.keys() for i in items.values()
            ):
                return cls(path)
            return cls(path, document.get("until"), items)
        except (OSError, orjson.JSONDecodeError, KeyError, TypeError, AttributeError):
            return cls(path)  # unreadable: fetch everything again, then replace it

    def save(self) -> None:
        """Write a new file beside the old one and rename it into place."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        document = {"version": CACHE_VERSION, "until": self.until, "items": self.items}
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".indicators-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(orjson.dumps(document))
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


def fetch_indicators(hub: Hub, cache: IndicatorCache) -> int:
    """Bring the cache up to date: only what was published after its cursor.

    Returns how many items arrived. The cursor is the hub's own clock at the
    first page (``until``), so the member's clock never matters.
    """
    params: dict[str, object] = {"limit": PAGE}
    if cache.until:
        params["added_after"] = cache.until
    fresh: dict[str, dict[str, Any]] = {}
    until = None
    after = None
    while True:
        query = dict(params)
        if until:
            query["until"] = until
        if after:
            query["after"] = after
        page = hub.call("GET", "/indicators?" + urllib.parse.urlencode(query))
        try:
            until = page["until"]
            for item in page["items"]:
                fresh[str(item["id"])] = item
            after = page["next_after"]
        except (KeyError, TypeError):
            raise HubError("the hub's indicator export has an unexpected shape") from None
        if after is None:
            break
    cache.items.update(fresh)
    cache.until = until
    cache.save()
    return len(fresh)
