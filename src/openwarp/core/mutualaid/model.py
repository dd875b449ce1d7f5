"""The mutual-aid instance and plan, as the optimiser contract in issue 6 states them.

The instance models are strict on purpose: a coordinator's tool that silently turned
``"3"`` into 3, or a timestamp without an offset into local time, could send the
wrong person at the wrong hour. Fields the contract does not name (a display name)
are ignored rather than rejected, so the hub can send its richer records as they are.

Optional fields added after the first contract (all default to the old behaviour):
a responder's ``languages`` and extra availability ``windows``; a need's
``language``; a request's ``mode`` (``on_site``, ``remote`` or ``either``: remote
help is not charged travel); and the instance's ``excluded`` pairs
``[request_id, responder_id]`` that must not be matched (someone who declined that
request, or is already offered for it), which a joint plan over many requests needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

#: The roster's fixed skill vocabulary (issue 6). The optimiser matches skills as
#: plain strings and does not enforce this list; the hub's roster does.
SKILLS: tuple[str, ...] = (
    "incident_lead",
    "forensic_analyst",
    "windows_ad_recovery",
    "backup_restore",
    "network",
    "cloud",
    "communications",
    "legal_data_protection",
)

Latitude = Annotated[float, Field(ge=-90.0, le=90.0)]
Longitude = Annotated[float, Field(ge=-180.0, le=180.0)]
Location = tuple[Latitude, Longitude]
Text = Annotated[str, Field(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, frozen=True, extra="ignore")


class Responder(_Strict):
    """A person a member has put on the capability roster."""

    id: Text
    org: Text
    skills: dict[Text, Annotated[int, Field(ge=1)]]
    vetted: bool
    location: Location
    available_from: AwareDatetime
    available_to: AwareDatetime
    max_days: Annotated[int, Field(ge=0)]
    languages: list[Text] = Field(default_factory=list)
    #: More windows besides [available_from, available_to]; any one that covers a
    #: request's whole window makes the responder available for it.
    windows: list[tuple[AwareDatetime, AwareDatetime]] = Field(default_factory=list)

    def speaks(self, language: str) -> bool:
        return language.strip().casefold() in {lang.strip().casefold() for lang in self.languages}

    def free_for(self, start: AwareDatetime, end: AwareDatetime) -> bool:
        spans = [(self.available_from, self.available_to), *self.windows]
        return any(a <= start and b >= end for a, b in spans)


Mode = Literal["on_site", "remote", "either"]


class Need(_Strict):
    """One line of a request: so many people with a skill at a level."""

    skill: Text
    min_level: Annotated[int, Field(ge=1)]
    people: Annotated[int, Field(ge=1)]
    vetting_required: bool
    language: Text | None = None


class Request(_Strict):
    """A member under attack asking the region for help from ``start`` for ``days``."""

    id: Text
    org: Text
    priority: Annotated[int, Field(ge=1, le=5)]
    location: Location
    start: AwareDatetime
    days: Annotated[int, Field(ge=1)]
    needs: Annotated[list[Need], Field(min_length=1)]
    mode: Mode = "on_site"

    @property
    def travels(self) -> bool:
        """Remote help is not charged travel; on-site (and "either") help is."""
        return self.mode != "remote"

    @property
    def end(self) -> AwareDatetime:
        """The end of the window a responder must be free for (computed, never typed in)."""
        return self.start + timedelta(days=self.days)


class Package(_Strict):
    """A pre-costed team (an EMAC mission ready package): offered whole or not at all."""

    id: Text
    org: Text
    members: Annotated[list[Text], Field(min_length=1)]


class Instance(_Strict):
    """Everything the optimiser needs: who can go, who asks, and which orgs are in conflict."""

    responders: list[Responder]
    requests: list[Request]
    conflicts: list[tuple[Text, Text]] = Field(default_factory=list)
    excluded: list[tuple[Text, Text]] = Field(default_factory=list)
    packages: list[Package] = Field(default_factory=list)

    def excluded_map(self) -> dict[str, frozenset[str]]:
        """Responder ids that may not go to each request id."""
        out: dict[str, set[str]] = {}
        for request_id, responder_id in self.excluded:
            out.setdefault(request_id, set()).add(responder_id)
        return {k: frozenset(v) for k, v in out.items()}

    def conflict_map(self) -> dict[str, frozenset[str]]:
        """Orgs whose staff may not be sent to each org, the org itself included."""
        banned: dict[str, set[str]] = {}
        for a, b in self.conflicts:
            banned.setdefault(a, set()).add(b)
            banned.setdefault(b, set()).add(a)
        orgs = {r.org for r in self.requests} | set(banned)
        return {org: frozenset(banned.get(org, set()) | {org}) for org in orgs}


@dataclass(frozen=True, order=True)
class Assignment:
    """One responder sent to one need of one request (indices into the instance)."""

    request: int
    need_index: int
    responder: int


@dataclass(frozen=True)
class Plan:
    """A solver's answer with the three objective values, in contract order.

    ``optimal`` says whether the solver proved the plan lexicographically optimal;
    ``notes`` explains anything a coordinator should know (pruning, time limits).
    """

    assignments: tuple[Assignment, ...]
    coverage: int
    travel_m: int
    max_lent_by_one_org: int
    optimal: bool = False
    notes: tuple[str, ...] = field(default=())

    @property
    def travel_km(self) -> float:
        return round(self.travel_m / 1000.0, 3)
