"""The demo region has a live ransomware incident with its ICO clock running."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from openwarp.hub.demo import demo_seed
from openwarp.hub.incidents.demo import LIVE_TITLE, demo_incident
from openwarp.hub.incidents.models import AnonymousPost, Incident, Status
from openwarp.hub.incidents.selectors.incidents import clocks_for

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_a_live_ransomware_incident_and_a_history() -> None:
    demo_seed(password="demo-password-for-tests")
    live = demo_incident()
    assert live is not None and live.title == LIVE_TITLE
    assert live.organisation.name == "Amber Valley Borough Council"
    assert live.ncsc_category in ("C3", "C4") and live.status != Status.CLOSED
    assert timezone.now() - timedelta(hours=12) < live.detected_at < timezone.now()
    clock = clocks_for(live).ico
    assert clock is not None and not clock.overdue and clock.stopped is None
    assert live.timeline.count() >= 3 and live.tasks.count() >= 3
    closed = Incident.objects.filter(status=Status.CLOSED)
    assert {i.detected_at.year for i in closed} == {2025, 2026}
    assert closed.values("organisation").distinct().count() >= 3
    post = AnonymousPost.objects.get()
    assert post.published_on is not None and post.escalated_on is not None
