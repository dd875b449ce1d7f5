"""The matching rules a member relies on, including grep's false positives."""

from __future__ import annotations

from pathlib import Path

from openwarp.core.indicators import build_set
from tests.core.sweep.conftest import Sweep, found, run_sweep


def test_domain_matches_itself_and_subdomains_case_insensitively(sweep_text: Sweep) -> None:
    hits, _ = sweep_text(
        "GET evil.com\nGET WWW.Evil.COM\nGET a.b.evil.com.\nGET evil.community\n", "evil.com"
    )
    assert found(hits) == {
        (1, "evil.com", "evil.com"),
        (2, "evil.com", "WWW.Evil.COM"),
        (3, "evil.com", "a.b.evil.com"),
    }


def test_domain_never_matches_inside_another_name(sweep_text: Sweep) -> None:
    # Each of these is a grep -F hit for "evil.com" and none is the domain.
    log = "notevil.com\nevil.com.au\nevil.comx.net\nxevil.com\nevil-com.net\nevil.co\n"
    hits, _ = sweep_text(log, "evil.com")
    assert hits == []


def test_indicator_in_defanged_or_trailing_dot_form_is_refanged(sweep_text: Sweep) -> None:
    hits, _ = sweep_text(
        "query www.evil.com\nfetch http://bad.org/x.php\n", "EVIL[.]com.", "hxxp://bad[.]org/x.php"
    )
    assert {(h.line, h.indicator) for h in hits} == {
        (1, "EVIL[.]com."),
        (2, "hxxp://bad[.]org/x.php"),
    }


def test_defanged_text_inside_a_log_is_refanged_too(sweep_text: Sweep) -> None:
    log = (
        "2026-11-30T10:00:00Z ticket 41: user clicked hxxps://www.evil[.]com/login\n"
        "2026-11-30T10:01:00Z ticket 42: reply from bob[@]bad(.)org at 198.51.100[.]7\n"
        "2026-11-30T10:02:00Z ticket 43: not defanged: evil[x]com, notevil[.]com\n"
    )
    hits, _ = sweep_text(log, "evil.com", "bob@bad.org", "198.51.100.7")
    assert {(h.line, h.indicator, h.matched) for h in hits} == {
        (1, "evil.com", "www.evil.com"),
        (2, "bob@bad.org", "bob@bad.org"),
        (2, "198.51.100.7", "198.51.100.7"),
    }


def test_internationalised_domain_matches_punycode_and_unicode(sweep_text: Sweep) -> None:
    log = "q xn--e1afmkfd.xn--p1ai\nq www.пример.рф\nq пример.com\n"
    hits, _ = sweep_text(log, "пример.рф")
    assert {hit.line for hit in hits} == {1, 2}


def test_ipv4_is_exact_never_inside_a_longer_address(sweep_text: Sweep) -> None:
    log = (
        "src=1.2.3.4 ok\nsrc=11.2.3.45\nsrc=1.2.3.45\nsrc=21.2.3.4\nv 1.2.3.4.5\nsrc=1.2.3.4:443\n"
    )
    hits, _ = sweep_text(log, "1.2.3.4")
    assert {hit.line for hit in hits} == {1, 6}


def test_zero_padded_address_is_read_as_decimal(sweep_text: Sweep) -> None:
    hits, _ = sweep_text("peer 010.001.002.003\npeer 8.1.2.3\n", "10.1.2.3")
    assert found(hits) == {(1, "10.1.2.3", "010.001.002.003")}


def test_address_inside_cidr_block_matches_and_neighbours_do_not(sweep_text: Sweep) -> None:
    log = "a 192.0.2.0\nb 192.0.2.255\nc 192.0.3.0\nd 192.0.1.255\n"
    hits, _ = sweep_text(log, "192.0.2.0/24")
    assert {hit.line for hit in hits} == {1, 2}


def test_wide_cidr_block_is_found_through_the_prefix_gate(sweep_text: Sweep) -> None:
    log = "x 10.200.7.9\ny 11.0.0.1\nz 9.255.255.255\n"
    hits, _ = sweep_text(log, "10.0.0.0/8")
    assert {hit.line for hit in hits} == {1}


def test_ipv6_matches_in_any_textual_form(sweep_text: Sweep) -> None:
    log = (
        "a 2001:db8:0:0:0:0:0:1\nb 2001:DB8::1\nc [2001:db8::1]:443\nd 2001:db8::10\n"
        "e 2001:0db8:0000::0001%eth0\n"
    )
    hits, _ = sweep_text(log, "2001:db8::1")
    assert {hit.line for hit in hits} == {1, 2, 3, 5}


def test_ipv6_cidr_and_ipv4_mapped_addresses(sweep_text: Sweep) -> None:
    log = "a 2001:db8:ffff::7\nb 2001:db9::1\nc ::ffff:198.51.100.7\n"
    hits, _ = sweep_text(log, "2001:db8::/32", "198.51.100.7")
    assert {(hit.line, hit.indicator) for hit in hits} == {
        (1, "2001:db8::/32"),
        (3, "198.51.100.7"),
    }


def test_url_is_normalised_before_comparison(sweep_text: Sweep) -> None:
    log = (
        "GET HTTP://Bad.ORG:80/./b/../gate.php\n"
        "GET http://bad.org/gate.php?id=7\n"
        "GET http://bad.org/%67ate.php\n"
        "GET http://bad.org/gate.phpx\n"
        "GET https://bad.org/gate.php\n"
        "GET http://bad.org/other.php\n"
    )
    hits, _ = sweep_text(log, "http://bad.org/gate.php")
    assert {hit.line for hit in hits} == {1, 2, 3}


def test_url_without_scheme_matches_any_scheme(sweep_text: Sweep) -> None:
    log = "GET https://bad.org:8443/kit/\nGET http://bad.org:8443/kit/\nGET http://bad.org/kit/\n"
    hits, _ = sweep_text(log, "bad.org:8443/kit/")
    assert {hit.line for hit in hits} == {1, 2}


def test_hashes_match_case_insensitively_as_whole_runs(sweep_text: Sweep) -> None:
    digest = "44d88612fea8a8f36de82e1278abb02f"
    log = f"md5={digest.upper()}\nfile_{digest}.bin\nx{digest}\n{digest}0\n"
    hits, _ = sweep_text(log, digest)
    assert {hit.line for hit in hits} == {1, 2}


def test_email_and_ip_port_indicators(sweep_text: Sweep) -> None:
    log = "from Bob@Evil.net to x\nfrom rob@evil.net\nconnect 5.6.7.8:8443\nconnect 5.6.7.8:84430\n"
    hits, _ = sweep_text(log, "bob@evil.net", "5.6.7.8:8443")
    assert {(hit.line, hit.indicator) for hit in hits} == {(1, "bob@evil.net"), (3, "5.6.7.8:8443")}


def test_ip_port_matches_where_the_port_is_written_apart(sweep_text: Sweep) -> None:
    log = (
        "kernel: DROP SRC=10.0.0.5 DST=5.6.7.8 LEN=60 PROTO=TCP SPT=51000 DPT=8443\n"
        "kernel: DROP SRC=10.0.0.5 DST=5.6.7.8 LEN=60 PROTO=TCP SPT=51000 DPT=443\n"
        'type="traffic" srcip=10.0.0.5 dstip=5.6.7.8 dstport=8443 action="deny"\n'
        "kernel: ACCEPT SRC=5.6.7.8 DST=10.0.0.5 LEN=60 PROTO=TCP SPT=40000 DPT=8443\n"
    )
    hits, _ = sweep_text(log, "5.6.7.8:8443")
    # Line 4 is the address as a source talking to our port 8443: not that service.
    assert [(hit.line, hit.matched) for hit in hits] == [(1, "5.6.7.8"), (3, "5.6.7.8")]


def test_ip_port_in_zeek_connection_records(sweep_text: Sweep) -> None:
    log = (
        '{"ts":1700000000.1,"id.orig_h":"10.0.0.5","id.orig_p":51000,'
        '"id.resp_h":"5.6.7.8","id.resp_p":8443,"proto":"tcp"}\n'
        '{"ts":1700000000.2,"id.orig_h":"10.0.0.5","id.orig_p":51001,'
        '"id.resp_h":"5.6.7.8","id.resp_p":443,"proto":"tcp"}\n'
    )
    hits, _ = sweep_text(log, "5.6.7.8:8443")
    assert [(hit.line, hit.format) for hit in hits] == [(1, "json")]


def test_every_report_of_a_value_is_reported(tmp_path: Path) -> None:
    rows = [("f", 1, "evil.com", "report A", "green"), ("f", 2, "evil.com", "report B", "red")]
    log = tmp_path / "a.log"
    log.write_text("q evil.com\n")
    hits, _, _ = run_sweep([str(log)], build_set(rows).indicators)
    assert {(hit.report, hit.tlp) for hit in hits} == {("report A", "green"), ("report B", "red")}
