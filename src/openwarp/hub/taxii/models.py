"""What the hub remembers about federation: the hubs it receives from,
where each received report came from and which version it holds, and the
outcome of each TAXII add request."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone

from openwarp.hub.jobs.models import ScheduledRun
from openwarp.hub.members.models import User
from openwarp.hub.sealed import SealedTextField
from openwarp.hub.sharing.models import Report


class Peer(models.Model):
    """Another hub this hub receives reports from.

    A peer is known by how it reaches this hub, never by a name it gives
    itself: the account on this hub it pushes with, and the address this hub
    pulls from. One peer may have both (`openwarp federation peer add`), so a
    report it pushed and later serves for pulling is the same report from the
    same peer. Only the peer that sent a report may change it."""

    name = models.CharField(max_length=200, unique=True)
    url = models.CharField(
        max_length=500, unique=True, null=True, blank=True, help_text="Its TAXII discovery URL."
    )
    account = models.OneToOneField(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="federation_peer"
    )
    # Where the last pull stopped: the peer's own `date_added` of the last
    # object it listed, so the next pull resumes there whatever our clock says.
    pulled_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The worker's schedule (`schedule.py`): pull from `url` and/or push to it
    # every `interval_minutes` with `token`, an API token of an account on the
    # peer hub. The token is used, never shown.
    token = SealedTextField(blank=True)  # sealed at rest (ADR 0004); sent to the peer
    pulls = models.BooleanField(default=False)
    pushes = models.BooleanField(default=False)
    interval_minutes = models.PositiveIntegerField(default=60)
    next_run_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name

    @property
    def scheduled(self) -> bool:
        return (self.pulls or self.pushes) and self.next_run_at is not None


class FederationRun(ScheduledRun):
    """One scheduled (or asked for) exchange with a peer and how it ended.

    A failed run (the peer unreachable, a refused token) says why; what was
    received before stays as it was, since a pull is kept all or nothing."""

    peer = models.ForeignKey(Peer, on_delete=models.CASCADE, related_name="runs")
    ok = models.BooleanField(default=False)
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.peer} at {self.started_at:%Y-%m-%d %H:%M}"


class ReceivedReport(models.Model):
    """A report that arrived from another hub. The local `Report` keeps the
    STIX id's UUID as its `public_id`, so the same object is never stored
    twice; `stix_modified` decides whether a later copy is newer."""

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="received")
    peer = models.ForeignKey(Peer, null=True, on_delete=models.PROTECT, related_name="reports")
    source = models.CharField(max_length=300, help_text="The peer's name when it arrived.")
    creator_name = models.CharField(max_length=200, blank=True)
    stix_modified = models.DateTimeField()
    received_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.report} from {self.source}"


class AddStatus(models.Model):
    """A TAXII status resource: the result of one POST of objects.

    Adds are processed at once, so a status is complete when created; it is
    kept so the client can fetch it again from the status endpoint."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    collection = models.CharField(max_length=100)
    request_timestamp = models.DateTimeField(default=timezone.now)
    total_count = models.PositiveIntegerField(default=0)
    successes = models.JSONField(default=list)
    failures = models.JSONField(default=list)

    def as_resource(self) -> dict[str, object]:
        return {
            "id": str(self.id),
            "status": "complete",
            "request_timestamp": self.request_timestamp.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "total_count": self.total_count,
            "success_count": len(self.successes),
            "successes": self.successes,
            "failure_count": len(self.failures),
            "failures": self.failures,
            "pending_count": 0,
            "pendings": [],
        }


class CollectionEntry(models.Model):
    """When a published report joined its TAXII collection, stored and indexed.

    Every TAXII page, `added_after`, `next` and the manifest walk reports in
    (added, STIX id) order; computing that moment for every report on each
    page made pages slow as reports grew, so it is kept here, one row per
    published report, in the order pages are read. A local report joined at
    its publication (an anonymous one at the next full hour after release);
    a received one when this version of it arrived. Kept by
    `hub/taxii/entries.py`, whenever a report is saved, released or received."""

    report = models.OneToOneField(
        Report, on_delete=models.CASCADE, primary_key=True, related_name="taxii_entry"
    )
    public_id = models.UUIDField()
    distribution = models.CharField(max_length=20)
    sharing_group_id = models.IntegerField(null=True, blank=True)
    owner_organisation_id = models.IntegerField()
    added = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["distribution", "added", "public_id"], name="taxii_entry_order"),
            models.Index(
                fields=["distribution", "owner_organisation_id", "added"],
                name="taxii_entry_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.public_id} added {self.added:%Y-%m-%d %H:%M}"
