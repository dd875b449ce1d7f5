"""A region that shares in every scope, for TAXII tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from openwarp.hub.members.models import SharingGroup
from openwarp.hub.members.policy import Role
from openwarp.hub.sharing.models import Report
from openwarp.hub.sharing.services.reports import ReportDraft, report_create, report_release
from openwarp.hub.taxii.entries import collection_entries_sync
from tests.world import World


@dataclass
class Shared:
    world: World
    reports: dict[str, Report]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.world, name)


def _report(author: Any, **fields: Any) -> Report:
    report, _ = report_create(actor=author, draft=ReportDraft(**fields))
    return report


def share_in_every_scope(world: World) -> dict[str, Report]:
    """Reports in each distribution and marking, plus an anonymous one released
    three hours ago (TAXII holds anonymous reports to the next full hour)."""
    lead, other = world.users[Role.SECURITY_LEAD], world.other_lead
    group = SharingGroup.objects.create(name="Derby and Nottingham")
    group.organisations.set([world.own, world.other])
    reports = {
        "region_green": world.green_report,
        "federation_green": _report(
            lead,
            title="Credential phishing kit aimed at councils",
            threat_type="phishing",
            tlp="green",
            distribution="federation",
            indicators_text="fed-phish.example\n198.51.100.23\nCVE-2024-3400\n"
            "d41d8cd98f00b204e9800998ecf8427e\nAS64500\ninvoice.pdf.exe",
        ),
        "federation_clear": _report(
            other,
            title="Advisory: patch the VPN appliance",
            threat_type="exploitation",
            tlp="clear",
            distribution="federation",
            indicators_text="CVE-2025-0282",
        ),
        "federation_amber": _report(
            other,
            title="Amber details of an intrusion",
            threat_type="intrusion",
            tlp="amber",
            distribution="federation",
            indicators_text="amber-c2.example",
        ),
        "region_red": _report(
            other,
            title="Named-only: an insider case",
            threat_type="other",
            tlp="red",
            distribution="region",
            indicators_text="red-only.example",
            named_recipients=[world.users[Role.MEMBER]],
        ),
        "organisation_amber": _report(
            lead,
            title="Our own notes on a phish",
            threat_type="phishing",
            tlp="amber",
            distribution="organisation",
            indicators_text="own-notes.example",
        ),
        "group_green": _report(
            other,
            title="Shared with the two cities",
            threat_type="malware",
            tlp="green",
            distribution="sharing_group",
            sharing_group=group,
            indicators_text="group-only.example",
        ),
        "federation_anonymous": _report(
            other,
            title="Extortion e-mail received",
            threat_type="ransomware",
            tlp="green",
            distribution="federation",
            anonymous=True,
            indicators_text="extort@leak.example",
        ),
    }
    anonymous = reports["federation_anonymous"]
    report_release(actor=world.users[Role.COORDINATOR], report=anonymous, release=True)
    Report.objects.filter(pk=anonymous.pk).update(published_at=timezone.now() - timedelta(hours=3))
    held_back = reports["federation_amber"]
    Report.objects.filter(pk=held_back.pk).update(published_at=timezone.now() - timedelta(days=2))
    collection_entries_sync()  # the two updates above bypass save()
    for report in reports.values():
        report.refresh_from_db()
    return reports


@pytest.fixture
def shared(world: World) -> Shared:
    return Shared(world=world, reports=share_in_every_scope(world))
