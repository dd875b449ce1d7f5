"""Keeping an organisation's capability roster: people, packages, capacity, conflicts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db import transaction

from openwarp.core.errors import Conflict, InvalidInput
from openwarp.hub.audit.services import audit_record
from openwarp.hub.members.models import Organisation, User
from openwarp.hub.members.policy import Viewer
from openwarp.hub.members.policy.mutualaid import may_coordinate, may_edit_roster
from openwarp.hub.mutualaid.models import (
    Availability,
    ConflictPair,
    LendableCapacity,
    RosterPackage,
    RosterPerson,
    RosterSkill,
    Vetting,
)
from openwarp.hub.mutualaid.services.common import (
    check_location,
    check_skill,
    require,
    viewer_of,
)

MAX_DAYS_AWAY = 90


@dataclass
class PersonDraft:
    """A roster entry as a form or the API gives it. No location means the org's own."""

    title: str
    skills: dict[str, int]
    vetting: str = Vetting.NONE
    languages: str = "English"
    max_days: int = 5
    latitude: float | None = None
    longitude: float | None = None
    windows: list[tuple[datetime, datetime]] = field(default_factory=list)
    is_active: bool = True


def _check_person(draft: PersonDraft) -> None:
    if not draft.title.strip():
        raise InvalidInput("give a name or a role title", field="title")
    if not draft.skills:
        raise InvalidInput("give at least one skill", field="skills")
    for skill, level in draft.skills.items():
        check_skill(skill, level, field=f"skills.{skill}")
    if draft.vetting not in Vetting.values:
        raise InvalidInput(f"unknown vetting status {draft.vetting!r}", field="vetting")
    if not 1 <= draft.max_days <= MAX_DAYS_AWAY:
        raise InvalidInput(f"maximum days away is 1 to {MAX_DAYS_AWAY}", field="max_days")
    for i, (starts, ends) in enumerate(draft.windows):
        if ends <= starts:
            raise InvalidInput("a window must end after it starts", field=f"windows[{i}]")


def _location(organisation: Organisation, draft: PersonDraft) -> tuple[float, float]:
    if draft.latitude is not None and draft.longitude is not None:
        check_location(draft.latitude, draft.longitude)
        return draft.latitude, draft.longitude
    if organisation.latitude is None or organisation.longitude is None:
        raise InvalidInput(
            "your organisation has no location on the hub; give this person's", field="latitude"
        )
    return organisation.latitude, organisation.longitude


@transaction.atomic
def person_save(
    *,
    actor: User | None,
    organisation: Organisation,
    draft: PersonDraft,
    person: RosterPerson | None = None,
    viewer: Viewer | None = None,
) -> RosterPerson:
    """Add a person to the roster, or replace an existing entry's details."""
    if actor is not None:
        require(
            may_edit_roster(viewer_of(actor, viewer), organisation.pk),
            "only the organisation's security lead edits its roster",
        )
    if person is not None and person.organisation_id != organisation.pk:
        raise InvalidInput("that person is on another organisation's roster", field="person")
    _check_person(draft)
    latitude, longitude = _location(organisation, draft)
    values = {
        "title": draft.title.strip(),
        "vetting": draft.vetting,
        "languages": draft.languages.strip(),
        "max_days": draft.max_days,
        "latitude": latitude,
        "longitude": longitude,
        "is_active": draft.is_active,
    }
    if person is None:
        person = RosterPerson.objects.create(organisation=organisation, **values)
    else:
        for name, value in values.items():
            setattr(person, name, value)
        person.save()
        person.skills.all().delete()
        person.windows.all().delete()
    RosterSkill.objects.bulk_create(
        RosterSkill(person=person, skill=s, level=lvl) for s, lvl in draft.skills.items()
    )
    Availability.objects.bulk_create(
        Availability(person=person, starts_at=s, ends_at=e) for s, e in draft.windows
    )
    audit_record(
        actor=actor,
        action="mutualaid.roster_person_save",
        target=person,
        organisation_id=organisation.pk,
        details={"skills": draft.skills, "vetting": draft.vetting, "windows": len(draft.windows)},
    )
    return person


@transaction.atomic
def package_create(
    *,
    actor: User | None,
    organisation: Organisation,
    name: str,
    day_rate: Decimal,
    people: list[RosterPerson],
    description: str = "",
    viewer: Viewer | None = None,
) -> RosterPackage:
    """A named team from the roster with one day rate, ready to offer as a whole."""
    if actor is not None:
        require(
            may_edit_roster(viewer_of(actor, viewer), organisation.pk),
            "only the organisation's security lead edits its roster",
        )
    if not name.strip():
        raise InvalidInput("give the package a name", field="name")
    if day_rate < 0:
        raise InvalidInput("a day rate cannot be negative", field="day_rate")
    if not people:
        raise InvalidInput("choose the people in the package", field="people")
    if any(p.organisation_id != organisation.pk for p in people):
        raise InvalidInput("a package is made of your own roster's people", field="people")
    package = RosterPackage.objects.create(
        organisation=organisation, name=name.strip(), description=description, day_rate=day_rate
    )
    package.people.set(people)
    audit_record(
        actor=actor,
        action="mutualaid.package_create",
        target=package,
        organisation_id=organisation.pk,
        details={"people": len(people), "day_rate": str(day_rate)},
    )
    return package


@transaction.atomic
def capacity_add(
    *,
    actor: User | None,
    organisation: Organisation,
    description: str,
    quantity: int,
    viewer: Viewer | None = None,
) -> LendableCapacity:
    if actor is not None:
        require(
            may_edit_roster(viewer_of(actor, viewer), organisation.pk),
            "only the organisation's security lead edits its roster",
        )
    if not description.strip():
        raise InvalidInput("say what you can lend", field="description")
    if quantity < 1:
        raise InvalidInput("the quantity is at least 1", field="quantity")
    item = LendableCapacity.objects.create(
        organisation=organisation, description=description.strip(), quantity=quantity
    )
    audit_record(
        actor=actor, action="mutualaid.capacity_add", target=item, organisation_id=organisation.pk
    )
    return item


@transaction.atomic
def conflict_add(
    *, actor: User | None, org_a: Organisation, org_b: Organisation, reason: str = ""
) -> ConflictPair:
    """Record that two members share an affected supplier (or another conflict of interest)."""
    if actor is not None:
        require(may_coordinate(viewer_of(actor, None)), "only coordinators keep the conflict list")
    if org_a.pk == org_b.pk:
        raise InvalidInput("choose two different organisations", field="org_b")
    low, high = sorted((org_a, org_b), key=lambda o: o.pk)
    if ConflictPair.objects.filter(org_a=low, org_b=high).exists():
        raise Conflict(f"{low.name} and {high.name} are already listed", field="org_b")
    pair = ConflictPair.objects.create(org_a=low, org_b=high, reason=reason.strip())
    audit_record(
        actor=actor,
        action="mutualaid.conflict_add",
        target=pair,
        details={"orgs": [low.slug, high.slug], "reason": pair.reason},
    )
    return pair


@transaction.atomic
def conflict_remove(*, actor: User | None, pair: ConflictPair) -> None:
    if actor is not None:
        require(may_coordinate(viewer_of(actor, None)), "only coordinators keep the conflict list")
    audit_record(
        actor=actor,
        action="mutualaid.conflict_remove",
        target=pair,
        details={"orgs": [pair.org_a.slug, pair.org_b.slug]},
    )
    pair.delete()
