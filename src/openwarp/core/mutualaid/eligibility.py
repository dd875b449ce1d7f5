"""Who may be sent where: the hard constraints, once as a readable rule and once vectorised.

`is_eligible` is the rule as a coordinator would state it; the plan checker and the
tests use it. `build_candidates` applies the same rule to whole arrays so that a
national incident (10,000 responders) is screened in well under a second. The tests
hold the two to each other.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import numpy as np

from openwarp.core.mutualaid.geo import IntArray, Points, distance_from
from openwarp.core.mutualaid.model import Instance, Need, Request, Responder

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def is_eligible(responder: Responder, request: Request, need: Need, banned: frozenset[str]) -> bool:
    """The hard constraints of issue 6 for one responder and one need.

    ``banned`` holds the requesting org and every org in conflict with it.
    """
    return (
        responder.skills.get(need.skill, 0) >= need.min_level
        and (responder.vetted or not need.vetting_required)
        and (need.language is None or responder.speaks(need.language))
        and responder.free_for(request.start, request.end)
        and responder.max_days >= request.days
        and responder.org not in banned
    )


@dataclass(frozen=True)
class Candidates:
    """Every allowed (responder, need) pair, with its distance, as flat arrays.

    Needs are numbered in instance order across requests; ``need_request`` and
    ``need_slot`` map a flat need back to its request and its index in ``needs``.
    """

    responder: IntArray
    need: IntArray
    dist_m: IntArray
    need_request: IntArray
    need_slot: IntArray
    need_people: IntArray
    need_priority: IntArray
    responder_org: IntArray
    org_names: tuple[str, ...]
    eligible_per_need: IntArray
    pruned: bool

    @property
    def n_needs(self) -> int:
        return len(self.need_request)

    @property
    def n_responders(self) -> int:
        return len(self.responder_org)


def _micros(dt: datetime) -> int:
    return (dt - _EPOCH) // _MICROSECOND


class _ResponderArrays:
    """The roster as columns, so one need is screened with a handful of numpy operations."""

    def __init__(self, instance: Instance) -> None:
        rs = instance.responders
        self.skill_index = {s: i for i, s in enumerate(sorted({s for r in rs for s in r.skills}))}
        self.levels = np.zeros((len(rs), len(self.skill_index)), dtype=np.int64)
        for i, r in enumerate(rs):
            for skill, level in r.skills.items():
                self.levels[i, self.skill_index[skill]] = level
        orgs = sorted({r.org for r in rs})
        self.org_names = tuple(orgs)
        self.org_code = {o: i for i, o in enumerate(orgs)}
        self.org = np.array([self.org_code[r.org] for r in rs], dtype=np.int64)
        self.vetted = np.array([r.vetted for r in rs], dtype=bool)
        self.start = np.array([_micros(r.available_from) for r in rs], dtype=np.int64)
        self.end = np.array([_micros(r.available_to) for r in rs], dtype=np.int64)
        self.max_days = np.array([r.max_days for r in rs], dtype=np.int64)
        self._extra_windows(rs)
        self._languages(rs)
        self.points = Points(
            np.array([r.location[0] for r in rs], dtype=np.float64),
            np.array([r.location[1] for r in rs], dtype=np.float64),
        )

    def _extra_windows(self, rs: list[Responder]) -> None:
        """Extra windows as flat (owner, start, end) columns; most rosters have none."""
        owners = [i for i, r in enumerate(rs) for _ in r.windows]
        self.extra_owner = np.array(owners, dtype=np.int64)
        self.extra_start = np.array([_micros(a) for r in rs for a, _ in r.windows], dtype=np.int64)
        self.extra_end = np.array([_micros(b) for r in rs for _, b in r.windows], dtype=np.int64)

    def _languages(self, rs: list[Responder]) -> None:
        spoken = [{lang.strip().casefold() for lang in r.languages} for r in rs]
        self.language_index = {lang: i for i, lang in enumerate(sorted(set().union(*spoken)))}
        self.speaks = np.zeros((len(rs), len(self.language_index)), dtype=bool)
        for i, langs in enumerate(spoken):
            for lang in langs:
                self.speaks[i, self.language_index[lang]] = True

    def free_mask(self, request: Request) -> np.ndarray:
        start, end = _micros(request.start), _micros(request.end)
        free = (self.start <= start) & (self.end >= end)
        if len(self.extra_owner):
            covers = (self.extra_start <= start) & (self.extra_end >= end)
            free[self.extra_owner[covers]] = True
        return free

    def request_mask(self, request: Request, banned: frozenset[str]) -> np.ndarray:
        """Responders free for the whole window, willing to stay long enough, not conflicted."""
        allowed = np.ones(len(self.org_names), dtype=bool)
        allowed[[self.org_code[o] for o in banned if o in self.org_code]] = False
        return self.free_mask(request) & (self.max_days >= request.days) & allowed[self.org]

    def need_mask(self, need: Need, pool: IntArray) -> np.ndarray:
        """Which of the responders in ``pool`` have the skill, level and vetting asked for."""
        col = self.skill_index.get(need.skill)
        if col is None:
            return np.zeros(len(pool), dtype=bool)
        mask = self.levels[pool, col] >= need.min_level
        if need.vetting_required:
            mask &= self.vetted[pool]
        if need.language is not None:
            lang = self.language_index.get(need.language.strip().casefold())
            if lang is None:
                return np.zeros(len(pool), dtype=bool)
            mask &= self.speaks[pool, lang]
        return mask


def build_candidates(instance: Instance) -> Candidates:
    """Screen every need against the roster: all allowed (responder, need) pairs."""
    cols = _ResponderArrays(instance)
    banned_by_org = instance.conflict_map()
    excluded = instance.excluded_map()
    index = {r.id: i for i, r in enumerate(instance.responders)}
    parts_r: list[IntArray] = []
    parts_n: list[IntArray] = []
    parts_d: list[IntArray] = []
    need_request: list[int] = []
    need_slot: list[int] = []
    need_people: list[int] = []
    need_priority: list[int] = []
    eligible: list[int] = []
    for q, request in enumerate(instance.requests):
        mask = cols.request_mask(request, banned_by_org[request.org])
        mask[[index[r] for r in excluded.get(request.id, ()) if r in index]] = False
        pool = np.flatnonzero(mask)
        pool_dist = distance_from(*request.location, cols.points.subset(pool))
        if not request.travels:
            pool_dist = np.zeros_like(pool_dist)
        for k, need in enumerate(request.needs):
            keep = cols.need_mask(need, pool)
            eligible.append(int(keep.sum()))
            parts_r.append(pool[keep])
            parts_n.append(np.full(eligible[-1], len(need_request), dtype=np.int64))
            parts_d.append(pool_dist[keep])
            need_request.append(q)
            need_slot.append(k)
            need_people.append(need.people)
            need_priority.append(request.priority)
    return Candidates(
        responder=_concat(parts_r),
        need=_concat(parts_n),
        dist_m=_concat(parts_d),
        need_request=np.array(need_request, dtype=np.int64),
        need_slot=np.array(need_slot, dtype=np.int64),
        need_people=np.array(need_people, dtype=np.int64),
        need_priority=np.array(need_priority, dtype=np.int64),
        responder_org=cols.org,
        org_names=cols.org_names,
        eligible_per_need=np.array(eligible, dtype=np.int64),
        pruned=False,
    )


def prune(cands: Candidates, per_need: int, per_responder: int) -> Candidates:
    """Keep each need's ``per_need`` nearest candidates and each responder's ``per_responder``.

    This is what keeps very large incidents fast. Keeping both sides matters when
    people are scarce: pruning by need alone strands far-away responders that the
    optimum needs, while their own nearest needs keep them in play.
    """
    keep = (_rank_within(cands.need, cands.dist_m) < per_need) | (
        _rank_within(cands.responder, cands.dist_m) < per_responder
    )
    if keep.all():
        return cands
    return replace(
        cands,
        responder=cands.responder[keep],
        need=cands.need[keep],
        dist_m=cands.dist_m[keep],
        pruned=True,
    )


def _rank_within(group: IntArray, dist: IntArray) -> IntArray:
    """Each arc's rank by distance among the arcs sharing its ``group`` value (0 = nearest)."""
    order = np.lexsort((dist, group))
    sorted_group = group[order]
    starts = np.flatnonzero(np.r_[True, sorted_group[1:] != sorted_group[:-1]])
    first = np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order)) - first
    return rank


def _concat(parts: list[IntArray]) -> IntArray:
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
