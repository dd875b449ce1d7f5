"""Sharing's view of the access policy: reports described for `policy`."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from openwarp.core.tlp import TLP
from openwarp.hub.members.models import Organisation, OrganisationType
from openwarp.hub.members.policy import (
    Distribution,
    OrganisationCategory,
    Shareable,
    Viewer,
    may_see_author,
    may_view,
)
from openwarp.hub.members.policy_queries import ShareableFields, visible_q
from openwarp.hub.sharing.models import Report, ReportState

REPORT_FIELDS = ShareableFields(released=Q(state=ReportState.PUBLISHED))


def shareable(report: Report) -> Shareable:
    return Shareable(
        owner_organisation_id=report.owner_organisation_id,
        author_user_id=report.author_id,
        tlp=TLP(report.tlp),
        distribution=Distribution(report.distribution),
        sharing_group_id=report.sharing_group_id,
        named_user_ids=frozenset(report.named_recipients.values_list("id", flat=True))
        if report.tlp == TLP.RED
        else frozenset(),
        anonymous=report.anonymous,
        released=report.state == ReportState.PUBLISHED,
        from_federation=report.from_federation,
    )


def reports_visible(viewer: Viewer) -> QuerySet[Report]:
    return Report.objects.filter(visible_q(viewer, REPORT_FIELDS)).distinct()


def report_visible(viewer: Viewer, report: Report) -> bool:
    return may_view(viewer, shareable(report))


def source_label(viewer: Viewer, report: Report) -> str:
    """The publisher's name, or for an anonymous report only its category."""
    if may_see_author(viewer, shareable(report)):
        return report.owner_organisation.name
    return organisation_category(report.owner_organisation).describe()


def organisation_category(organisation: Organisation) -> OrganisationCategory:
    """How an anonymous source is described: its type and region, nothing more."""
    region = organisation.region.name
    if region.lower().startswith(("east", "west", "north", "south")):
        region = f"the {region}"
    return OrganisationCategory(OrganisationType(organisation.org_type).label, region)
