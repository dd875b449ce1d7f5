"""CPE parsing and NISTIR 7696 name matching, written from the standard's tables."""

from __future__ import annotations

import pytest

from openwarp.core.errors import InvalidInput
from openwarp.core.vulns.cpe import (
    ANY,
    NA,
    Cpe,
    Pattern,
    Relation,
    compare_attribute,
    cpe_disjoint,
    cpe_equal,
    cpe_subset,
    cpe_superset,
    parse_cpe,
)

E, SUP, SUB, DIS, UND = (
    Relation.EQUAL,
    Relation.SUPERSET,
    Relation.SUBSET,
    Relation.DISJOINT,
    Relation.UNDEFINED,
)
WILD = Pattern("", "7", "*")  # "7*"

# Table 6-2 of NISTIR 7696: the 17 source/target attribute cases, in order.
TABLE_6_2 = [
    (1, ANY, ANY, E),
    (2, ANY, NA, SUP),
    (3, ANY, "i", SUP),
    (4, ANY, WILD, UND),
    (5, NA, ANY, SUB),
    (6, NA, NA, E),
    (7, NA, "i", DIS),
    (8, NA, WILD, UND),
    (9, "i", "i", E),
    (10, "i", "k", DIS),
    (11, "i", WILD, UND),
    (12, "i", NA, DIS),
    (13, "i", ANY, SUB),
    (14, WILD, "7.0", SUP),
    (15, WILD, ANY, SUB),
    (16, WILD, NA, DIS),
    (17, WILD, Pattern("", "7", "?"), UND),
]


@pytest.mark.parametrize(("number", "source", "target", "relation"), TABLE_6_2)
def test_attribute_relations_follow_table_6_2(
    number: int, source: object, target: object, relation: Relation
) -> None:
    assert compare_attribute(source, target) is relation, f"case {number}"  # type: ignore[arg-type]


def test_wildcard_source_that_does_not_fit_is_disjoint() -> None:
    assert compare_attribute(WILD, "8.0") is DIS  # case 14, second outcome


@pytest.mark.parametrize(
    ("pattern", "value", "fits"),
    [
        ("cpe:2.3:a:v:p:7.?:*:*:*:*:*:*:*", "7.1", True),
        ("cpe:2.3:a:v:p:7.?:*:*:*:*:*:*:*", "7.10", False),
        ("cpe:2.3:a:v:p:7.??:*:*:*:*:*:*:*", "7.10", True),
        ("cpe:2.3:a:v:p:*.1:*:*:*:*:*:*:*", "22.1", True),
        ("cpe:2.3:a:v:p:*.1:*:*:*:*:*:*:*", "22.2", False),
    ],
)
def test_wildcards_at_the_ends_of_a_value(pattern: str, value: str, fits: bool) -> None:
    source = parse_cpe(pattern)
    target = parse_cpe(f"cpe:2.3:a:v:p:{value}:*:*:*:*:*:*:*")
    assert cpe_disjoint(source, target) is not fits


def test_name_relations_combine_attributes_as_in_table_6_4() -> None:
    generic = parse_cpe("cpe:2.3:a:microsoft:internet_explorer:*:*:*:*:*:*:*:*")
    specific = parse_cpe("cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*")
    assert cpe_superset(generic, specific) and not cpe_subset(generic, specific)
    assert cpe_subset(specific, generic) and not cpe_superset(specific, generic)
    assert cpe_equal(specific, specific)
    other = parse_cpe("cpe:2.3:a:microsoft:internet_explorer:8.0.6001:sp1:*:*:*:*:*:*")
    assert cpe_disjoint(specific, other)


def test_na_version_does_not_cover_a_real_version() -> None:
    """Dependency-Track#3268: `-` means "no version", never "every version"."""
    unversioned = parse_cpe("cpe:2.3:o:vendor:product:-:*:*:*:*:*:*:*")
    release = parse_cpe("cpe:2.3:o:vendor:product:2.1:*:*:*:*:*:*:*")
    assert cpe_disjoint(unversioned, release)


def test_formatted_string_escapes_are_undone_and_bound_again() -> None:
    text = r"cpe:2.3:o:cisco:nx-os:6.0\(2\)a6\(1\):*:*:*:*:*:*:*"
    cpe = parse_cpe(text)
    assert cpe.version == "6.0(2)a6(1)"
    assert cpe.to_fs() == text
    assert parse_cpe(r"cpe:2.3:a:vendor:a\:b:1:*:*:*:*:*:*:*").product == "a:b"


def test_values_compare_without_case() -> None:
    assert parse_cpe("cpe:2.3:O:Cisco:IOS:15.2:*:*:*:*:*:*:*").vendor == "cisco"


def test_cpe_22_uri_from_red_hat_records() -> None:
    cpe = parse_cpe("cpe:/a:redhat:ansible_automation_platform:2.4::el9")
    assert (cpe.vendor, cpe.product, cpe.version, cpe.update, cpe.edition) == (
        "redhat",
        "ansible_automation_platform",
        "2.4",
        ANY,
        "el9",
    )
    packed = parse_cpe("cpe:/a:vendor:prod:1.0:-:~~~android~arm~")
    assert (packed.update, packed.target_sw, packed.target_hw) == (NA, "android", "arm")


@pytest.mark.parametrize(
    "bad",
    [
        "cpe:2.3:a:vendor:product:1.0",  # too few attributes
        "cpe:2.3:x:vendor:product:1:*:*:*:*:*:*:*",  # unknown part
        "cpe:2.3:a:vendor:pro*duct:1:*:*:*:*:*:*:*",  # wildcard in the middle
        "cpe:2.3:a:vendor::1:*:*:*:*:*:*:*",  # empty attribute
        "product 1.0",
    ],
)
def test_malformed_names_are_refused(bad: str) -> None:
    with pytest.raises(InvalidInput):
        parse_cpe(bad)


def test_an_unset_name_is_all_any() -> None:
    assert all(v is ANY for v in Cpe().values())
