"""Every candidate plan the hub builds respects the hard constraints (property-based).

Hypothesis generates small rosters across three organisations (the requester
among them), availability windows, existing deployments, declined and pending
offers and conflict pairs; the plan the coordinator would see is then checked
against the database, rule by rule, without the optimiser's own checker. It must
also not leave out anyone who was eligible while the need is short.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openwarp.core.mutualaid import SKILLS
from openwarp.hub.members.policy import Role
from openwarp.hub.mutualaid.candidates import candidate_plan
from openwarp.hub.mutualaid.models import (
    VETTED,
    AidRequest,
    Availability,
    ConflictPair,
    Deployment,
    Offer,
    OfferStatus,
    RequestNeed,
    RosterPerson,
    RosterSkill,
)
from tests.world import World

SKILL = st.sampled_from(SKILLS[:3])


@dataclass(frozen=True)
class GenPerson:
    org: int  # 0 = requester, 1 and 2 = lenders
    skills: dict[str, int]
    vetting: str
    max_days: int
    window: tuple[int, int]  # hours from now: start, length
    deployed: tuple[int, int] | None  # hours from now: start, length
    offered: str | None  # declined / pending offer on the request


people = st.builds(
    GenPerson,
    org=st.integers(0, 2),
    skills=st.dictionaries(SKILL, st.integers(1, 4), min_size=1, max_size=3),
    vetting=st.sampled_from(["none", "bpss", "sc", "dv"]),
    max_days=st.integers(1, 8),
    window=st.tuples(st.integers(-72, 6), st.integers(48, 400)),
    deployed=st.none() | st.tuples(st.integers(-48, 100), st.integers(12, 120)),
    offered=st.sampled_from([None, None, "declined", "pending"]),
)
requests_ = st.fixed_dictionaries(
    {
        "skill": SKILL,
        "level": st.integers(1, 3),
        "people": st.integers(1, 3),
        "vetting": st.booleans(),
        "days": st.integers(1, 5),
        "avoid": st.booleans(),
        "conflict_with": st.sampled_from([None, 1, 2]),
    }
)


class _Rollback(Exception):
    pass


def _build(world: World, roster: list[GenPerson], ask: dict) -> AidRequest:  # type: ignore[type-arg]
    now = timezone.now()
    orgs = [world.own, world.other, world.warp]
    for org, (lat, lon) in zip(orgs, [(52.9, -1.5), (52.96, -1.18), (52.63, -1.13)], strict=True):
        org.latitude, org.longitude = lat, lon
        org.save()
    coordinator = world.users[Role.COORDINATOR]
    aid = AidRequest.objects.create(
        organisation=world.own,
        created_by=world.users[Role.SECURITY_LEAD],
        title="Attack",
        starts_at=now + timedelta(hours=1),
        days=ask["days"],
        priority=4,
        latitude=52.9,
        longitude=-1.5,
        avoid_conflicts=ask["avoid"],
    )
    need = RequestNeed.objects.create(
        request=aid,
        skill=ask["skill"],
        min_level=ask["level"],
        people=ask["people"],
        vetting_required=ask["vetting"],
    )
    if ask["conflict_with"] is not None:
        ConflictPair.objects.create(org_a=world.own, org_b=orgs[ask["conflict_with"]])
    for i, gen in enumerate(roster):
        person = RosterPerson.objects.create(
            organisation=orgs[gen.org],
            title=f"P{i}",
            vetting=gen.vetting,
            max_days=gen.max_days,
            latitude=52.9 + i / 100,
            longitude=-1.3,
        )
        RosterSkill.objects.bulk_create(
            RosterSkill(person=person, skill=s, level=lvl) for s, lvl in gen.skills.items()
        )
        start = now + timedelta(hours=gen.window[0])
        Availability.objects.create(
            person=person, starts_at=start, ends_at=start + timedelta(hours=gen.window[1])
        )
        if gen.offered:
            Offer.objects.create(
                request=aid, need=need, person=person, status=gen.offered, sent_by=coordinator
            )
        if gen.deployed:
            _deploy(world, person, now + timedelta(hours=gen.deployed[0]), gen.deployed[1])
    return aid


def _deploy(world: World, person: RosterPerson, start, hours: int) -> None:  # type: ignore[no-untyped-def]
    other = AidRequest.objects.create(
        organisation=world.warp if person.organisation_id != world.warp.pk else world.other,
        created_by=world.users[Role.COORDINATOR],
        title="Earlier",
        starts_at=start,
        days=1,
        priority=1,
        latitude=52.0,
        longitude=-1.0,
    )
    need = RequestNeed.objects.create(request=other, skill="network", min_level=1, people=1)
    sent = Offer.objects.create(
        request=other,
        need=need,
        person=person,
        status=OfferStatus.ACCEPTED,
        sent_by=world.users[Role.COORDINATOR],
    )
    Deployment.objects.create(
        offer=sent,
        person=person,
        request=other,
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        terms="t",
        cost_basis="day_rate",
        day_rate=0,
        confidentiality_agreed=True,
        agreed_by=world.users[Role.COORDINATOR],
    )


def _problems(aid: AidRequest, need: RequestNeed, person: RosterPerson) -> list[str]:
    """The hard constraints, checked straight against the rows."""
    level = {s.skill: s.level for s in person.skills.all()}.get(need.skill, 0)
    conflicted = (
        aid.avoid_conflicts
        and ConflictPair.objects.filter(org_a=aid.organisation, org_b=person.organisation).exists()
    )
    checks = {
        "own staff": person.organisation_id == aid.organisation_id,
        "skill": level < need.min_level,
        "vetting": need.vetting_required and person.vetting not in VETTED,
        "availability": not person.windows.filter(
            starts_at__lte=aid.starts_at, ends_at__gte=aid.ends_at
        ).exists(),
        "max days": person.max_days < aid.days,
        "already offered or declined": Offer.objects.filter(request=aid, person=person).exists(),
        "overlapping deployment": Deployment.objects.filter(
            person=person, starts_at__lt=aid.ends_at, ends_at__gt=aid.starts_at
        ).exists(),
        "conflict of interest": conflicted,
    }
    return [name for name, broken in checks.items() if broken]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(roster=st.lists(people, min_size=1, max_size=8), ask=requests_)
def test_every_candidate_plan_respects_the_hard_constraints(
    world: World,
    roster: list[GenPerson],
    ask: dict,  # type: ignore[type-arg]
) -> None:
    try:
        with transaction.atomic():
            aid = _build(world, roster, ask)
            need = aid.needs.get()
            in_play = need.offers.filter(status=OfferStatus.PENDING).count()
            plan = candidate_plan(aid)
            chosen = [c.person for c in plan.candidates]
            assert len(chosen) == len(set(chosen)), "a person proposed twice"
            for person in chosen:
                assert _problems(aid, need, person) == [], person.title
            eligible = [p for p in RosterPerson.objects.all() if not _problems(aid, need, p)]
            missing = max(0, need.people - in_play)
            assert len(chosen) == min(missing, len(eligible)), "an eligible person left out"
            if missing and not eligible:
                assert plan.warnings, "an unfillable need must be explained"
            raise _Rollback
    except _Rollback:
        pass
