"""Explaining impossible needs: a need nobody may fill is an error, not a quiet zero.

A coordinator who asked for a skill nobody on the roster has, or a window nobody is
free for, needs to hear which rule emptied the list so the request can be changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from openwarp.core.mutualaid.eligibility import Candidates
from openwarp.core.mutualaid.model import Instance, Need, Request, Responder

Rule = Callable[[Responder, Request, Need, frozenset[str]], bool]


def _skill(r: Responder, q: Request, n: Need, banned: frozenset[str]) -> bool:
    return r.skills.get(n.skill, 0) >= n.min_level


def _vetting(r: Responder, q: Request, n: Need, banned: frozenset[str]) -> bool:
    return r.vetted or not n.vetting_required


def _org(r: Responder, q: Request, n: Need, banned: frozenset[str]) -> bool:
    return r.org not in banned


def _days(r: Responder, q: Request, n: Need, banned: frozenset[str]) -> bool:
    return r.max_days >= q.days


def _window(r: Responder, q: Request, n: Need, banned: frozenset[str]) -> bool:
    return r.free_for(q.start, q.end)


def _language(r: Responder, q: Request, n: Need, banned: frozenset[str]) -> bool:
    return n.language is None or r.speaks(n.language)


#: The hard constraints in the order they are explained; the first that leaves nobody is named.
_RULES: tuple[tuple[str, Rule], ...] = (
    ("has skill {skill!r} at level {level} or above", _skill),
    ("is vetted", _vetting),
    ("speaks {language}", _language),
    ("comes from an org other than {org!r} and those in conflict with it", _org),
    ("can stay away {days} days", _days),
    ("is available from {start} to {end}", _window),
)


@dataclass(frozen=True)
class ImpossibleNeed:
    """A need no responder may fill, with its JSON path and the reason in words."""

    path: str
    reason: str


def impossible_needs(instance: Instance, cands: Candidates) -> list[ImpossibleNeed]:
    """Every need with no eligible responder at all, before any pruning."""
    banned = instance.conflict_map()
    found: list[ImpossibleNeed] = []
    for n in range(cands.n_needs):
        if cands.eligible_per_need[n]:
            continue
        q, k = int(cands.need_request[n]), int(cands.need_slot[n])
        request = instance.requests[q]
        found.append(
            ImpossibleNeed(
                path=f"requests[{q}].needs[{k}]",
                reason=_reason(instance, request, request.needs[k], banned[request.org]),
            )
        )
    return found


def _reason(instance: Instance, request: Request, need: Need, banned: frozenset[str]) -> str:
    pool = list(instance.responders)
    said: list[str] = []
    facts = {
        "skill": need.skill,
        "level": need.min_level,
        "language": need.language,
        "org": request.org,
        "days": request.days,
        "start": request.start.isoformat(),
        "end": request.end.isoformat(),
    }
    for text, rule in _RULES:
        if (rule is _vetting and not need.vetting_required) or (
            rule is _language and need.language is None
        ):
            continue
        said.append(text.format(**facts))
        pool = [r for r in pool if rule(r, request, need, banned)]
        if not pool:
            break
    if pool:  # everyone who qualifies was excluded from this request by the caller
        return "impossible request: everyone who qualifies has already been offered or refused it"
    return f"impossible request: no responder {' and '.join(said)}"
