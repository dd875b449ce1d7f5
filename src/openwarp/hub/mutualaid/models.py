"""The capability roster, requests for help, offers, deployments and their time sheets.

A request's window is stored as a start and a number of days; its end is always
computed. A deployment copies the window at acceptance so that the double-booking
check is one indexed range query on the responder's deployments.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from openwarp.core.mutualaid import SKILLS
from openwarp.hub.members.models import Organisation

SKILL_LABELS = {
    "incident_lead": "Incident lead",
    "forensic_analyst": "Forensic analyst",
    "windows_ad_recovery": "Windows/AD recovery",
    "backup_restore": "Backup restore",
    "network": "Network",
    "cloud": "Cloud",
    "communications": "Communications",
    "legal_data_protection": "Legal/data protection",
}
SKILL_CHOICES = [(skill, SKILL_LABELS[skill]) for skill in SKILLS]
LEVEL_LABELS = {1: "1 – aware", 2: "2 – practitioner", 3: "3 – senior", 4: "4 – expert"}
MAX_LEVEL = max(LEVEL_LABELS)


class Vetting(models.TextChoices):
    NONE = "none", "Not vetted"
    PENDING = "pending", "Vetting in progress"
    BPSS = "bpss", "Baseline (BPSS)"
    SC = "sc", "Security Check (SC)"
    DV = "dv", "Developed Vetting (DV)"


#: Statuses that count as "vetted" when a request asks for vetted people.
VETTED = frozenset({Vetting.SC, Vetting.DV})


class RosterPerson(models.Model):
    """Someone an organisation could lend: a name or a role title, never a login."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="roster_people"
    )
    title = models.CharField(max_length=200, help_text="A name or a role title.")
    vetting = models.CharField(max_length=10, choices=Vetting.choices, default=Vetting.NONE)
    languages = models.CharField(max_length=200, blank=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    max_days = models.PositiveSmallIntegerField(default=5)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["organisation__name", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def vetted(self) -> bool:
        return self.vetting in VETTED

    def language_list(self) -> list[str]:
        """The languages field as a list: "English, Welsh" or "English; Welsh"."""
        return [part.strip() for part in re.split(r"[,;/]", self.languages) if part.strip()]


class RosterSkill(models.Model):
    person = models.ForeignKey(RosterPerson, on_delete=models.CASCADE, related_name="skills")
    skill = models.CharField(max_length=30, choices=SKILL_CHOICES)
    level = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["skill"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "skill"], name="mutualaid_one_level_per_skill"
            )
        ]


class Availability(models.Model):
    """A window in which the person may be lent."""

    person = models.ForeignKey(RosterPerson, on_delete=models.CASCADE, related_name="windows")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at"]


class RosterPackage(models.Model):
    """A pre-costed team, like an EMAC mission ready package."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="roster_packages"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    day_rate = models.DecimalField(max_digits=9, decimal_places=2)
    people = models.ManyToManyField(RosterPerson, related_name="packages")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LendableCapacity(models.Model):
    """Equipment or a service an organisation can lend (laptops, a clean build service...)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="lendable_capacity"
    )
    description = models.CharField(max_length=300)
    quantity = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["description"]


class ConflictPair(models.Model):
    """Two organisations whose staff should not be sent to each other (e.g. a shared supplier)."""

    org_a = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    org_b = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org_a", "org_b"], name="mutualaid_conflict_once")
        ]


class Mode(models.TextChoices):
    ON_SITE = "on_site", "On site"
    REMOTE = "remote", "Remote"
    EITHER = "either", "On site or remote"


class RequestStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class AidRequest(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="aid_requests"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    incident_summary = models.TextField(blank=True)
    # The requester's own incident record; lenders see only the summary above.
    incident = models.ForeignKey(
        "incidents.Incident",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="aid_requests",
    )
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.ON_SITE)
    # A language everyone sent must speak (e.g. Welsh for a Welsh-speaking council); blank = any.
    language = models.CharField(max_length=60, blank=True)
    starts_at = models.DateTimeField()
    days = models.PositiveSmallIntegerField()
    priority = models.PositiveSmallIntegerField()
    latitude = models.FloatField()
    longitude = models.FloatField()
    avoid_conflicts = models.BooleanField(default=True)
    status = models.CharField(
        max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    review_helped = models.TextField(blank=True)
    review_not_helped = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(days=self.days)


class RequestNeed(models.Model):
    request = models.ForeignKey(AidRequest, on_delete=models.CASCADE, related_name="needs")
    skill = models.CharField(max_length=30, choices=SKILL_CHOICES)
    min_level = models.PositiveSmallIntegerField()
    people = models.PositiveSmallIntegerField()
    vetting_required = models.BooleanField(default=False)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.people} × {SKILL_LABELS[self.skill]} (level {self.min_level}+)"


class OfferStatus(models.TextChoices):
    PENDING = "pending", "Awaiting the lender"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn by the coordinator"


class Offer(models.Model):
    """The coordinator asks a lender to send one person to one need of a request."""

    request = models.ForeignKey(AidRequest, on_delete=models.CASCADE, related_name="offers")
    need = models.ForeignKey(RequestNeed, on_delete=models.CASCADE, related_name="offers")
    person = models.ForeignKey(RosterPerson, on_delete=models.PROTECT, related_name="offers")
    status = models.CharField(
        max_length=10, choices=OfferStatus.choices, default=OfferStatus.PENDING
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(max_length=300, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdraw_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["request", "person"], name="mutualaid_one_offer_each")
        ]


class CostBasis(models.TextChoices):
    DAY_RATE = "day_rate", "Day rate"
    PACKAGE = "package", "Pre-costed package"


class Deployment(models.Model):
    """An accepted offer: the agreement the lender consented to, and the person's window."""

    offer = models.OneToOneField(Offer, on_delete=models.PROTECT, related_name="deployment")
    person = models.ForeignKey(RosterPerson, on_delete=models.PROTECT, related_name="deployments")
    request = models.ForeignKey(AidRequest, on_delete=models.PROTECT, related_name="deployments")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    terms = models.TextField()
    cost_basis = models.CharField(max_length=10, choices=CostBasis.choices)
    day_rate = models.DecimalField(max_digits=9, decimal_places=2)
    package = models.ForeignKey(RosterPackage, null=True, blank=True, on_delete=models.PROTECT)
    confidentiality_agreed = models.BooleanField()
    agreed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    agreed_at = models.DateTimeField(default=timezone.now)
    # Set when the coordinator withdraws an accepted offer: the window is cut back to
    # that moment, so the person is free again and the time already worked still counts.
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["person", "starts_at", "ends_at"])]


class TimeEntry(models.Model):
    """Hours worked and expenses incurred on one day, for reimbursement."""

    deployment = models.ForeignKey(Deployment, on_delete=models.CASCADE, related_name="entries")
    day = models.DateField()
    hours = models.DecimalField(max_digits=4, decimal_places=2)
    expenses = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["day", "pk"]


def window_overlaps(starts_at: datetime, ends_at: datetime) -> Any:
    """A Q for deployments whose window overlaps [starts_at, ends_at)."""
    return models.Q(starts_at__lt=ends_at, ends_at__gt=starts_at)
