"""CVSS 3.0 and 3.1 base scores computed from a vector string.

Some sources give a vector without a number (a CSAF advisory's `cvss_v3` block
cut down to its vector, an older feed, a record typed by hand); the priority
score needs the number, so it is computed here from FIRST's published base
equations. The two versions share weights and equations and differ only in
rounding: 3.1 rounds up on an integer so that 4.000000001 does not become 4.1.
Temporal and environmental metrics may follow the base ones; they do not
change the base score and are only checked for being well-formed.
"""

from __future__ import annotations

import math
from typing import Any

from openwarp.core.errors import InvalidInput

__all__ = ["base_score", "block_score", "score_of"]

_WEIGHTS: dict[str, dict[str, float]] = {
    "AV": {"N": 0.85, "A": 0.62, "L": 0.55, "P": 0.2},
    "AC": {"L": 0.77, "H": 0.44},
    "PR": {"N": 0.85, "L": 0.62, "H": 0.27},
    "UI": {"N": 0.85, "R": 0.62},
    "S": {"U": 0.0, "C": 0.0},
    "C": {"H": 0.56, "L": 0.22, "N": 0.0},
    "I": {"H": 0.56, "L": 0.22, "N": 0.0},
    "A": {"H": 0.56, "L": 0.22, "N": 0.0},
}
# Privileges weigh more when the flaw reaches beyond its own component.
_PR_CHANGED = {"N": 0.85, "L": 0.68, "H": 0.5}
_IMPACT = ("H", "L", "N", "X")
_OPTIONAL: dict[str, tuple[str, ...]] = {
    "E": ("X", "H", "F", "P", "U"),
    "RL": ("X", "U", "W", "T", "O"),
    "RC": ("X", "C", "R", "U"),
    "CR": ("X", "H", "M", "L"),
    "IR": ("X", "H", "M", "L"),
    "AR": ("X", "H", "M", "L"),
    "MAV": ("X", "N", "A", "L", "P"),
    "MAC": ("X", "L", "H"),
    "MPR": ("X", "N", "L", "H"),
    "MUI": ("X", "N", "R"),
    "MS": ("X", "U", "C"),
    "MC": _IMPACT,
    "MI": _IMPACT,
    "MA": _IMPACT,
}


def base_score(vector: str) -> float:
    """The base score of a CVSS 3.0 or 3.1 vector; InvalidInput names what is wrong."""
    version, metrics = _parse(vector)
    changed = metrics["S"] == "C"
    iss = 1 - (
        (1 - _WEIGHTS["C"][metrics["C"]])
        * (1 - _WEIGHTS["I"][metrics["I"]])
        * (1 - _WEIGHTS["A"][metrics["A"]])
    )
    impact = 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 if changed else 6.42 * iss
    if impact <= 0:
        return 0.0
    privileges = (_PR_CHANGED if changed else _WEIGHTS["PR"])[metrics["PR"]]
    exploitability = (
        8.22
        * _WEIGHTS["AV"][metrics["AV"]]
        * _WEIGHTS["AC"][metrics["AC"]]
        * privileges
        * _WEIGHTS["UI"][metrics["UI"]]
    )
    total = (impact + exploitability) * (1.08 if changed else 1.0)
    return _round_up(min(total, 10.0), version)


def block_score(block: dict[str, Any]) -> float | None:
    """The score of a source's CVSS block: its own `baseScore`, else one computed from
    a 3.x `vectorString`; None when neither gives one (a broken vector included:
    the block is then not relied on)."""
    score = block.get("baseScore")
    if isinstance(score, bool) or not isinstance(score, int | float):
        score = None
    vector = block.get("vectorString")
    return score_of(score, vector if isinstance(vector, str) else None)


def score_of(score: float | None, vector: str | None) -> float | None:
    """`block_score` for a block already read: the published score, else one computed
    from a 3.x vector, else None."""
    if score is not None:
        return float(score)
    if vector is not None and vector.startswith(("CVSS:3.0/", "CVSS:3.1/")):
        try:
            return base_score(vector)
        except InvalidInput:
            return None
    return None


def _round_up(value: float, version: str) -> float:
    """The smallest one-decimal number at least `value` (3.1 does it on integers,
    so floating-point noise cannot push a score up a tenth)."""
    if version == "3.0":
        return math.ceil(value * 10) / 10
    scaled = round(value * 100_000)
    if scaled % 10_000 == 0:
        return scaled / 100_000
    return (math.floor(scaled / 10_000) + 1) / 10.0


def _parse(vector: str) -> tuple[str, dict[str, str]]:
    text = vector.strip()
    prefix, _, rest = text.partition("/")
    if prefix not in ("CVSS:3.0", "CVSS:3.1"):
        raise InvalidInput(f"{vector!r}: not a CVSS 3.0 or 3.1 vector", field="cvss_vector")
    metrics: dict[str, str] = {}
    for part in rest.split("/"):
        name, sep, value = part.partition(":")
        allowed = _WEIGHTS[name].keys() if name in _WEIGHTS else _OPTIONAL.get(name)
        if not sep or allowed is None:
            raise InvalidInput(f"{vector!r}: unknown metric {part!r}", field="cvss_vector")
        if value not in allowed:
            raise InvalidInput(f"{vector!r}: {name} cannot be {value!r}", field="cvss_vector")
        if name in metrics:
            raise InvalidInput(f"{vector!r}: {name} is given twice", field="cvss_vector")
        metrics[name] = value
    missing = [name for name in _WEIGHTS if name not in metrics]
    if missing:
        raise InvalidInput(f"{vector!r}: missing {', '.join(missing)}", field="cvss_vector")
    return prefix.removeprefix("CVSS:"), metrics
