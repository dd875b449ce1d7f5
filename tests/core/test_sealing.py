"""Sealing secrets at rest: round trip, a wrong key named, old plain values kept."""

from __future__ import annotations

import pytest

from openwarp.core.errors import InvalidInput
from openwarp.core.sealing import is_sealed, seal, unseal


def test_a_sealed_secret_opens_only_with_its_key() -> None:
    sealed = seal("whsec-0123456789", key="hub key")
    assert is_sealed(sealed) and "whsec" not in sealed
    assert unseal(sealed, key="hub key") == "whsec-0123456789"
    assert seal("whsec-0123456789", key="hub key") != sealed  # fresh nonce each time
    with pytest.raises(InvalidInput, match="seal key") as wrong:
        unseal(sealed, key="another hub's key")
    assert wrong.value.field == "seal_key"


def test_empty_and_already_sealed_values_are_left_as_they_are() -> None:
    assert seal("", key="k") == ""
    sealed = seal("token", key="k")
    assert seal(sealed, key="k") == sealed
    assert unseal("stored before sealing", key="k") == "stored before sealing"
