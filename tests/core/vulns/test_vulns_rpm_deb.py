"""RPM and Debian package orderings (`core/vulns/rpm.py`, `deb.py`) and where they apply.

The comparison examples are the documented ones: rpm's version-comparison rules
(segments, `~` before the end, `^` after it) and Debian Policy 5.6.12 (epoch,
upstream, revision; `~` before everything). The matching cases use real Red Hat
records (CVE 5 `versionType: rpm`) from the shared 2024 data."""

from __future__ import annotations

from typing import Any

import pytest

from openwarp.core.vulns.cve5 import record_to_vulnerability
from openwarp.core.vulns.deb import compare_deb
from openwarp.core.vulns.inventory import make_item
from openwarp.core.vulns.matcher import InventoryIndex
from openwarp.core.vulns.rpm import compare_rpm, rpmvercmp
from openwarp.core.vulns.vers import vers_contains

RPMVERCMP = [
    ("1.0", "1.0", 0), ("1.0", "2.0", -1), ("2.0", "2.0.1", -1), ("2.0.1a", "2.0.1", 1),
    ("5.5p1", "5.5p2", -1), ("5.5p10", "5.5p1", 1), ("10xyz", "10.1xyz", -1),
    ("xyz.4", "8", -1), ("1.0010", "1.9", 1), ("1.05", "1.5", 0), ("1.0", "1", 1),
    ("2.50", "2.5", 1), ("fc4", "fc.4", 0), ("FC5", "fc4", -1), ("2a", "2.0", -1),
    ("1.0", "1.fc4", 1), ("3.0.0_fc", "3.0.0.fc", 0), ("1.0a", "1.0.1", -1),
    ("1.0~rc1", "1.0", -1), ("1.0~rc1", "1.0~rc2", -1), ("1.0~rc1~git123", "1.0~rc1", -1),
    ("1.0^", "1.0", 1), ("1.0^git1", "1.0", 1), ("1.0^git1", "1.01", -1),
    ("1.0^20160101", "1.0.1", -1), ("1.0^20160101^git1", "1.0^20160101", 1),
    ("1.0~rc1^git1", "1.0~rc1", 1), ("1.0^git1~pre", "1.0^git1", -1),
]  # fmt: skip


@pytest.mark.parametrize(("left", "right", "order"), RPMVERCMP)
def test_rpm_segments_compare_as_rpm_documents(left: str, right: str, order: int) -> None:
    assert rpmvercmp(left, right) == order
    assert rpmvercmp(right, left) == -order


def test_rpm_epoch_version_release() -> None:
    assert compare_rpm("1:1.0-1", "2.0-1") is None  # the right side's epoch is unknown
    assert compare_rpm("1:1.0-1", "0:2.0-1") == 1
    assert compare_rpm("0:1.9.0-15.el8_2.10", "1.9.0-15.el8_2.11") == -1  # 0: is no epoch
    assert compare_rpm("1.2.0", "1.2.0-4") is None  # which build is unknown
    assert compare_rpm("1.2.0", "1.3-1") == -1
    assert compare_rpm("not a version!", "1.0") is None


DEBIAN = [
    ("1.0~rc1", "1.0", -1), ("1.0", "1.0+b1", -1), ("1.0~~", "1.0~~a", -1),
    ("1.0~~a", "1.0~", -1), ("1.0~", "1.0", -1), ("1.0", "1.0a", -1), ("1:1.0", "2.0", 1),
    ("1.0-1", "1.0-2", -1), ("1.0", "1.0-0", 0), ("2.30-1ubuntu1", "2.30-1", 1),
    ("1.2.3-4-5", "1.2.3-4-6", -1), ("7.88.1-10+deb12u5", "7.88.1-10+deb12u6", -1),
    ("1.0.10", "1.0.9", 1), ("1.0a", "1.0+", -1), ("1.0-1~bpo1", "1.0-1", -1),
]  # fmt: skip


@pytest.mark.parametrize(("left", "right", "order"), DEBIAN)
def test_debian_versions_follow_policy(left: str, right: str, order: int) -> None:
    assert compare_deb(left, right) == order
    assert compare_deb(right, left) == -order


def test_unreadable_debian_versions_cannot_be_compared() -> None:
    assert compare_deb("abc", "1.0") is None  # an upstream version starts with a digit
    assert compare_deb("1.0:2", "1.0") is None


def test_vers_ranges_in_rpm_and_deb() -> None:
    assert vers_contains("vers:rpm/<0:8.7p1-38.el9_4.1", "8.7p1-38.el9") is True
    assert vers_contains("vers:rpm/<0:8.7p1-38.el9_4.1", "8.7p1-38.el9_4.1") is False
    assert vers_contains("vers:deb/<1:9.2p1-2+deb12u3", "1:9.2p1-2+deb12u2") is True
    assert vers_contains("vers:deb/<1:9.2p1-2+deb12u3", "1:9.2p1-2+deb12u3~bpo1") is True


def _judge(doc: dict[str, Any], row: dict[str, str]) -> Any:
    [finding] = InventoryIndex([make_item(1, row)]).match(
        record_to_vulnerability(doc), include_not_affected=True
    )
    return finding


def test_a_red_hat_package_url_row_is_read_in_rpm_order(
    real_documents: dict[str, Any],
) -> None:
    # CVE-2024-1394: podman fixed in 4:4.9.4-5.el9_4 (RHEL 9), 2:4.2.0-4.el9_0 (9.0
    # E4S) and more streams, versions labelled rpm, default affected.
    doc = real_documents["CVE-2024-1394"]
    fixed = _judge(doc, {"purl": "pkg:rpm/redhat/podman@4.9.4-5.el9_4?epoch=4"})
    assert (str(fixed.verdict), fixed.evidence["installed"]) == ("not_affected", "4:4.9.4-5.el9_4")
    assert fixed.evidence["version_scheme"] == "rpm"
    # Without its epoch the build cannot be placed against epoch-4 releases: ask.
    bare = _judge(doc, {"purl": "pkg:rpm/redhat/podman@4.9.4-5.el9_4"})
    assert str(bare.verdict) == "needs_review"
    assert "has epoch 4 and 4.9.4-5.el9_4 gives none" in bare.reason


def test_a_fix_in_one_red_hat_stream_does_not_clear_a_build_of_another(
    real_documents: dict[str, Any],
) -> None:
    # CVE-2024-1394 lists podman per stream: RHEL 9 fixed in 4:4.9.4-5.el9_4, the
    # 9.0 SAP stream in 2:4.2.0-4.el9_0, OpenShift 4.12-4.15 in epoch-3 builds. An
    # older RHEL 9 build is past every other stream's fix but not RHEL 9's own:
    # with no stream in the package URL, it must be reviewed, not cleared.
    doc = real_documents["CVE-2024-1394"]
    older = _judge(doc, {"purl": "pkg:rpm/redhat/podman@4.9.4-4.el9_4?epoch=4"})
    assert str(older.verdict) == "needs_review"
    assert "under 1 of them this build is not cleared (Red Hat Enterprise Linux 9:" in older.reason
    assert older.evidence["streams"]["Red Hat Enterprise Linux 9"] == "affected"
    # The fixed build is cleared by every stream that lists podman.
    fixed = _judge(doc, {"purl": "pkg:rpm/redhat/podman@4.9.4-5.el9_4?epoch=4"})
    assert str(fixed.verdict) == "not_affected"


def test_a_typed_product_row_keeps_the_vendor_comparator(
    real_documents: dict[str, Any],
) -> None:
    # "Red Hat Enterprise Linux 9" at 9.4 is the product's release, not a package build.
    row = {"vendor": "Red Hat", "product": "Red Hat Enterprise Linux 9", "version": "9.4"}
    finding = _judge(real_documents["CVE-2024-1394"], row)
    assert "version_scheme" not in finding.evidence


def test_epoch_zero_is_read_as_no_epoch_in_red_hat_records(
    real_documents: dict[str, Any],
) -> None:
    # CVE-2024-6387 (regreSSHion): RHEL 9 fixed in 0:8.7p1-38.el9_4.1; RHEL 8 unaffected
    # and not listed with a version. An el8 build is outside the listed ranges (the
    # vendor reading had called it "listed as unaffected (0:8.7p1-38.el9_4.1)").
    finding = _judge(
        real_documents["CVE-2024-6387"], {"purl": "pkg:rpm/redhat/openssh@8.0p1-19.el8_8"}
    )
    assert str(finding.verdict) == "not_affected"
    assert "not among the affected versions listed" in finding.reason
