"""The database form of the policy lists exactly what `may_view` allows."""

from __future__ import annotations

import itertools

import pytest

from openwarp.core.tlp import TLP
from openwarp.hub.members.models import SharingGroup
from openwarp.hub.members.policy import Distribution, Role
from openwarp.hub.members.policy_adapters import viewer_for
from openwarp.hub.sharing.access import report_visible, reports_visible
from openwarp.hub.sharing.models import Report, ReportState
from tests.world import World


@pytest.fixture
def grid(world: World) -> list[Report]:
    """Every marking × distribution × anonymity × state, from two organisations."""
    group = SharingGroup.objects.create(name="Nottinghamshire councils")
    group.organisations.add(world.other)
    reports = []
    authors = [world.users[Role.MEMBER], world.other_lead]
    for tlp, distribution, anonymous, state, author in itertools.product(
        TLP, Distribution, (False, True), ReportState.values, authors
    ):
        report = Report.objects.create(
            title=f"{tlp} {distribution} {anonymous} {state}",
            threat_type="phishing",
            tlp=tlp,
            distribution=distribution,
            anonymous=anonymous,
            state=state,
            owner_organisation=author.organisation,
            author=author,
            sharing_group=group if distribution == Distribution.SHARING_GROUP else None,
            from_federation=distribution == Distribution.FEDERATION and anonymous,
        )
        if tlp == TLP.RED:
            report.named_recipients.add(world.users[Role.SECURITY_LEAD], world.other_lead)
        reports.append(report)
    return reports


def test_listing_and_single_checks_agree_for_every_role(world: World, grid: list[Report]) -> None:
    people = [*world.users.values(), world.other_lead, None]
    for person in people:
        viewer = viewer_for(person)
        listed = set(
            reports_visible(viewer).filter(pk__in=[r.pk for r in grid]).values_list("pk", flat=True)
        )
        expected = {report.pk for report in grid if report_visible(viewer, report)}
        assert listed == expected, f"{person}: {len(listed ^ expected)} reports disagree"
        assert listed, f"{person} should see something in the grid"
