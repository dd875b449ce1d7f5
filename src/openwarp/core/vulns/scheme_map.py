"""Which version ordering applies to a record's range and to an inventory row.

A CVE JSON 5 version object may say how its versions are ordered
(`versionType`: `python`, `maven`, `npm`, `semver`, ...), a CSAF `vers:` range
names its scheme, and a package-URL row names its ecosystem (`pkg:pypi/...`).
When the record's scheme is one we order (`schemes.py`, `vers.py`) and the
row's version is in that scheme, the matcher compares in the scheme: PEP 440
puts `2.0rc1` before `2.0`, Maven puts `1.0-alpha` before `1.0`. Everything
else keeps the vendor comparator.

Two labels are special. `git` (and a commit hash) is a source-code position,
never a release number, so it is never compared. `semver` is applied loosely
by many CNAs (Juniper's `21.4R3-S5`, Dell's `5.2.0.0` are labelled `semver`):
a `semver` object whose own bounds are not SemVer is read with the vendor
comparator, as an analyst would read it. Even SemVer-shaped bounds under that
label are often vendor notation (Apache Tomcat's `11.0.0-M5` milestones, where
SemVer's text order puts M5 after M16; Adobe's `2.4.6-p3` patches, which
SemVer would put before 2.4.6), so for a row that is not a package URL of a
SemVer ecosystem the vendor comparator decides and SemVer only orders what it
cannot (`LOOSE_SEMVER`). A package-URL row of the record's ecosystem is
compared strictly in the scheme: its version is the package's own string. A
typed or CPE row under an ecosystem label (python, maven, npm, ...) must be a
version of that scheme, and where the scheme and the vendor comparator both
give an order they must agree, else the row needs review.

A vendor's own numbering can stand in for a label it misuses: Liferay labels its
DXP releases `maven`, which orders `7.3.10.u10` before `7.3.10-dxp-2` and the
two spellings of one update apart, so the matcher reads Liferay's entries in
Liferay's release order (`liferay.py`); such an ordering is the vendor's, so it
needs no second opinion from the vendor comparator.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from openwarp.core.vulns.liferay import LIFERAY
from openwarp.core.vulns.rpm import epoch_problem
from openwarp.core.vulns.vers import compare_in_scheme
from openwarp.core.vulns.versions import Ordering, compare_versions

__all__ = [
    "LOOSE_SCHEMES",
    "LOOSE_SEMVER",
    "bounds_parse",
    "comparator",
    "compare_loose_semver",
    "comparison_for",
    "parses_in_scheme",
    "purl_scheme",
    "row_scheme_applies",
    "scheme_for_version_type",
    "scheme_problem",
]

# vers schemes we order with their ecosystem's own rules.
_ORDERED = frozenset(
    {
        "pypi",
        "npm",
        "maven",
        "nuget",
        "semver",
        "golang",
        "cargo",
        "conan",
        "alpm",
        "apk",
        "rpm",
        "deb",
        "gentoo",
        "openssl",
        "intdot",
        LIFERAY,
    }
)
_ALIASES = {"python": "pypi", "pep440": "pypi", "go": "golang"}
_SEMVER_FAMILY = frozenset({"semver", "npm", "golang", "cargo"})
# Labels whose bounds are checked before the label is believed.
LOOSE_SCHEMES = frozenset({"semver"})
# The comparison used for a `semver` label on a row that is not a SemVer package.
LOOSE_SEMVER = "semver-as-labelled"
_CHECKED = "checked:"  # a typed row under an ecosystem label: scheme and vendor agree
# Distribution package builds: a typed or CPE row gives the product's version (RHEL
# 8.10), not a package build, so only a package-URL row is compared in these.
_PACKAGE_ONLY = frozenset({"rpm", "deb"})
# Vendors' own release numberings (the matcher picks them per record's vendor).
_VENDOR_SCHEMES = frozenset({LIFERAY})
# Package-URL types whose versions follow one of the orderings above.
_PURL_TYPES = {
    "pypi": "pypi",
    "npm": "npm",
    "maven": "maven",
    "nuget": "nuget",
    "golang": "golang",
    "cargo": "cargo",
    "conan": "conan",
    "alpm": "alpm",
    "apk": "apk",
    "rpm": "rpm",
    "deb": "deb",
}


def scheme_for_version_type(version_type: str) -> str | None:
    """The vers scheme a CVE 5 `versionType` (or CSAF vers scheme) names, if we order it."""
    name = version_type.strip().lower()
    name = _ALIASES.get(name, name)
    return name if name in _ORDERED else None


def purl_scheme(purl: str | None) -> str | None:
    """The scheme of a package URL's type (`pkg:pypi/requests@2.31.0` is pypi)."""
    if not purl or not purl.lower().startswith("pkg:"):
        return None
    kind = purl[4:].lstrip("/").split("/", 1)[0].lower()
    return _PURL_TYPES.get(kind)


def row_scheme_applies(entry_scheme: str, *, is_purl: bool, row_scheme: str | None) -> bool:
    """Is the row's version in the record's scheme? A typed or CPE row is taken to be
    (the record names the scheme for this product), except under a distribution's
    package scheme (rpm, deb); a package-URL row only when its type orders versions
    the same way (a `pkg:npm` row under a `semver` label)."""
    if not is_purl:
        return entry_scheme not in _PACKAGE_ONLY
    if row_scheme is None:
        return False
    if row_scheme == entry_scheme:
        return True
    return entry_scheme == "semver" and row_scheme in _SEMVER_FAMILY


def compare_loose_semver(left: str, right: str) -> Ordering:
    """The vendor comparator's order; SemVer's only where the vendor one has none."""
    vendor = compare_versions(left, right)
    if vendor is not Ordering.INCOMPARABLE:
        return vendor
    return compare_in_scheme("semver", left, right)


def compare_checked(scheme: str, left: str, right: str, *, equality: bool = False) -> Ordering:
    """The scheme's order, unless the vendor comparator gives a different one (with
    `equality`, only "equal" against "not equal" counts as different)."""
    strict = compare_in_scheme(scheme, left, right)
    if strict is Ordering.INCOMPARABLE:
        return strict
    vendor = compare_versions(left, right)
    if vendor is Ordering.INCOMPARABLE or vendor is strict:
        return strict
    if equality and Ordering.EQUAL not in (vendor, strict):
        return strict
    return Ordering.INCOMPARABLE


def comparison_for(scheme: str, *, is_purl: bool) -> str:
    """How a row is compared under a record's scheme (see the module's rules)."""
    if is_purl or scheme in _VENDOR_SCHEMES:
        return scheme  # a vendor's own numbering needs no second opinion
    return LOOSE_SEMVER if scheme == "semver" else _CHECKED + scheme


_COMPARATORS: dict[str, Callable[[str, str], Ordering]] = {LOOSE_SEMVER: compare_loose_semver}


def comparator(comparison: str, *, equality: bool = False) -> Callable[[str, str], Ordering]:
    """The comparison function named by `comparison_for`; `equality` for exact versions."""
    key = f"={comparison}" if equality else comparison
    found = _COMPARATORS.get(key)
    if found is None:
        if comparison.startswith(_CHECKED):
            scheme = comparison[len(_CHECKED) :]
            found = partial(compare_checked, scheme, equality=equality)
        elif comparison == LOOSE_SEMVER:
            found = compare_loose_semver
        else:
            found = partial(compare_in_scheme, comparison)
        _COMPARATORS[key] = found
    return found


def parses_in_scheme(scheme: str, version: str) -> bool:
    """Does the scheme read this version at all (a version always equals itself)?"""
    return compare_in_scheme(scheme, version, version) is not Ordering.INCOMPARABLE


_LABELS = {
    "pypi": "PEP 440 (pypi)",
    "semver": "SemVer",
    "npm": "npm (SemVer)",
    LIFERAY: "Liferay release",
}


def scheme_problem(scheme: str, installed: str, bounds: tuple[str | None, ...]) -> str | None:
    """Why a comparison in `scheme` failed: the row's version or a record bound that the
    scheme cannot read (wildcard bounds such as `2.426.*` are read as prefixes)."""
    if scheme == LOOSE_SEMVER:
        return None  # the vendor comparator's own "cannot compare" stands
    checked = scheme.startswith(_CHECKED)
    scheme = scheme.removeprefix(_CHECKED)
    label = _LABELS.get(scheme, scheme)
    if not parses_in_scheme(scheme, installed):
        return f"{installed} is not a valid {label} version"
    for bound in bounds:
        if not bound or bound.endswith(("*", ".x")):
            continue
        if not parses_in_scheme(scheme, bound):
            return f"the record's {bound} is not a valid {label} version"
        if scheme == "rpm" and (missing := epoch_problem(installed, bound)):
            return missing
        if checked and compare_checked(scheme, installed, bound) is Ordering.INCOMPARABLE:
            return (
                f"{label} and the vendor's numbering order {installed} and {bound} "
                "differently (give the row as a package URL to use the former)"
            )
    return None


def bounds_parse(scheme: str, bounds: tuple[str | None, ...]) -> bool:
    """Do all of an object's own bounds read in the scheme (checks a loose label)?"""
    return all(parses_in_scheme(scheme, b) for b in bounds if b and not b.endswith(("*", ".x")))
