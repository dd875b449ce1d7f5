"""Priority of a warning: one number from 0 to 100, built from points a person can check.

The formula is deliberately additive so a member can see why one warning sits
above another (docs/adr/0201-vulnerability-matching.md):

| part | points |
|---|---|
| severity: CVSS base score x 3 (unknown score counts as 5.0) | 0-30 |
| exploitation: in CISA KEV 30, else SSVC "active" 25, else SSVC "poc" 10 | 0-30 |
| likelihood: EPSS probability x 15 | 0-15 |
| exposure: the row is internet-facing 15 (unknown counts as 5) | 0-15 |
| business criticality: high 10, medium 5, low 0 (unknown counts as 5) | 0-10 |

Exploitation dominates on purpose: an unexploited flaw on an internal system
scores at most 55, a KEV-listed flaw on an internet-facing one at least
45 + 3 x CVSS, so it ranks higher whenever its CVSS score is 3.4 or more.
"""

from __future__ import annotations

from dataclasses import dataclass

from openwarp.core.vulns.model import Vulnerability

__all__ = ["PriorityParts", "exposure_points", "priority", "vulnerability_points"]

UNKNOWN_CVSS = 5.0
_CRITICALITY = {"high": 10, "critical": 10, "medium": 5, "low": 0}


@dataclass(frozen=True, slots=True)
class PriorityParts:
    severity: float
    exploitation: float
    likelihood: float

    @property
    def total(self) -> float:
        return self.severity + self.exploitation + self.likelihood


def vulnerability_points(vuln: Vulnerability) -> PriorityParts:
    """The part of the score that depends only on the vulnerability (computed once per CVE)."""
    score = vuln.cvss_score if vuln.cvss_score is not None else UNKNOWN_CVSS
    if vuln.kev:
        exploitation = 30.0
    elif vuln.ssvc_exploitation == "active":
        exploitation = 25.0
    elif vuln.ssvc_exploitation == "poc":
        exploitation = 10.0
    else:
        exploitation = 0.0
    likelihood = (vuln.epss or 0.0) * 15.0
    return PriorityParts(round(score * 3.0, 2), exploitation, round(likelihood, 2))


def exposure_points(internet_facing: bool | None, criticality: str | None) -> float:
    """The part that depends only on the inventory row."""
    exposure = 15.0 if internet_facing else (5.0 if internet_facing is None else 0.0)
    return exposure + _CRITICALITY.get((criticality or "").strip().lower(), 5)


def priority(vuln: Vulnerability, internet_facing: bool | None, criticality: str | None) -> float:
    """The full 0-100 priority of one (row, vulnerability) warning."""
    return round(
        vulnerability_points(vuln).total + exposure_points(internet_facing, criticality), 1
    )
