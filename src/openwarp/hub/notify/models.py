"""Webhooks members register, and each delivery the hub makes to them."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone

from openwarp.hub.members.models import Organisation, User
from openwarp.hub.sealed import SealedTextField


class WebhookEvent(models.TextChoices):
    EARLY_WARNING = "early_warning", "Early warning: a report names our ranges or domains"
    REPORT = "report", "A TLP:AMBER or stricter report shared with us"
    KEV = "kev", "A vulnerability now known to be exploited (CISA KEV) in what we run"
    TEST = "test", "Test delivery"


class Webhook(models.Model):
    """An address of a member's own systems the hub posts events to.

    The secret signs each body; it is shown once, when made, and kept here
    because the hub needs it for every delivery."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="webhooks"
    )
    url = models.URLField(max_length=500)
    secret = SealedTextField()  # sealed at rest (ADR 0004); the hub signs with it
    events = models.JSONField(default=list)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    failures_in_a_row = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.url


class DeliveryState(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Gave up"


class Delivery(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=30, choices=WebhookEvent.choices)
    payload = models.JSONField()
    state = models.CharField(
        max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    response_status = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["webhook", "-created_at"])]


class DigestSent(models.Model):
    """One organisation's daily digest for one day: kept so a second run of
    the day (a retried cron job) sends nothing twice."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="digests")
    day = models.DateField()
    reports = models.PositiveIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "day"], name="one_digest_a_day")
        ]


class MailTopic(models.TextChoices):
    """Kinds of e-mail a person may choose to receive (see `mail_choices`)."""

    EARLY_WARNING = (
        "early_warning",
        "Early warnings: a shared report or a followed feed names our ranges or domains",
    )
    AMBER_REPORT = "amber_report", "TLP:AMBER and AMBER+STRICT reports, as soon as they are shared"
    DAILY_DIGEST = "daily_digest", "A daily digest of the GREEN and CLEAR reports shared with us"
    KEV_WARNING = (
        "kev_warning",
        "Newly exploited vulnerabilities (CISA KEV) in products our inventory lists",
    )
    ICO_DEADLINE = "ico_deadline", "ICO deadline reminders for our personal-data breaches"
    MUTUAL_AID = "mutual_aid", "Mutual aid: requests to lend our people, and answers to ours"


class MailPreference(models.Model):
    """One person's choice about one kind of e-mail."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="mail_preferences")
    topic = models.CharField(max_length=20, choices=MailTopic.choices)
    wanted = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "topic"], name="one_mail_choice_per_topic")
        ]
