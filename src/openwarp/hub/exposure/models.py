"""Inventories, the vulnerability data the matcher needs, and the warnings it raises.

Vulnerability records are stored the way the matcher reads them: one row per
CVE with its `affected` entries as compact JSON, plus a narrow index of
normalised vendor/product keys, so re-matching one organisation or one new
CVE reads only the records that can concern it (24,000 CVEs a year).
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone

from openwarp.hub.jobs.models import ScheduledRun
from openwarp.hub.members.models import Organisation, User


class Criticality(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class InventoryItem(models.Model):
    """One product an organisation runs, as its staff described it."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="inventory_items"
    )
    vendor = models.CharField(max_length=200, blank=True)
    product = models.CharField(max_length=200, blank=True)
    version = models.CharField(max_length=100, blank=True)
    cpe = models.CharField(max_length=500, blank=True)
    purl = models.CharField(max_length=500, blank=True)
    count = models.PositiveIntegerField(null=True, blank=True)
    owner = models.CharField(max_length=200, blank=True)
    criticality = models.CharField(max_length=10, choices=Criticality.choices, blank=True)
    internet_facing = models.BooleanField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["vendor", "product", "version", "pk"]

    def __str__(self) -> str:
        return " ".join(p for p in (self.vendor, self.product, self.version) if p) or self.cpe


class InventoryUpload(models.Model):
    """Step one of an upload: what was read, kept until the person confirms.

    Nothing reaches the inventory until they choose to import the valid rows,
    so a file with bad rows never half-replaces what was there.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255)
    rows = models.JSONField(default=list)
    errors = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    imported_at = models.DateTimeField(null=True, blank=True)


class Vulnerability(models.Model):
    """One CVE as the matcher needs it; `affected` holds the record's entries."""

    cve_id = models.CharField(max_length=30, unique=True)
    description = models.TextField(blank=True)
    affected = models.JSONField(default=list)
    # NVD's configurations in NVD's JSON shape (core `configurations_to_json`).
    configurations = models.JSONField(default=list)
    cvss_score = models.FloatField(null=True, blank=True)
    cvss_vector = models.CharField(max_length=200, blank=True)
    ssvc_exploitation = models.CharField(max_length=20, blank=True)
    ssvc_automatable = models.CharField(max_length=20, blank=True)
    ssvc_technical_impact = models.CharField(max_length=20, blank=True)
    source_file = models.CharField(max_length=500, blank=True)
    loaded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.cve_id


class ProductKey(models.Model):
    """Which CVEs name which normalised vendor/product: the matcher's way in."""

    key = models.CharField(max_length=300, db_index=True)
    cve_id = models.CharField(max_length=30, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "cve_id"], name="one_key_per_cve")]


class CpeName(models.Model):
    """A CPE vendor:product pair named in the loaded data, offered as a suggestion
    for inventory rows typed as free text."""

    part = models.CharField(max_length=1)
    vendor = models.CharField(max_length=200)
    product = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["part", "vendor", "product"], name="one_cpe_name")
        ]

    def __str__(self) -> str:
        return f"{self.vendor}:{self.product}"


class KevEntry(models.Model):
    """The current CISA KEV catalogue, as last loaded."""

    cve_id = models.CharField(max_length=30, unique=True)
    vendor_project = models.CharField(max_length=200)
    product = models.CharField(max_length=200)
    name = models.CharField(max_length=500, blank=True)
    date_added = models.CharField(max_length=10)
    due_date = models.CharField(max_length=10)
    required_action = models.TextField(blank=True)
    ransomware = models.CharField(max_length=20, blank=True)
    # Listed after the hub's first catalogue: such an entry warns even before its
    # CVE record is loaded (CISA often lists a flaw before the record is complete).
    listed_after_baseline = models.BooleanField(default=False)


class EpssScore(models.Model):
    cve_id = models.CharField(max_length=30, unique=True)
    probability = models.FloatField()
    percentile = models.FloatField()


class DataLoad(models.Model):
    """One import of vulnerability data, and what changed in KEV with it."""

    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    cve_records = models.PositiveIntegerField(default=0)
    kev_version = models.CharField(max_length=30, blank=True)
    kev_added = models.JSONField(default=list)
    kev_removed = models.JSONField(default=list)
    epss_date = models.CharField(max_length=30, blank=True)
    epss_scores = models.PositiveIntegerField(default=0)
    sources = models.JSONField(default=list)

    class Meta:
        ordering = ["-at"]


class Status(models.TextChoices):
    OPEN = "open", "Open"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    MITIGATED = "mitigated", "Mitigated"
    PATCHED = "patched", "Patched"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


RESOLVED = frozenset({Status.MITIGATED, Status.PATCHED, Status.NOT_APPLICABLE})


class ExposureWarning(models.Model):
    """An organisation is (or may be) exposed to a CVE through one product.

    One warning per (organisation, CVE, product) however many rows run that
    product; re-matching updates the verdict and priority but never the
    status the member set. `active` goes false when the match disappears.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="warnings"
    )
    cve_id = models.CharField(max_length=30)
    product_key = models.CharField(max_length=300)
    product_label = models.CharField(max_length=300)
    verdict = models.CharField(max_length=20)
    reason = models.CharField(max_length=500)
    evidence = models.JSONField(default=dict)
    priority = models.FloatField()
    kev = models.BooleanField(default=False)
    internet_facing = models.BooleanField(null=True)
    action = models.TextField(blank=True)
    due_rule = models.CharField(max_length=30)
    due_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    status_reason = models.CharField(max_length=500, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    active = models.BooleanField(default=True)
    first_seen_at = models.DateTimeField(default=timezone.now)
    matched_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-priority", "due_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "cve_id", "product_key"], name="one_warning_per_product"
            )
        ]
        indexes = [models.Index(fields=["cve_id", "active", "status"])]

    def __str__(self) -> str:
        return f"{self.cve_id} in {self.product_label}"


class WarningEvent(models.Model):
    """Each status change, kept so remediation times are computed, never typed in."""

    warning = models.ForeignKey(ExposureWarning, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=20, choices=Status.choices)
    reason = models.CharField(max_length=500, blank=True)
    actor = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]


class KevAlert(models.Model):
    """A CVE newly added to KEV that concerns a member: shown at once and e-mailed."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    warning = models.ForeignKey(
        ExposureWarning, on_delete=models.CASCADE, related_name="kev_alerts"
    )
    cve_id = models.CharField(max_length=30)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["warning"], name="one_kev_alert_per_warning")
        ]


class Advisory(models.Model):
    """The coordinator's advice on a CVE or on a product, shown with matching warnings."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="Markdown.")
    cve_id = models.CharField(max_length=30, blank=True, db_index=True)
    vendor = models.CharField(max_length=200, blank=True)
    product = models.CharField(max_length=200, blank=True)
    product_keys = models.JSONField(default=list)
    author = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "advisories"

    def __str__(self) -> str:
        return self.title


class Feed(models.TextChoices):
    KEV = "kev", "CISA KEV catalogue"
    EPSS = "epss", "FIRST EPSS scores"
    CVE5 = "cve5", "CVE JSON 5 records (cvelistV5 delta)"
    NVD = "nvd", "NVD CVE API 2.0 (recently modified)"


class FeedSource(models.Model):
    """Where the worker fetches one feed from, and how often (set by a coordinator).

    Each run is a `FeedRun`; a failed run (no internet, a broken file) keeps the
    data of the last good one, and the next run is scheduled as usual."""

    feed = models.CharField(max_length=10, choices=Feed.choices, unique=True)
    url = models.URLField(max_length=500)
    interval_hours = models.PositiveIntegerField(default=24)
    enabled = models.BooleanField(default=True)
    next_run_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.get_feed_display()


class FeedRun(ScheduledRun):
    """One refresh; its worker, task and slot fields come from `ScheduledRun`."""

    source = models.ForeignKey(FeedSource, on_delete=models.CASCADE, related_name="runs")
    ok = models.BooleanField(default=False)
    message = models.TextField(blank=True)
    load = models.ForeignKey(DataLoad, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["-started_at", "-pk"]
