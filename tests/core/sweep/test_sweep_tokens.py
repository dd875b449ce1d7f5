"""The quick yes/no check on a token agrees with the full match list."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from openwarp.core.sweep.tokens import TokenMatcher
from tests.core.sweep.conftest import make_set
from tests.core.sweep.test_sweep_property import FRAGMENTS, INDICATORS

MATCHER = TokenMatcher(make_set(*INDICATORS, "5.6.7.8:8443", "bob@evil.com"))
tokens = st.lists(st.sampled_from([*FRAGMENTS, "5.6.7.8", "8443", "bob"]), min_size=1, max_size=4)


@settings(max_examples=300, deadline=None)
@given(parts=tokens, glue=st.sampled_from([":", "@", ".", "-", ""]))
def test_matches_answers_as_the_full_matcher_does(parts: list[str], glue: str) -> None:
    token = glue.join(parts).lower().encode()
    assert MATCHER.matches(token) == (next(MATCHER.token(token), None) is not None)
