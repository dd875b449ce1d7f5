import pytest

from openwarp.core.errors import InvalidInput
from openwarp.core.sharing.paste import MAX_INDICATORS, classify_extended, parse_pasted


def test_defanged_prose_and_lists_yield_each_indicator_once() -> None:
    text = (
        "Phish landing page hxxps://login-portal[.]example/o365 from 185.220.101.4\n"
        "185.220.101.4, 2001:DB8::1 ; AS13335\n"
        "payload invoice.pdf.exe E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855\n"
        "exploits CVE-2024-3400 # PAN-OS GlobalProtect\n"
        "reply-to: billing@supplier-payments[.]example\n"
    )
    found = [(i.kind, i.value, i.line) for i in parse_pasted(text).indicators]
    assert found == [
        ("url", "https://login-portal.example/o365", 1),
        ("ipv4", "185.220.101.4", 1),
        ("ipv6", "2001:db8::1", 2),
        ("asn", "AS13335", 2),
        ("filename", "invoice.pdf.exe", 3),
        ("sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", 3),
        ("cve", "CVE-2024-3400", 4),
        ("email", "billing@supplier-payments.example", 5),
    ]


def test_lines_with_nothing_recognisable_are_reported_by_number() -> None:
    result = parse_pasted("evil.example\nplease block these asap\n\n# just a comment\n")
    assert [i.value for i in result.indicators] == ["evil.example"]
    assert result.unrecognised == [(2, "please block these asap")]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("cve-2021-44228", "cve"),
        ("as0064496", "asn"),
        ("Update.ps1", "filename"),
        ("mail.derby.gov.uk", "domain"),
        ("10.0.0.0/8", "cidr"),
    ],
)
def test_each_kind_is_recognised(text: str, kind: str) -> None:
    assert classify_extended(text)[0] == kind


def test_too_many_indicators_are_refused_with_advice() -> None:
    text = "\n".join(f"host{n}.example" for n in range(MAX_INDICATORS + 2))
    with pytest.raises(InvalidInput, match="upload a file"):
        parse_pasted(text)
