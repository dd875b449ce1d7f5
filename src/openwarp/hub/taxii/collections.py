"""The hub's TAXII collections: one per sharing scope the reader may read.

Collections have stable ids (derived from the hub's name and the scope, so
they differ between hubs and survive restarts) and short aliases that can be
used in URLs in their place: `federation`, `region`, `organisation`,
`group-<number>`. The objects of a collection are the published reports of
that distribution which the reader may see, as the sharing policy decides.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet

from openwarp.core.errors import NotFound
from openwarp.core.sharing.stix_export import derived_uuid
from openwarp.hub.members.models import SharingGroup
from openwarp.hub.members.policy import Distribution, Role, Viewer
from openwarp.hub.members.policy.taxii import may_add_to_collection, may_read_collection
from openwarp.hub.sharing.access import reports_visible
from openwarp.hub.sharing.exports import NAMESPACE
from openwarp.hub.sharing.models import Report, ReportState

_TITLES = {
    Distribution.FEDERATION: (
        "Federation",
        "Reports shared with every federated hub; the inbox for reports from other hubs.",
    ),
    Distribution.REGION: ("Region", "Reports shared with every member of this hub's region."),
    Distribution.ORGANISATION: (
        "My organisation",
        "Reports your organisation keeps to itself.",
    ),
}


@dataclass(frozen=True, slots=True)
class Collection:
    id: str
    alias: str
    title: str
    description: str
    distribution: Distribution
    sharing_group_id: int | None = None
    can_write: bool = False

    def resource(self) -> dict[str, object]:
        """The TAXII collection resource."""
        return {
            "id": self.id,
            "title": self.title,
            "description": self.description,
            "alias": self.alias,
            "can_read": True,
            "can_write": self.can_write,
            "media_types": ["application/stix+json;version=2.1"],
        }


def _collection_id(alias: str) -> str:
    return str(derived_uuid(NAMESPACE, f"{settings.HUB_NAME}:taxii:{alias}"))


def _scope(viewer: Viewer, distribution: Distribution) -> Collection:
    title, description = _TITLES[distribution]
    return Collection(
        id=_collection_id(distribution.value),
        alias=distribution.value,
        title=title,
        description=description,
        distribution=distribution,
        can_write=may_add_to_collection(viewer, distribution),
    )


def collections_for(viewer: Viewer) -> list[Collection]:
    """The collections the reader may read, federation first."""
    found = [
        _scope(viewer, distribution)
        for distribution in (
            Distribution.FEDERATION,
            Distribution.REGION,
            Distribution.ORGANISATION,
        )
        if may_read_collection(viewer, distribution)
    ]
    if viewer.sharing_group_ids and viewer.role != Role.NATIONAL_ANALYST:
        for group in SharingGroup.objects.filter(pk__in=viewer.sharing_group_ids).order_by("name"):
            if may_read_collection(viewer, Distribution.SHARING_GROUP, sharing_group_id=group.pk):
                alias = f"group-{group.pk}"
                found.append(
                    Collection(
                        id=_collection_id(alias),
                        alias=alias,
                        title=f"Sharing group: {group.name}",
                        description=f"Reports shared with the {group.name} sharing group.",
                        distribution=Distribution.SHARING_GROUP,
                        sharing_group_id=group.pk,
                    )
                )
    return found


def collection_for(viewer: Viewer, key: str) -> Collection:
    """A collection by id or alias; one the reader may not read is not found."""
    for collection in collections_for(viewer):
        if key in (collection.id, collection.alias):
            return collection
    raise NotFound(f"no collection {key!r}")


def collection_reports(viewer: Viewer, collection: Collection) -> QuerySet[Report]:
    """Published reports of the collection's scope that the reader may see."""
    scope = Q(distribution=collection.distribution)
    if collection.sharing_group_id is not None:
        scope &= Q(sharing_group_id=collection.sharing_group_id)
    return reports_visible(viewer).filter(scope, state=ReportState.PUBLISHED)


def known_source_q(viewer: Viewer) -> Q:
    """Among reports the reader may see, those whose publisher it may know:
    `policy.may_see_author` as a Q (tests check the two agree)."""
    known = Q(anonymous=False)
    if not viewer.signed_in or viewer.role == Role.NATIONAL_ANALYST:
        return known
    if viewer.runs_hub:
        return Q()
    known |= Q(author_id=viewer.user_id)
    if viewer.organisation_id is not None:
        known |= Q(owner_organisation_id=viewer.organisation_id)
    return known
