"""The compiled pre-filter: kept in the cache per indicator set, and optional.

The rules themselves are held to every engine by every sweeping test (see
``conftest.SWEEPING``); these tests are about choosing, caching and falling back.
``auto`` prefers the native extension (``test_sweep_native``), so here it is
taken away, as on an install built without a compiler.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from openwarp.core.errors import InvalidInput
from openwarp.core.indicators import IndicatorSet
from openwarp.core.sweep import Summary, SweepWarning, native, prefilter, sweep_paths
from openwarp.core.sweep.prefilter import build_prefilter, literals, unavailable
from tests.core.sweep.conftest import make_set

needs_hyperscan = pytest.mark.skipif(unavailable() is not None, reason=str(unavailable()))
SQUID = "1700000000.123    12 10.0.0.1 TCP_MISS/200 512 GET http://{} - HIER_DIRECT/{} -\n"
LOG = (
    SQUID.format("www.EVIL.com/x", "1.2.3.4")
    + SQUID.format("notevil.com/x", "9.9.9.9")
    + SQUID.format("bücher.de/", "010.0.0.5")
)


def _sweep(
    log: Path, indicators: IndicatorSet, engine: str, cache: Path | None = None
) -> tuple[set[tuple[int, str]], Summary]:
    summary = Summary()
    items = sweep_paths([str(log)], indicators, summary, engine=engine, cache_dir=cache)
    hits = {(i.line, i.indicator) for i in items if not isinstance(i, SweepWarning)}
    return hits, summary


@pytest.fixture(autouse=True)
def without_native(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(native, "_WHY", "the native extension is not built (test)")


@pytest.fixture
def log(tmp_path: Path) -> Path:
    path = tmp_path / "access.log"
    path.write_text(LOG)
    return path


EXPECTED = {(1, "evil.com"), (1, "1.2.3.4"), (3, "bücher.de"), (3, "10.0.0.5")}


@needs_hyperscan
def test_the_first_sweep_compiles_and_the_next_loads_from_the_cache(
    log: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    indicators = make_set("evil.com", "1.2.3.4", "bücher.de", "10.0.0.5")
    first, summary = _sweep(log, indicators, "hyperscan", cache)
    assert first == EXPECTED
    assert "compiled" in summary.engine
    files = list(cache.glob("prefilter-*.hsdb"))
    assert len(files) == 1
    same_set = make_set("evil.com", "1.2.3.4", "bücher.de", "10.0.0.5")
    again, summary = _sweep(log, same_set, "auto", cache)
    assert again == EXPECTED
    assert "loaded from the cache" in summary.engine
    assert list(cache.glob("prefilter-*.hsdb")) == files


@needs_hyperscan
def test_a_changed_set_gets_its_own_database_and_old_ones_are_pruned(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    for n in range(4):
        built = build_prefilter(make_set("evil.com", f"{n}.example.org"), cache)
        assert built[0] is not None and built[1].compiled
    assert len(list(cache.glob("prefilter-*.hsdb"))) == prefilter.KEEP_DATABASES


@needs_hyperscan
def test_a_damaged_cached_database_is_compiled_again(log: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    indicators = make_set("evil.com", "1.2.3.4", "bücher.de", "10.0.0.5")
    built = build_prefilter(indicators, cache)
    assert built[0] is not None
    info = built[1]
    assert info.path is not None
    info.path.write_bytes(b"not a database")
    hits, summary = _sweep(log, indicators, "hyperscan", cache)
    assert hits == EXPECTED and "compiled" in summary.engine
    assert info.path.read_bytes() != b"not a database"


def test_without_hyperscan_auto_falls_back_and_finds_the_same(
    log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prefilter, "hyperscan", None)  # as on a machine without the wheel
    indicators = make_set("evil.com", "1.2.3.4", "bücher.de", "10.0.0.5")
    hits, summary = _sweep(log, indicators, "auto")
    assert hits == EXPECTED
    assert summary.engine == (
        "python (hyperscan is not installed); the native extension is not built (test)"
    )
    with pytest.raises(InvalidInput, match="hyperscan is not installed"):
        _sweep(log, indicators, "hyperscan")


@needs_hyperscan
def test_auto_compiles_no_large_set_but_uses_one_already_in_the_cache(
    log: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prefilter, "AUTO_LIMIT", 3)
    cache = tmp_path / "cache"
    indicators = make_set("evil.com", "1.2.3.4", "bücher.de", "10.0.0.5")
    hits, summary = _sweep(log, indicators, "auto", cache)
    assert hits == EXPECTED
    assert summary.engine.startswith("python (4 literals: above 3, not compiled in auto mode")
    assert not cache.exists()
    hits, summary = _sweep(log, indicators, "hyperscan", cache)
    assert hits == EXPECTED and summary.engine.startswith("hyperscan (4 literals compiled")
    hits, summary = _sweep(log, indicators, "auto", cache)
    assert hits == EXPECTED and "loaded from the cache" in summary.engine


def test_literals_stand_for_every_kind_of_indicator() -> None:
    indicators = make_set(
        "evil.com",
        "1.2.3.4",
        "192.0.2.0/24",
        "198.51.0.0/16",
        "10.0.0.0/8",
        "http://Bad.example.net/x.php",
        "user@mail.example",
        "203.0.113.5:8443",
        "d41d8cd98f00b204e9800998ecf8427e",
    )
    assert literals(indicators) == sorted(
        [
            b"1.2.3.4",
            b"192.0.2.",
            b"198.51.",
            b"203.0.113.5",
            b"bad.example.net",
            b"d41d8cd98f00b204e9800998ecf8427e",
            b"evil.com",
            b"mail.example",
        ]
    )  # the /8 block has a one-octet prefix: a shape pattern, not a literal
    assert any(b"10)" in p or b"(?:10)" in p for p in prefilter.shape_patterns(indicators))


def test_an_unknown_engine_is_refused(log: Path) -> None:
    with pytest.raises(InvalidInput, match="unknown engine"):
        _sweep(log, make_set("evil.com"), "fastest")


@needs_hyperscan
def test_addresses_can_be_found_by_set_lookup_instead_of_in_the_database(
    log: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prefilter, "SPLIT_QUADS", True)
    indicators = make_set("evil.com", "1.2.3.4", "bücher.de", "10.0.0.5")
    hits, summary = _sweep(log, indicators, "hyperscan", tmp_path / "cache")
    assert hits == EXPECTED
    assert summary.engine.startswith("hyperscan (2 literals compiled")
    assert "2 addresses by set lookup" in summary.engine


@needs_hyperscan
def test_a_large_set_is_compiled_in_a_child_process(
    log: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prefilter, "CHILD_LIMIT", 1)
    indicators = make_set("evil.com", "1.2.3.4", "bücher.de", "10.0.0.5")
    hits, summary = _sweep(log, indicators, "hyperscan", tmp_path / "cache")
    assert hits == EXPECTED and "compiled" in summary.engine
    assert len(list((tmp_path / "cache").glob("prefilter-*.hsdb"))) == 1
    assert not list((tmp_path / "cache").glob(".hscompile-*"))  # its scratch is gone


@needs_hyperscan
def test_a_few_new_indicators_beside_a_cached_set_compile_alone(
    log: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After an incremental hub fetch, a large set is the cached one plus a few new
    literals: those are compiled on their own, the big database is reused."""
    monkeypatch.setattr(prefilter, "CHILD_LIMIT", 1)
    monkeypatch.setattr(prefilter, "DELTA_LIMIT", 2)
    cache = tmp_path / "cache"
    base = ("evil.com", "1.2.3.4", "bücher.de", "10.0.0.5")
    _sweep(log, make_set(*base), "hyperscan", cache)
    stored = sorted(p.name for p in cache.glob("prefilter-*"))
    assert [name.rsplit(".", 1)[1] for name in stored] == ["hsdb", "lits"]
    hits, summary = _sweep(log, make_set(*base[1:], "notevil.com"), "auto", cache)
    assert hits == (EXPECTED - {(1, "evil.com")}) | {(2, "notevil.com")}
    assert "from a cached database plus 1 new ones compiled" in summary.engine
    assert sorted(p.name for p in cache.glob("prefilter-*")) == stored
    many = make_set(*base, "notevil.com", "a.example", "b.example")
    hits, summary = _sweep(log, many, "hyperscan", cache)
    assert "literals compiled in" in summary.engine and (2, "notevil.com") in hits
