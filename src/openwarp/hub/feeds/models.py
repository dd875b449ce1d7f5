"""External indicator feeds the coordinator subscribes the hub to.

Feed values are kept apart from members' reports (they are nobody's report,
and there are millions of them) but use the same (kind, value) normal form,
so correlation finds a value in both with one index lookup each.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone

from openwarp.core.feeds.fetch import SourceFormat
from openwarp.core.feeds.grading import Reliability
from openwarp.core.tlp import TLP
from openwarp.hub.jobs.models import ScheduledRun
from openwarp.hub.members.models import Organisation
from openwarp.hub.sealed import SealedTextField


class Feed(models.Model):
    """A subscribed source. Its files are read by content: maltrail TSV, plain
    lists, CSV with an indicator column, MISP events and STIX bundles."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.CharField(max_length=500, blank=True)
    source_url = models.URLField(max_length=500, blank=True)
    reliability = models.CharField(
        max_length=1, choices=[(r.value, r.label) for r in Reliability], default=Reliability.F.value
    )
    tlp = models.CharField(
        max_length=12,
        choices=[(t.value, t.label) for t in (TLP.CLEAR, TLP.GREEN)],
        default=TLP.CLEAR.value,
    )
    expiry_days = models.PositiveIntegerField(
        default=30, help_text="A value no longer listed expires this long after it was last seen."
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_imported_at = models.DateTimeField(null=True, blank=True)
    last_import = models.JSONField(default=dict, blank=True)
    # Scheduled fetching from `source_url` (0 hours: only when asked).
    source_format = models.CharField(
        max_length=8,
        choices=[(f.value, f.label) for f in SourceFormat],
        default=SourceFormat.LIST.value,
    )
    interval_hours = models.PositiveIntegerField(default=0)
    next_run_at = models.DateTimeField(null=True, blank=True)
    # Where the next fetch resumes (MISP event timestamps, TAXII added_after);
    # written only in the transaction that stores a good run's data.
    cursor = models.JSONField(default=dict, blank=True)
    # A TAXII server's API token: sent as a bearer token, never shown or audited.
    auth_token = SealedTextField(blank=True)  # sealed at rest (ADR 0004)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class FeedRun(ScheduledRun):
    """One fetch of a feed: running until it finishes, then ok or failed with why.
    A run whose worker died is closed as interrupted by the next run; its
    worker, task and slot fields come from `ScheduledRun`."""

    class State(models.TextChoices):
        RUNNING = "running", "Running"
        OK = "ok", "Imported"
        FAILED = "failed", "Failed"

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="runs")
    state = models.CharField(max_length=8, choices=State.choices, default=State.RUNNING)
    message = models.TextField(blank=True)
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["feed", "state"])]


class FeedIndicator(models.Model):
    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="indicators")
    kind = models.CharField(max_length=12)
    value = models.CharField(max_length=2048)
    context = models.CharField(max_length=200, blank=True)
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    # The warninglist that marks the value as benign, or "": flagged, not dropped.
    warninglist = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["feed", "kind", "value"], name="one_value_per_feed")
        ]
        indexes = [models.Index(fields=["kind", "value"])]

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"


class FeedAlert(models.Model):
    """A feed lists something inside a member's registered ranges or domains.
    `public_id` is what pages and the API show: sequential ids would tell a
    member how many warnings the others got."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="feed_alerts"
    )
    indicator = models.ForeignKey(FeedIndicator, on_delete=models.CASCADE, related_name="alerts")
    reason = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "indicator"], name="one_feed_alert_per_member_and_value"
            )
        ]
