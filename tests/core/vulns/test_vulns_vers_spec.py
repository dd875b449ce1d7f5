"""Our runner over the public vers-spec test files (package-url/vers-spec, MIT)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from openwarp.core.errors import InvalidInput
from openwarp.core.vulns.vers import (
    canonicalise_vers,
    compare_in_scheme,
    parse_vers,
    sort_in_scheme,
    vers_contains,
)
from openwarp.core.vulns.versions import Ordering

SPEC_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "made" / "vulns" / "vers-spec"


def _cases() -> list[Any]:
    out = []
    for file in sorted(SPEC_DIR.glob("*.json")):
        for index, case in enumerate(orjson.loads(file.read_bytes())["tests"]):
            out.append(pytest.param(case, id=f"{file.stem}[{index}]"))
    return out


CASES = _cases()


def test_the_spec_files_are_all_there() -> None:
    assert len(CASES) == 9 + 8 + 16


@pytest.mark.parametrize("case", CASES)
def test_vers_spec_case(case: dict[str, Any]) -> None:
    kind, given, expected = case["test_type"], case["input"], case.get("expected_output")
    if kind == "parse":
        if case.get("expected_failure"):
            with pytest.raises(InvalidInput) as caught:
                parse_vers(given)
            assert caught.value.message == case["expected_message"]
        else:
            parsed = parse_vers(given)
            assert parsed.scheme == expected["type"]
            assert [list(c) for c in parsed.constraints] == expected["constraints"]
    elif kind == "validate":
        assert canonicalise_vers(given) == expected
    elif kind == "comparison":
        scheme = given.get("input_type") or given.get("input_scheme")
        assert sort_in_scheme(scheme, list(given["versions"])) == expected
    elif kind == "equality":
        scheme = given["input_type"]
        first, second = given["versions"]
        assert (compare_in_scheme(scheme, first, second) is Ordering.EQUAL) is expected
    elif kind == "containment":
        assert vers_contains(given["vers"], given["version"]) is expected
    else:
        pytest.fail(f"unknown test type {kind}")


def test_vendor_scheme_ranges_use_our_comparator() -> None:
    assert vers_contains("vers:generic/>=10.2.0|<10.2.9-h1", "10.2.8-h3") is True
    assert vers_contains("vers:generic/>=10.2.0|<10.2.9-h1", "10.2.9-h1") is False
    assert vers_contains("vers:generic/<2.0|>=3.0|<3.5", "3.2") is True
    assert vers_contains("vers:generic/<2.0|>=3.0|<3.5", "2.5") is False
    assert vers_contains("vers:generic/>=15.2(4)M", "15.2(4)E") is None
