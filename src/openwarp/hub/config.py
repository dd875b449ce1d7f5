"""Turning the environment into settings values, kept apart for testing."""

from __future__ import annotations

import os
import secrets
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

DEFAULT_DATA_DIR = Path.home() / ".local" / "share" / "openwarp"


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def data_dir() -> Path:
    path = Path(os.environ.get("OPENWARP_DATA_DIR") or DEFAULT_DATA_DIR).expanduser()
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key(directory: Path) -> str:
    """Use OPENWARP_SECRET_KEY, or a key generated once and kept in the data dir."""
    if key := os.environ.get("OPENWARP_SECRET_KEY"):
        return key
    return _generated_once(directory / "secret_key", secrets.token_urlsafe(50))


def seal_key(directory: Path) -> str:
    """Use OPENWARP_SEAL_KEY, or a key generated once and kept in the data dir.

    It opens the secrets the hub must send on (see `core/sealing.py`); unlike
    the secret key it must never change while such secrets are stored, so it
    is a file (or variable) of its own, kept out of database backups."""
    if key := os.environ.get("OPENWARP_SEAL_KEY"):
        return key
    return _generated_once(directory / "seal_key", secrets.token_urlsafe(32))


def _generated_once(path: Path, fresh: str) -> str:
    """The key kept in `path`, which is written whole and at most once: several
    processes starting together (test workers, hub and worker) all read the
    same key, never a half-written or a second one."""
    if not path.exists():
        draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        draft.touch(mode=0o600)
        draft.write_text(fresh)
        try:
            os.link(draft, path)  # fails if another process got there first
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


def database(url: str | None, directory: Path) -> dict[str, Any]:
    """DATABASE_URL (postgres://user:pass@host:port/name, sqlite:////abs/path) or
    SQLite in WAL mode under the data directory."""
    if not url or url.startswith("sqlite:"):
        path = Path(urlparse(url).path) if url else directory / "openwarp.sqlite3"
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path,
            # Tests share a file, not memory, so worker subprocesses can join in.
            "TEST": {"NAME": str(path.with_name(f"test-{path.name}"))},
            "OPTIONS": {
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON; "
                    # Lookups in millions of values: pages read through the
                    # map and kept per connection instead of a read() each.
                    "PRAGMA cache_size=-32768; PRAGMA mmap_size=268435456;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
            # Kept between requests: opening the file, its pragmas and an
            # empty page cache cost more than a lookup does.
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    parts = urlparse(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ValueError(f"DATABASE_URL scheme {parts.scheme!r} is not supported (use postgres://)")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": unquote(parts.hostname or ""),
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }


def hub_file(directory: Path) -> dict[str, Any]:
    """Settings an operator keeps with the data: `openwarp.toml` in the data dir.

    Environment variables win over the file, so one file can serve several
    processes while a deployment still overrides single values.
    """
    path = directory / "openwarp.toml"
    if not path.exists():
        return {}
    with path.open("rb") as handle:
        return tomllib.load(handle).get("hub", {})
