"""Sharing groups: named sets of members that share with each other only.

Coordinators form them (a county and its districts, the NHS trusts of one
ICB, the councils on one shared IT service). Membership decides who may
read a report distributed to the group, so every change is audited.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from openwarp.core.errors import Conflict, InvalidInput
from openwarp.hub.audit.services import audit_record
from openwarp.hub.members.models import Organisation, SharingGroup, User

MINIMUM_MEMBERS = 2


def _checked(name: str, organisations: Iterable[Organisation], keep: SharingGroup | None) -> str:
    name = name.strip()
    if not name:
        raise InvalidInput("a name is required", field="name")
    others = SharingGroup.objects.exclude(pk=keep.pk) if keep else SharingGroup.objects.all()
    if others.filter(name__iexact=name).exists():
        raise Conflict(f"a sharing group called {name!r} already exists", field="name")
    members = list(organisations)
    if len(members) < MINIMUM_MEMBERS:
        raise InvalidInput(
            f"a sharing group needs at least {MINIMUM_MEMBERS} organisations",
            field="organisations",
        )
    inactive = [o.name for o in members if not o.is_active]
    if inactive:
        raise InvalidInput(f"{inactive[0]} has left the hub", field="organisations")
    return name


@transaction.atomic
def sharing_group_create(
    *, actor: User | None, name: str, organisations: Iterable[Organisation]
) -> SharingGroup:
    members = list(organisations)
    group = SharingGroup.objects.create(name=_checked(name, members, keep=None))
    group.organisations.set(members)
    audit_record(
        actor=actor,
        action="sharing_group.create",
        target=group,
        details={"name": group.name, "organisations": sorted(o.slug for o in members)},
    )
    return group


@transaction.atomic
def sharing_group_update(
    *, actor: User | None, group: SharingGroup, name: str, organisations: Iterable[Organisation]
) -> SharingGroup:
    members = list(organisations)
    group.name = _checked(name, members, keep=group)
    group.save(update_fields=["name"])
    before = set(group.organisations.values_list("slug", flat=True))
    after = {o.slug for o in members}
    group.organisations.set(members)
    audit_record(
        actor=actor,
        action="sharing_group.update",
        target=group,
        details={
            "name": group.name,
            "added": sorted(after - before),
            "removed": sorted(before - after),
        },
    )
    return group
