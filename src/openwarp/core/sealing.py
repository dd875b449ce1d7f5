"""Secrets the hub must send on (webhook signing secrets, a peer hub's token,
a feed's token) kept sealed at rest, so a copy of the database alone does
not hand them over.

A sealed value is `sealed:v1:` followed by a Fernet token (AES-128-CBC with
an HMAC-SHA256 tag, from the `cryptography` library) under the hub's seal
key. The key lives apart from the database (ADR 0004). Text without the
prefix is a value stored before sealing existed and is returned as it is.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken

from openwarp.core.errors import InvalidInput

PREFIX = "sealed:v1:"


def _fernet(key: str) -> Fernet:
    # Any length of key text becomes the 32 bytes Fernet wants.
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(key.encode()).digest()))


def is_sealed(text: str) -> bool:
    return text.startswith(PREFIX)


def seal(text: str, *, key: str) -> str:
    """`text` sealed under `key`; empty text stays empty, sealed text as it is."""
    if not text or is_sealed(text):
        return text
    return PREFIX + _fernet(key).encrypt(text.encode()).decode()


def unseal(text: str, *, key: str) -> str:
    """The plain text of a sealed value (or of one stored before sealing)."""
    if not is_sealed(text):
        return text
    try:
        return _fernet(key).decrypt(text.removeprefix(PREFIX).encode()).decode()
    except InvalidToken:
        raise InvalidInput(
            "a stored secret cannot be opened with this hub's seal key "
            "(was OPENWARP_SEAL_KEY or <data dir>/seal_key changed?)",
            field="seal_key",
        ) from None
