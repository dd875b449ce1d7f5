"""Reports members share, their indicators, and sightings of them."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone

from openwarp.core.tlp import TLP
from openwarp.hub.members.models import Organisation, SharingGroup, User
from openwarp.hub.members.policy import Distribution


class ThreatType(models.TextChoices):
    PHISHING = "phishing", "Phishing"
    RANSOMWARE = "ransomware", "Ransomware"
    MALWARE = "malware", "Malware"
    INTRUSION = "intrusion", "Intrusion or compromise"
    DDOS = "ddos", "Denial of service"
    EXPLOITATION = "exploitation", "Exploitation of a vulnerability"
    FRAUD = "fraud", "Fraud or impersonation"
    DATA_BREACH = "data_breach", "Data breach"
    OTHER = "other", "Other"


class Confidence(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed"
    PROBABLE = "probable", "Probable"
    POSSIBLE = "possible", "Possible"
    DOUBTFUL = "doubtful", "Doubtful"


class ReportState(models.TextChoices):
    AWAITING_RELEASE = "awaiting_release", "Awaiting the coordinator"
    PUBLISHED = "published", "Published"
    WITHHELD = "withheld", "Withheld by the coordinator"


class Report(models.Model):
    """A warning a member shares. `public_id` is random so that no number in a
    URL or export reveals when, or in what order, reports were written."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=500, blank=True)
    description = models.TextField(blank=True, help_text="Markdown.")
    threat_type = models.CharField(max_length=20, choices=ThreatType.choices)
    confidence = models.CharField(
        max_length=10, choices=Confidence.choices, default=Confidence.PROBABLE
    )
    tlp = models.CharField(max_length=12, choices=[(t.value, t.label) for t in TLP])
    distribution = models.CharField(
        max_length=15, choices=[(d.value, d.value) for d in Distribution]
    )
    sharing_group = models.ForeignKey(
        SharingGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    named_recipients = models.ManyToManyField(User, blank=True, related_name="red_reports")
    owner_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="reports"
    )
    author = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="reports")
    anonymous = models.BooleanField(default=False)
    state = models.CharField(max_length=20, choices=ReportState.choices)
    created_at = models.DateTimeField(default=timezone.now)
    # When others could first see it. For anonymous reports this is the
    # coordinator's release, not the author's submission.
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # When values were last added after publication, and how many times that
    # happened: exports give the report a new version (STIX `modified`, MISP
    # timestamp) and TAXII lists it again, so readers polling see the change.
    modified_at = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=0)
    from_federation = models.BooleanField(default=False)

    class Meta:
        ordering = ["-published_at"]
        indexes = [models.Index(fields=["state", "distribution", "tlp"])]

    def __str__(self) -> str:
        return self.title


class Indicator(models.Model):
    """One value in one report. Correlation looks values up in the (kind,
    value) index; nothing ever stores report-to-report pairs.

    `public_id` is what the API and pages show: random, so that no number
    tells when a value was submitted (an anonymous report's place among
    named ones would otherwise be read off neighbouring database ids)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="indicators")
    kind = models.CharField(max_length=12)
    value = models.CharField(max_length=2048)
    original = models.CharField(max_length=2048, blank=True)
    comment = models.CharField(max_length=500, blank=True)
    warninglist = models.CharField(max_length=200, blank=True)
    # When the value joined its report: values added to a published report
    # reach the indicator export from then (never shown: exports round it).
    added_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "kind", "value"], name="one_value_per_report")
        ]
        indexes = [models.Index(fields=["kind", "value"])]

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"


class SightingKind(models.TextChoices):
    SEEN = "seen", "We saw this"
    FALSE_POSITIVE = "false_positive", "False positive"
    EXPIRED = "expired", "No longer active"


class Sighting(models.Model):
    """A member's sightings of one value: counts kept per member, shown only
    in total across members."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="sightings"
    )
    kind = models.CharField(max_length=12)
    value = models.CharField(max_length=2048)
    sighting = models.CharField(max_length=15, choices=SightingKind.choices)
    count = models.PositiveIntegerField(default=1)
    first_seen = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "value", "sighting"], name="one_tally_per_member"
            )
        ]
        indexes = [models.Index(fields=["kind", "value"])]


class Alert(models.Model):
    """An early warning: a shared report mentions this member's own address
    space or domains. `public_id` is what pages and the API show: sequential
    ids would tell a member how many alerts the others got."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="alerts")
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="alerts")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="alerts")
    reason = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "indicator"], name="one_alert_per_member_and_value"
            )
        ]


class SightingBatch(models.Model):
    """One batch of sightings a member's sweep sent, kept so a retry of the
    same batch (same key) is answered from here instead of counted twice.

    `digest` is of the batch's content: the same key with other content is a
    client fault, not a retry. `samples` holds log lines only when the member
    chose to send them (`openwarp sweep --report --include-lines`).
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="sighting_batches"
    )
    key = models.CharField(max_length=200)
    digest = models.CharField(max_length=64)
    indicators = models.PositiveIntegerField()
    total = models.PositiveBigIntegerField()
    samples = models.JSONField(default=dict, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "key"], name="one_sighting_batch_per_key"
            )
        ]
