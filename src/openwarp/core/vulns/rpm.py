"""RPM package versions (`vers:rpm`, CVE 5 `versionType: rpm`), ordered as rpm does.

A version is `[epoch:]version[-release]`. The epoch is a number (missing means
0) and decides first; then the version, then the release, each compared by
rpm's segment rules (rpmvercmp):

- separators (anything but letters, digits, `~` and `^`) only split segments,
  so `1.0` equals `1_0`;
- a segment is a run of digits or a run of letters; digits compare as numbers
  (leading zeros ignored), letters as text, and a digit run beats a letter run
  (`1.0a` < `1.0.1`);
- `~` sorts before everything, even the end (`1.0~rc1` < `1.0`), and `^` after
  the end but before anything else (`1.0` < `1.0^git1` < `1.0.1`);
- when one side runs out first, the side with segments left is later (`1.0` <
  `1.0.1`).

Two things an inventory often leaves out are not guessed. A version without an
epoch against one with a non-zero epoch (`4.9.4-5.el9_4` against Red Hat's
`4:4.9.4-5.el9_4`): rpm reads a missing epoch as 0, but `rpm -q` prints none,
so the package's epoch is unknown (against `0:` it is 0, Red Hat's usual
spelling). And a version equal to the other but without a release (`1.2.0`
against `1.2.0-4`): rpm would call it older, but the build is unknown. Both
answer None ("cannot compare"), as does anything that is not an RPM version.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from packageurl import PackageURL

if TYPE_CHECKING:
    from openwarp.core.vulns.model import AffectedProduct, InventoryItem

__all__ = ["compare_rpm", "epoch_problem", "rpm_installed", "rpm_streams", "rpmvercmp"]

_EVR = re.compile(r"^(?:(\d+):)?([A-Za-z0-9._+~^]+)(?:-([A-Za-z0-9._+~^]+))?$")
_SEGMENT = re.compile(r"\d+|[A-Za-z]+")
_SEPARATORS = re.compile(r"^[^A-Za-z0-9~^]+")


def _sign(a: Any, b: Any) -> int:
    return int(a > b) - int(a < b)


def _marks(a: str, b: str) -> tuple[int | None, str, str]:
    """The `~` and `^` rules at the fronts: (decision or None, what is left of a and b)."""
    if a.startswith("~") or b.startswith("~"):
        if not (a.startswith("~") and b.startswith("~")):
            return (-1 if a.startswith("~") else 1), a, b
        return None, a[1:], b[1:]
    if a.startswith("^") or b.startswith("^"):
        if not a or not b:
            return (1 if a else -1), a, b  # `^` is after the end
        if not (a.startswith("^") and b.startswith("^")):
            return (-1 if a.startswith("^") else 1), a, b
        return None, a[1:], b[1:]
    return None, a, b


def _segment_cmp(x: str, y: str) -> int:
    if x.isdigit() != y.isdigit():
        return 1 if x.isdigit() else -1  # a number is newer than a word
    if x.isdigit():
        x, y = x.lstrip("0"), y.lstrip("0")
        return _sign((len(x), x), (len(y), y))
    return _sign(x, y)


def rpmvercmp(a: str, b: str) -> int:
    """rpm's comparison of two version (or release) strings: -1, 0 or 1."""
    while a or b:
        a, b = _SEPARATORS.sub("", a), _SEPARATORS.sub("", b)
        decided, rest_a, rest_b = _marks(a, b)
        if decided is not None:
            return decided
        if (rest_a, rest_b) != (a, b):
            a, b = rest_a, rest_b
            continue
        if not a or not b:
            break
        x, y = _SEGMENT.match(a), _SEGMENT.match(b)
        if x is None or y is None:  # pragma: no cover - separators were removed
            break
        order = _segment_cmp(x.group(), y.group())
        if order:
            return order
        a, b = a[x.end() :], b[y.end() :]
    return _sign(bool(a), bool(b))


def _epochs(a: str | None, b: str | None) -> int | None:
    """Compare epochs; a side that gives none is taken as 0 only against 0."""
    if (a is None) != (b is None) and int(a or b or 0) != 0:
        return None  # `rpm -q` leaves the epoch out: the package's epoch is unknown
    return _sign(int(a or 0), int(b or 0))


def epoch_problem(installed: str, bound: str) -> str | None:
    """Why `installed` cannot be compared with `bound` for want of an epoch, if so."""
    a, b = _EVR.match(installed.strip()), _EVR.match(bound.strip())
    if a is None or b is None or a.group(1) is not None or not int(b.group(1) or 0):
        return None
    return (
        f"the record's {bound} has epoch {b.group(1)} and {installed} gives none "
        "(add ?epoch= to the package URL)"
    )


def compare_rpm(left: str, right: str) -> int | None:
    """-1, 0 or 1 as `left` is older than, the same as or newer than `right`."""
    a, b = _EVR.match(left.strip()), _EVR.match(right.strip())
    if a is None or b is None:
        return None
    epochs = _epochs(a.group(1), b.group(1))
    if epochs is None:
        return None
    order = epochs or rpmvercmp(a.group(2), b.group(2))
    if order:
        return order
    if (a.group(3) is None) != (b.group(3) is None):
        return None  # one side names no release: which build it is is unknown
    if a.group(3) is None:
        return 0
    return rpmvercmp(a.group(3), b.group(3))


def _judged_in_rpm_order(item: InventoryItem, entries: Sequence[AffectedProduct]) -> bool:
    """A `pkg:rpm` row against entries whose versions are all labelled rpm."""
    if not item.purl or not item.purl.lower().startswith("pkg:rpm/"):
        return False
    return {str(v.get("versionType", "")).lower() for e in entries for v in e.versions} == {"rpm"}


def rpm_streams(
    item: InventoryItem, entries: Sequence[AffectedProduct]
) -> dict[str, list[AffectedProduct]] | None:
    """The entries that list versions, per product stream, when a `pkg:rpm`
    row meets several streams.

    Red Hat lists a package once per stream (RHEL 9, 9.0 E4S, OpenShift 4.12,
    ...), each with its own fixed build; a package URL names no stream, so one
    stream's fix must not clear a row that may run another."""
    if not _judged_in_rpm_order(item, entries):
        return None
    streams: dict[str, list[AffectedProduct]] = {}
    for entry in entries:
        if entry.versions:
            streams.setdefault(entry.product, []).append(entry)
    return streams if len(streams) > 1 else None


def rpm_installed(item: InventoryItem, entries: Sequence[AffectedProduct]) -> str:
    """The row's version; for a `pkg:rpm` row with an `epoch` qualifier judged by
    entries whose versions are all labelled rpm, with that epoch (`4:4.9.4-5.el9_4`).
    Other entries (an upstream project's own ranges) see the version as given."""
    installed = item.effective_version
    if ":" in installed or not item.purl or not _judged_in_rpm_order(item, entries):
        return installed
    try:
        qualifiers = PackageURL.from_string(item.purl).qualifiers
    except ValueError:
        return installed
    epoch = qualifiers.get("epoch") if isinstance(qualifiers, dict) else None
    return f"{epoch}:{installed}" if epoch and str(epoch).isdigit() and installed else installed
