import pytest

from openwarp.core.errors import InvalidInput
from openwarp.core.networks import domain_covers, normalise_domain, parse_ip_range


def test_ranges_are_normalised_and_carry_sortable_bounds() -> None:
    parsed = parse_ip_range(" 81.2.69.0/24 ")
    assert parsed.cidr == "81.2.69.0/24" and parsed.version == 4
    assert parsed.first_key < parsed.last_key
    v6 = parse_ip_range("2A00:1450:4009::/48")
    assert v6.cidr == "2a00:1450:4009::/48" and v6.version == 6


def test_a_single_address_is_a_host_range() -> None:
    assert parse_ip_range("81.2.69.160").cidr == "81.2.69.160/32"


@pytest.mark.parametrize(
    "value",
    [
        "81.2.69.1/24",
        "10.0.0.0/8",
        "192.168.1.0/24",
        "300.1.1.0/24",
        "81.2.69.0/33",
        "fe80::/10",
        "",
        "not a range",
    ],
)
def test_malformed_host_bits_and_private_ranges_are_refused(value: str) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_ip_range(value)
    assert error.value.field == "cidr"


def test_documentation_ranges_are_accepted_for_demos() -> None:
    assert parse_ip_range("192.0.2.0/27").cidr == "192.0.2.0/27"
    assert parse_ip_range("2001:db8:10::/48").version == 6


def test_overlap_is_detected_within_a_family_only() -> None:
    big, small = parse_ip_range("81.2.0.0/16"), parse_ip_range("81.2.69.0/24")
    apart = parse_ip_range("81.3.0.0/16")
    assert big.overlaps(small) and small.overlaps(big)
    assert not big.overlaps(apart)
    assert not big.overlaps(parse_ip_range("2a00:1450::/32"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Derby.GOV.uk.", "derby.gov.uk"),
        (" leicester.gov.uk ", "leicester.gov.uk"),
        ("bücher.example", "xn--bcher-kva.example"),
    ],
)
def test_domains_are_lower_cased_without_trailing_dot_and_in_punycode(
    value: str, expected: str
) -> None:
    assert normalise_domain(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "https://derby.gov.uk",
        "localhost",
        "a..b.uk",
        "-bad.uk",
        "user@derby.gov.uk",
        "1.2.3.4",
        "under_score.uk",
        "",
    ],
)
def test_things_that_are_not_registrable_domains_are_refused(value: str) -> None:
    with pytest.raises(InvalidInput) as error:
        normalise_domain(value)
    assert error.value.field == "domain"


def test_subdomains_are_covered_on_label_boundaries_only() -> None:
    assert domain_covers("derby.gov.uk", "mail.derby.gov.uk")
    assert domain_covers("derby.gov.uk", "derby.gov.uk")
    assert not domain_covers("derby.gov.uk", "notderby.gov.uk")
    assert not domain_covers("derby.gov.uk", "derby.gov.uk.evil.example")
