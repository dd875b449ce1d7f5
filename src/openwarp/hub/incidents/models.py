"""Incidents a member records, their breach report, and the anonymous channel."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone

from openwarp.core.incidents.categories import NcscCategory
from openwarp.hub.members.models import Organisation, User
from openwarp.hub.sharing.models import Report


class Status(models.TextChoices):
    OPEN = "open", "Open"
    CONTAINED = "contained", "Contained"
    RECOVERING = "recovering", "Recovering"
    CLOSED = "closed", "Closed"


CATEGORY_CHOICES = [(c.value, c.choice_label) for c in NcscCategory]


class Incident(models.Model):
    """One incident at one member. `public_id` is random so URLs reveal no count."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="incidents"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="Markdown.")
    started_at = models.DateTimeField()
    detected_at = models.DateTimeField()
    services_affected = models.CharField(max_length=500, blank=True)
    ncsc_category = models.CharField(max_length=2, choices=CATEGORY_CHOICES)
    impact = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    related_reports = models.ManyToManyField(Report, blank=True, related_name="incidents")
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-detected_at"]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status != Status.CLOSED


class TimelineEntry(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField()
    text = models.TextField()
    author = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]


class Task(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(max_length=200)
    owner = models.CharField(max_length=200, blank=True)
    done = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["done", "pk"]


class LogNote(models.Model):
    """The organisation's private notes: never shown to the hub or anyone else."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="log")
    text = models.TextField()
    author = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]


class SubjectsTold(models.TextChoices):
    YES = "yes", "Yes, they have been told"
    NOT_YET = "not_yet", "Not yet, but we will tell them"
    NO = "no", "No, and we do not plan to"


class Breach(models.Model):
    """The personal-data breach side of an incident: the answers the ICO asks for.

    The deadline is never stored: it is computed from `aware_at`.
    """

    incident = models.OneToOneField(Incident, on_delete=models.CASCADE, related_name="breach")
    aware_at = models.DateTimeField()
    nature = models.TextField(blank=True)
    data_subject_categories = models.CharField(max_length=500, blank=True)
    data_subjects_approx = models.PositiveIntegerField(null=True, blank=True)
    record_categories = models.CharField(max_length=500, blank=True)
    records_approx = models.PositiveIntegerField(null=True, blank=True)
    likely_consequences = models.TextField(blank=True)
    measures_taken = models.TextField(blank=True)
    subjects_told = models.CharField(
        max_length=8, choices=SubjectsTold.choices, default=SubjectsTold.NOT_YET
    )
    subjects_told_at = models.DateTimeField(null=True, blank=True)
    subjects_not_told_reason = models.TextField(blank=True)
    dpo_contact = models.CharField(max_length=300, blank=True)
    reported_to_ico_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)


class PostState(models.TextChoices):
    AWAITING_REVIEW = "awaiting_review", "Awaiting the coordinator"
    PUBLISHED = "published", "Published to the region"
    WITHHELD = "withheld", "Withheld by the coordinator"


class AnonymousPost(models.Model):
    """ "A council like us is under attack by X", relayed by the coordinator.

    The reporter is stored once, for the coordinators. Others learn only the
    category and the day of publication; lists order by the random public id
    within a day, so neither the order nor the time of day points at anyone.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reporter_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    threat = models.CharField(max_length=200)
    message = models.TextField()
    state = models.CharField(
        max_length=16, choices=PostState.choices, default=PostState.AWAITING_REVIEW
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_on = models.DateField(null=True, blank=True, db_index=True)
    escalated_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-published_on", "public_id"]


class BreachReminder(models.Model):
    """One ICO-deadline reminder e-mail sent, so that each threshold is sent once.

    Keyed by the awareness time it was computed from: if the organisation corrects
    `aware_at`, the deadline moves and the reminders apply to the new one.
    """

    breach = models.ForeignKey(Breach, on_delete=models.CASCADE, related_name="reminders")
    hours_left = models.PositiveSmallIntegerField()
    aware_at = models.DateTimeField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["breach", "hours_left", "aware_at"], name="incidents_reminder_once"
            )
        ]


class IncidentIndicator(models.Model):
    """A single indicator linked to an incident.

    The indicator itself lives in a sharing report, which carries its marking (TLP
    and distribution): one of the incident's related reports, or a report made for
    values pasted on the incident page. Who sees it is decided by that report.
    """

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="indicators")
    indicator = models.ForeignKey(
        "sharing.Indicator", on_delete=models.CASCADE, related_name="incident_links"
    )
    linked_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    linked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["indicator__kind", "indicator__value"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "indicator"], name="incidents_indicator_once"
            )
        ]
