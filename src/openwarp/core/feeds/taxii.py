"""Reading a TAXII 2.1 collection as a feed, through `taxii2-client`.

Each page is written as a STIX bundle, so the loader that reads uploaded
bundles reads these too. The run resumes from the `X-TAXII-Date-Added-Last`
the server sent with the last page of the last good run (taxii2-client hands
back only bodies, so a response hook notes the header). taxii2-client sets
no timeout and no size limit of its own: the session below adds a timeout to
every request and refuses answers that announce more than the cap; a run
also stops at `MAX_OBJECTS`, the rest coming next run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import requests
from taxii2client.common import _HTTPConnection
from taxii2client.exceptions import TAXIIServiceException
from taxii2client.v21 import Collection, as_pages

from openwarp.core.feeds.fetch import Fetched
from openwarp.core.fetching import TIMEOUT_SECONDS, FetchFailed, check_url

PAGE = 1_000
MAX_OBJECTS = 200_000
MAX_PAGE_BYTES = 64 * 1024 * 1024
ADDED_LAST = "X-TAXII-Date-Added-Last"


class _Session(requests.Session):
    """A session whose every request has a timeout and a size limit."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.added_last = ""
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        self.hooks["response"].append(self._check)

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        kwargs.setdefault("timeout", TIMEOUT_SECONDS)
        return super().request(method, url, *args, **kwargs)

    def _check(self, response: requests.Response, **_: Any) -> requests.Response:
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > MAX_PAGE_BYTES:
            raise FetchFailed(f"{response.url}: a page larger than {MAX_PAGE_BYTES // 2**20} MB")
        added = response.headers.get(ADDED_LAST, "")
        # TAXII timestamps are fixed-width UTC, so the text order is the time order.
        if response.ok and added and added > self.added_last:
            self.added_last = added
        return response


def _collection(url: str, token: str) -> tuple[Collection, _Session]:
    connection = _HTTPConnection(version="2.1")
    session = _Session(token)
    session.headers["User-Agent"] = connection.user_agent
    connection.session = session
    return Collection(url, conn=connection), session


def fetch_taxii(url: str, folder: Path, cursor: dict[str, Any], token: str) -> Fetched:
    """Objects added to the collection since the last good run, as bundle files."""
    collection_url = url if url.endswith("/") else f"{url}/"
    check_url(collection_url)
    collection, session = _collection(collection_url, token)
    filters = {"added_after": cursor["added_after"]} if cursor.get("added_after") else {}
    paths: list[Path] = []
    count, more = 0, False
    try:
        for envelope in as_pages(collection.get_objects, per_request=PAGE, **filters):
            objects = envelope.get("objects") or []
            path = folder / f"page-{len(paths):05d}.json"
            path.write_bytes(
                orjson.dumps(
                    {"type": "bundle", "id": f"bundle--page-{len(paths)}", "objects": objects}
                )
            )
            paths.append(path)
            count += len(objects)
            if count >= MAX_OBJECTS:
                more = bool(envelope.get("more"))
                break
    except requests.HTTPError as error:
        status = error.response.status_code if error.response is not None else 0
        hint = " (check the token)" if status in (401, 403) else ""
        raise FetchFailed(f"{collection_url}: the server answered HTTP {status}{hint}") from None
    except (requests.ConnectionError, requests.Timeout) as error:
        raise FetchFailed(f"cannot reach {collection_url} ({type(error).__name__})") from None
    except (TAXIIServiceException, ValueError) as error:
        raise FetchFailed(
            f"{collection_url}: not a readable TAXII 2.1 collection ({error})"
        ) from None
    kept = {"added_after": session.added_last or cursor.get("added_after", "")}
    note = f"{count:,} object(s) in {len(paths)} page(s)"
    if more:
        note += f"; stopped at {MAX_OBJECTS:,}, the rest next run"
    return Fetched(paths=paths, cursor=kept, note=note)
