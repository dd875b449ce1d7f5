"""Fetching a feed from its official location into files the loaders read.

Only plain HTTP(S) GETs with a timeout and a size cap; everything fetched goes
to a temporary folder and is loaded by the same all-or-nothing loader as an
uploaded file, so a half-downloaded or broken feed changes nothing. A hub with
no internet gets a `FetchFailed` naming the URL, and keeps its data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode, urljoin

import orjson
from django.conf import settings

from openwarp.core.fetching import FetchFailed, get

MAX_DELTA_RECORDS = 5_000
NVD_PAGE = 2_000
NVD_MAX_PAGES = 50

OFFICIAL_URLS = {
    "kev": "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json",
    "epss": "https://epss.empiricalsecurity.com/epss_scores-current.csv.gz",
    "cve5": "https://raw.githubusercontent.com/CVEProject/cvelistV5/main/cves/delta.json",
    "nvd": "https://services.nvd.nist.gov/rest/json/cves/2.0",
}


@dataclass(slots=True)
class Fetched:
    """The files of one feed, by loader argument."""

    cve5: list[Path] = field(default_factory=list)
    nvd: list[Path] = field(default_factory=list)
    kev: Path | None = None
    epss: Path | None = None


def fetch_feed(
    feed: str, url: str, folder: Path, *, since: datetime | None, now: datetime
) -> Fetched:
    """Fetch one feed into `folder`; `since` bounds the NVD change window."""
    if feed == "kev":
        return Fetched(kev=get(url, folder / "kev.json"))
    if feed == "epss":
        name = "epss.csv.gz" if url.split("?", 1)[0].endswith(".gz") else "epss.csv"
        return Fetched(epss=get(url, folder / name))
    if feed == "cve5":
        return Fetched(cve5=_cve5_delta(url, folder))
    if feed == "nvd":
        return Fetched(nvd=_nvd_pages(url, folder, since or now - timedelta(days=1), now))
    raise FetchFailed(f"no such feed {feed!r}")


def _json(path: Path, url: str) -> dict[str, object]:
    try:
        doc = orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as exc:
        raise FetchFailed(f"{url}: broken JSON ({exc})") from None
    if not isinstance(doc, dict):
        raise FetchFailed(f"{url}: expected a JSON object")
    return doc


def _cve5_delta(url: str, folder: Path) -> list[Path]:
    """cvelistV5's `delta.json` lists new and updated records with their links;
    each record is fetched (links may be relative to the delta's own URL)."""
    delta = _json(get(url, folder / "delta.json"), url)
    entries = [e for key in ("new", "updated") for e in (delta.get(key) or [])]  # type: ignore[attr-defined]
    if len(entries) > MAX_DELTA_RECORDS:
        raise FetchFailed(f"{url}: {len(entries)} changed records, more than {MAX_DELTA_RECORDS}")
    records = folder / "records"
    records.mkdir()
    paths = []
    for index, entry in enumerate(entries):
        link = entry.get("githubLink") if isinstance(entry, dict) else None
        if not isinstance(link, str):
            raise FetchFailed(f"{url}: $.new/updated[{index}].githubLink: missing")
        paths.append(get(urljoin(url, link), records / f"{index:05d}.json"))
    return paths


def _nvd_pages(url: str, folder: Path, since: datetime, now: datetime) -> list[Path]:
    """CVEs NVD changed since the last good run, page by page."""
    window = {
        "lastModStartDate": since.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "lastModEndDate": now.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "resultsPerPage": NVD_PAGE,
    }
    # With a key NVD allows more requests; it is a secret, so never in a URL or log.
    headers = {"apiKey": settings.NVD_API_KEY} if settings.NVD_API_KEY else None
    paths: list[Path] = []
    start, total = 0, None
    while total is None or start < total:
        if len(paths) >= NVD_MAX_PAGES:
            raise FetchFailed(f"{url}: more than {NVD_MAX_PAGES} pages of changes")
        page_url = f"{url}?{urlencode({**window, 'startIndex': start})}"
        path = get(page_url, folder / f"nvd-{len(paths):03d}.json", headers=headers)
        doc = _json(path, page_url)
        count = len(doc.get("vulnerabilities") or [])  # type: ignore[arg-type]
        total = int(doc.get("totalResults", count))  # type: ignore[call-overload]
        paths.append(path)
        if count == 0:
            break
        start += count
    return paths
