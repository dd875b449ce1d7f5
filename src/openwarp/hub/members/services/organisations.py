"""Creating organisations and registering their ranges and domains."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from openwarp.core.errors import Conflict, InvalidInput, NotFound
from openwarp.core.networks import normalise_domain, parse_ip_range
from openwarp.hub.audit.services import audit_record
from openwarp.hub.members.models import (
    Domain,
    NetworkRange,
    Organisation,
    OrganisationType,
    Region,
    User,
)


def organisation_type_parse(value: str) -> OrganisationType:
    try:
        return OrganisationType(value.strip().lower())
    except ValueError:
        allowed = ", ".join(OrganisationType.values)
        raise InvalidInput(
            f"unknown organisation type {value!r} (use one of: {allowed})", field="org_type"
        ) from None


def region_get_or_create(*, name: str) -> Region:
    region, _ = Region.objects.get_or_create(slug=slugify(name), defaults={"name": name.strip()})
    return region


def region_of_hub() -> Region:
    """The region a new member joins: a hub serves one region, the first made."""
    return Region.objects.order_by("pk").first() or region_get_or_create(name="Region")


def _checked(
    *, name: str, org_type: str, parent: Organisation | None, population: int | None
) -> tuple[str, OrganisationType]:
    """The rules an organisation's own facts follow, on creation and on every edit."""
    name = name.strip()
    if not name:
        raise InvalidInput("a name is required", field="name")
    kind = organisation_type_parse(org_type)
    if population is not None and population < 0:
        raise InvalidInput("population cannot be negative", field="population")
    if parent is not None and parent.org_type != OrganisationType.COUNTY:
        raise InvalidInput(f"{parent.name} is not a county council", field="parent")
    if parent is not None and kind != OrganisationType.DISTRICT:
        raise InvalidInput("only district councils sit inside a county", field="parent")
    return name, kind


def _free_slug(name: str, *, keep: Organisation | None = None) -> str:
    slug = slugify(name)
    others = Organisation.objects.exclude(pk=keep.pk) if keep else Organisation.objects.all()
    if others.filter(name__iexact=name).exists() or others.filter(slug=slug).exists():
        raise Conflict(f"an organisation called {name!r} already exists", field="name")
    return slug


@transaction.atomic
def organisation_create(
    *,
    actor: User | None,
    name: str,
    org_type: str,
    region: Region,
    parent: Organisation | None = None,
    population: int | None = None,
    subregion: str = "",
) -> Organisation:
    name, kind = _checked(name=name, org_type=org_type, parent=parent, population=population)
    slug = _free_slug(name)
    organisation = Organisation.objects.create(
        name=name,
        slug=slug,
        org_type=kind,
        region=region,
        parent=parent,
        population=population,
        subregion=subregion.strip(),
    )
    audit_record(
        actor=actor,
        action="organisation.create",
        target=organisation,
        organisation_id=organisation.pk,
        details={"name": name, "org_type": kind.value, "region": region.name},
    )
    return organisation


@transaction.atomic
def organisation_update(
    *,
    actor: User | None,
    organisation: Organisation,
    name: str,
    org_type: str,
    parent: Organisation | None = None,
    population: int | None = None,
    subregion: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
    is_active: bool = True,
) -> Organisation:
    """Correct an organisation's facts, or record that it left (or rejoined) the hub.

    The slug follows the name so links stay readable; a deactivated
    organisation's people lose access at once (see `backends.py`) and it
    leaves the directory, but nothing it shared or reported is deleted.
    """
    name, kind = _checked(name=name, org_type=org_type, parent=parent, population=population)
    if parent is not None and parent.pk == organisation.pk:
        raise InvalidInput("an organisation cannot sit inside itself", field="parent")
    if kind != OrganisationType.COUNTY and organisation.children.exists():
        raise InvalidInput(
            "districts sit inside this county: move them before changing its type",
            field="org_type",
        )
    for value, field, limit in ((latitude, "latitude", 90), (longitude, "longitude", 180)):
        if value is not None and not -limit <= value <= limit:
            raise InvalidInput(f"{field} must be between -{limit} and {limit}", field=field)
    new_values: dict[str, object] = {
        "name": name,
        "slug": _free_slug(name, keep=organisation),
        "org_type": kind.value,
        "parent_id": parent.pk if parent else None,
        "population": population,
        "subregion": subregion.strip(),
        "latitude": latitude,
        "longitude": longitude,
        "is_active": is_active,
    }
    changed = {
        field: value for field, value in new_values.items() if getattr(organisation, field) != value
    }
    if not changed:
        return organisation
    for field, new_value in changed.items():
        setattr(organisation, field, new_value)
    organisation.save(update_fields=list(changed))
    action = "organisation.update"
    if "is_active" in changed:
        action = "organisation.rejoin" if is_active else "organisation.deactivate"
    audit_record(
        actor=actor,
        action=action,
        target=organisation,
        organisation_id=organisation.pk,
        details={"changed": {field: str(value) for field, value in changed.items()}},
    )
    return organisation


def organisation_get(*, slug_or_name: str) -> Organisation:
    found = Organisation.objects.filter(slug=slug_or_name).first() or (
        Organisation.objects.filter(name__iexact=slug_or_name).first()
    )
    if found is None:
        raise NotFound(f"no organisation {slug_or_name!r}", field="organisation")
    return found


@transaction.atomic
def network_range_add(
    *, actor: User | None, organisation: Organisation, cidr: str, description: str = ""
) -> NetworkRange:
    """Register a public range; a range may belong to one organisation only.

    Overlaps are refused because early warnings for an address go to the
    organisation holding it: two holders would leak one's alerts to the other.
    """
    parsed = parse_ip_range(cidr)
    clash = (
        NetworkRange.objects.filter(
            version=parsed.version, first_key__lte=parsed.last_key, last_key__gte=parsed.first_key
        )
        .select_related("organisation")
        .first()
    )
    if clash is not None:
        owner = (
            "this organisation" if clash.organisation_id == organisation.pk else "another member"
        )
        raise Conflict(
            f"{parsed.cidr} overlaps {clash.cidr}, already registered to {owner}", field="cidr"
        )
    try:
        # A savepoint, so a clash found by the database leaves the caller's
        # transaction usable.
        with transaction.atomic():
            network = NetworkRange.objects.create(
                organisation=organisation,
                cidr=parsed.cidr,
                version=parsed.version,
                first_key=parsed.first_key,
                last_key=parsed.last_key,
                description=description.strip(),
            )
    except IntegrityError:
        # Another registration of an overlapping range committed between our
        # check and our insert (PostgreSQL's exclusion constraint, see
        # migration 0002).
        raise Conflict(
            f"{parsed.cidr} overlaps a range registered a moment ago", field="cidr"
        ) from None
    audit_record(
        actor=actor,
        action="network_range.add",
        target=network,
        organisation_id=organisation.pk,
        details={"cidr": parsed.cidr},
    )
    return network


@transaction.atomic
def domain_add(*, actor: User | None, organisation: Organisation, name: str) -> Domain:
    value = normalise_domain(name)
    existing = Domain.objects.filter(name=value).first()
    if existing is not None:
        owner = (
            "this organisation"
            if existing.organisation_id == organisation.pk
            else ("another member")
        )
        raise Conflict(f"{value} is already registered to {owner}", field="domain")
    domain = Domain.objects.create(organisation=organisation, name=value)
    audit_record(
        actor=actor,
        action="domain.add",
        target=domain,
        organisation_id=organisation.pk,
        details={"domain": value},
    )
    return domain


@transaction.atomic
def network_range_remove(*, actor: User | None, network: NetworkRange) -> None:
    audit_record(
        actor=actor,
        action="network_range.remove",
        target=network,
        organisation_id=network.organisation_id,
        details={"cidr": network.cidr},
    )
    network.delete()


@transaction.atomic
def domain_remove(*, actor: User | None, domain: Domain) -> None:
    audit_record(
        actor=actor,
        action="domain.remove",
        target=domain,
        organisation_id=domain.organisation_id,
        details={"domain": domain.name},
    )
    domain.delete()
