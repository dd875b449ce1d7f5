"""The Admiralty (NATO) scale for how far a source has proved reliable.

Coordinators grade each feed once; the grade travels with every indicator
it supplies, so an analyst can tell a proven source from an untested one.
"""

from __future__ import annotations

from enum import StrEnum


class Reliability(StrEnum):
    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"
    F = "F"

    @property
    def label(self) -> str:
        return RELIABILITY_LABELS[self]


RELIABILITY_LABELS = {
    Reliability.A: "A: completely reliable",
    Reliability.B: "B: usually reliable",
    Reliability.C: "C: fairly reliable",
    Reliability.D: "D: not usually reliable",
    Reliability.E: "E: unreliable",
    Reliability.F: "F: reliability cannot be judged",
}
