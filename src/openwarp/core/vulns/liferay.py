"""Liferay's release numbering, read the way Liferay publishes its releases.

Liferay's CVE records label their versions `maven`, but the versions are
Liferay's product releases, and Maven's rules order them against Liferay's own
chronology. DXP 7.3 went from its GA (`7.3.10`) through fix packs (`7.3.10-dxp-1`
to `-dxp-3`) to updates (`7.3.10-u4`, then `u5` ...), and the records spell an
update both `7.3.10.u10` and `7.3.10-u10`. Maven puts the `.u10` spelling before
`-dxp-2` (a `.` qualifier sorts before a `-` list) and the two spellings of one
update apart, so an update months after a fix was judged affected.

Here a release is its numbers, then its stage: the GA (a `-ga1`/`GA4` label names
the release itself), then fix packs (`dxp-N`, 7.0's `de-N`, 6.2's `portal-N`,
`fix pack N`), then updates (`uN`, `update N`), each with its number; the stage's
spelling (`.`, `-`, space, case) does not matter. Quarterly releases
(`2023.Q3.1`) are their year, quarter and patch, so they come after every 7.4
update. A stage without its number (`7.3.10-dxp-`, a truncated bound in one
record) is after the GA and before the updates but cannot be placed among the
fix packs. A record that bounds an older line by a bare fix-pack name (`7.1.10`
up to `dxp-28`, `6.2.0` up to `portal-173`) means that fix pack of the lower
bound's line (`scoped_bound`: `7.1.x-dxp-28`), which is after every earlier
line and before every later one, and is compared by fix pack within its own
line (so `6.2.10-portal-150` is inside it). Anything else is not a Liferay
release and answers None ("cannot compare"), never a guess; so does a bare
fix-pack name given as a row's version.
"""

from __future__ import annotations

import re

__all__ = ["LIFERAY", "compare_liferay", "is_liferay", "scoped_bound"]

LIFERAY = "liferay"

_STAGES = (
    (re.compile(r"ga[.\- ]?\d+"), 0),
    (re.compile(r"(?:dxp|de|portal|fp|fix[ _-]?pack)[.\- ]?(\d*)"), 1),
    (re.compile(r"(?:u|update)[.\- ]?(\d*)"), 2),
)
_RELEASE = re.compile(r"^(\d+(?:\.\d+)*)(?:[.\- _]+|(?=[a-z]))?(.*)$")
_LINE = re.compile(r"^(\d+\.\d+)\.x-(.+)$")  # `6.2.x-portal-173`: that line's fix pack
_BARE_STAGE = re.compile(r"^(?:dxp|de|portal)-\d+$", re.I)
_Key = tuple[tuple[int, ...], int, "int | None", bool]
_QUARTERLY = re.compile(r"^(\d{4})\.q([1-4])(?:\.(\d+))?$")


def is_liferay(vendor: str) -> bool:
    """Is this record entry's vendor Liferay?"""
    return vendor.strip().lower().startswith("liferay")


def _key(version: str) -> _Key | None:
    """(numbers, stage rank, stage number, whole line?); the number is None when the
    text stops short of it (`7.3.10-dxp-`, as one record writes a bound)."""
    text = version.strip().lower()
    quarterly = _QUARTERLY.match(text)
    if quarterly:
        year, quarter, patch = quarterly.groups()
        return (int(year), int(quarter), int(patch or 0)), 0, 0, False
    line = _LINE.match(text)
    if line:
        stage = _stage(line.group(2))
        numbers = tuple(int(part) for part in line.group(1).split("."))
        return None if stage is None else (numbers, *stage, True)
    release = _RELEASE.match(text)
    if release is None:
        return None
    stage = _stage(release.group(2))
    numbers = tuple(int(part) for part in release.group(1).split("."))
    return None if stage is None else (numbers, *stage, False)


def _stage(text: str) -> tuple[int, int | None] | None:
    if not text:
        return 0, 0
    for pattern, rank in _STAGES:
        match = pattern.fullmatch(text)
        if match:
            digits = match.group(1) if match.groups() else "0"
            return rank, int(digits) if digits else None
    return None


def _sign(a: tuple[int, ...], b: tuple[int, ...]) -> int:
    return int(a > b) - int(a < b)


def compare_liferay(left: str, right: str) -> int | None:
    """-1, 0 or 1 as `left` came before, is, or came after `right`; None if unreadable."""
    a, b = _key(left), _key(right)
    if a is None or b is None:
        return None
    if a[3] or b[3]:  # a line's fix pack: releases of other lines are before or after it
        width = len(b[0]) if b[3] else len(a[0])
        if a[0][:width] != b[0][:width]:
            return _sign(a[0][:width], b[0][:width])
    elif a[0] != b[0]:
        return _sign(a[0], b[0])
    if a[1] != b[1]:
        return int(a[1] > b[1]) - int(a[1] < b[1])
    if a[2] is None or b[2] is None:
        return None  # a fix pack or update without its number, of the same release
    return int(a[2] > b[2]) - int(a[2] < b[2])


def scoped_bound(lower: str, upper: str) -> str:
    """A bare fix-pack name as the upper bound (`6.2.0` up to `portal-173`) is that fix
    pack of the lower bound's line: `6.2.x-portal-173`; anything else is unchanged."""
    numbers = lower.strip().split(".")
    if not _BARE_STAGE.match(upper.strip()) or len(numbers) < 2:
        return upper
    if not (numbers[0].isdigit() and numbers[1].isdigit()):
        return upper
    return f"{numbers[0]}.{numbers[1]}.x-{upper.strip()}"
