"""Typing and normal forms: what counts as the same indicator."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openwarp.core.errors import InvalidInput
from openwarp.core.indicators import IndicatorType, classify, refang
from openwarp.core.indicators.canonical import canonical as _canonical

T = IndicatorType


@pytest.mark.parametrize(
    ("given", "live"),
    [
        ("hxxp://evil[.]com/a", "http://evil.com/a"),
        ("hXXps[:]//evil(.)com", "https://evil.com"),
        ("fxp://files{.}evil[dot]com", "ftp://files.evil.com"),
        ("bob[at]evil[.]com", "bob@evil.com"),
        ("bob(@)evil\\.com", "bob@evil.com"),
        ("evil dot com", "evil.com"),
        ("1.2.3[.]4", "1.2.3.4"),
        ("plain.example.org", "plain.example.org"),
    ],
)
def test_refang_restores_live_values(given: str, live: str) -> None:
    assert refang(given) == live


@pytest.mark.parametrize(
    ("given", "kind", "key"),
    [
        ("EVIL.Com.", T.DOMAIN, "evil.com"),
        ("пример.рф", T.DOMAIN, "xn--e1afmkfd.xn--p1ai"),
        ("010.001.002.003", T.IPV4, "10.1.2.3"),
        ("::ffff:1.2.3.4", T.IPV4, "1.2.3.4"),
        ("2001:DB8:0:0::1", T.IPV6, "2001:db8::1"),
        ("1.2.3.4/24", T.CIDR, "1.2.3.0/24"),
        ("1.2.3.4/32", T.IPV4, "1.2.3.4"),
        ("2001:db8::/32", T.CIDR, "2001:db8::/32"),
        ("1.2.3.4:8443", T.IP_PORT, "1.2.3.4:8443"),
        ("[2001:db8::1]:443", T.IP_PORT, "[2001:db8::1]:443"),
        ("HTTP://Evil.COM:80/a/./b/../c%7e?q=%2f#frag", T.URL, "http://evil.com/a/c~?q=%2F"),
        ("https://evil.com:443", T.URL, "https://evil.com/"),
        ("evil.com/gate.php", T.URL, "evil.com/gate.php"),
        ("D41D8CD98F00B204E9800998ECF8427E", T.MD5, "d41d8cd98f00b204e9800998ecf8427e"),
        (
            "da39a3ee5e6b4b0d3255bfef95601890afd80709",
            T.SHA1,
            "da39a3ee5e6b4b0d3255bfef95601890afd80709",
        ),
        ("Bob@Evil.COM", T.EMAIL, "bob@evil.com"),
    ],
)
def test_classify_types_and_normalises(given: str, kind: IndicatorType, key: str) -> None:
    assert classify(given) == (kind, key)


@pytest.mark.parametrize(
    "given", ["/gate.php", "com", "two words", "evil.com:443", "", "-bad-.com"]
)
def test_values_a_sweep_cannot_use_are_refused_with_the_value_named(given: str) -> None:
    with pytest.raises(InvalidInput) as error:
        classify(given)
    assert error.value.field == "indicator"


@settings(max_examples=300, deadline=None)
@given(
    host=st.sampled_from(["evil.com", "a.b-c.co.uk", "Evil.com", "x.y"]),
    path=st.text(alphabet="abAB01./%~?=&:@-_", max_size=20),
    scheme=st.sampled_from(["http", "https", "HTTP", "ftp"]),
)
def test_fast_path_for_canonical_values_agrees_with_classify(
    host: str, path: str, scheme: str
) -> None:
    """Loading takes a shortcut for values already in normal form; it must be one."""
    value = f"{scheme}://{host}/{path}"
    fast = _canonical(value)
    if fast is not None:
        assert classify(value) == (fast[0], value)
