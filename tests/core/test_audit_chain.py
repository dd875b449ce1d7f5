from openwarp.core.audit_chain import GENESIS_HASH, ChainEntry, entry_hash, first_break


def _chain(n: int) -> list[ChainEntry]:
    entries, previous = [], GENESIS_HASH
    for sequence in range(1, n + 1):
        content = {
            "sequence": sequence,
            "action": "organisation.create",
            "details": {"n": sequence},
        }
        digest = entry_hash(previous, content)
        entries.append(ChainEntry(sequence, content, previous, digest))
        previous = digest
    return entries


def test_an_untouched_chain_verifies() -> None:
    assert first_break(_chain(5)) is None
    assert first_break([]) is None


def test_changing_content_is_reported_at_that_entry() -> None:
    entries = _chain(5)
    tampered = entries[2]
    entries[2] = ChainEntry(
        3, {**tampered.content, "action": "nothing.happened"}, tampered.previous_hash, tampered.hash
    )
    broken = first_break(entries)
    assert broken is not None and broken.sequence == 3 and "content" in broken.reason


def test_rehashing_a_changed_entry_breaks_the_next_link() -> None:
    entries = _chain(5)
    old = entries[1]
    content = {**old.content, "details": {"n": 99}}
    entries[1] = ChainEntry(2, content, old.previous_hash, entry_hash(old.previous_hash, content))
    broken = first_break(entries)
    assert broken is not None and broken.sequence == 3 and "link" in broken.reason


def test_a_deleted_entry_is_reported_where_the_gap_is() -> None:
    entries = _chain(5)
    del entries[3]
    broken = first_break(entries)
    assert broken is not None and broken.sequence == 5 and "4 is missing" in broken.reason


def test_hash_does_not_depend_on_key_order() -> None:
    assert entry_hash(GENESIS_HASH, {"a": 1, "b": {"x": 1, "y": 2}}) == entry_hash(
        GENESIS_HASH, {"b": {"y": 2, "x": 1}, "a": 1}
    )
