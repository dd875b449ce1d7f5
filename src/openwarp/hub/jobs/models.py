"""Liveness of background workers, so work held by a dead worker is not lost;
and what every scheduled run records (see `schedule.py`)."""

from django.db import models
from django.utils import timezone


class WorkerHeartbeat(models.Model):
    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now, db_index=True)


class ScheduledRun(models.Model):
    """The fields the shared schedule reads on each app's own run model.

    Open while `finished_at` is empty. `worker_id` is the worker running it,
    judged by its heartbeat; `task_id` and `due` (the schedule slot, empty
    when asked for) tell a task that came back after its worker died which
    runs were its own; `interrupted` marks a run closed because of that."""

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    due = models.DateTimeField(null=True, blank=True)
    worker_id = models.CharField(max_length=64, blank=True)
    task_id = models.CharField(max_length=64, blank=True, db_index=True)
    interrupted = models.BooleanField(default=False)

    class Meta:
        abstract = True


class DailyJob(models.Model):
    """Work the worker does once a day at a set time, e.g. the digest."""

    name = models.CharField(max_length=64, unique=True)
    next_run_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name


class DailyJobRun(ScheduledRun):
    job = models.ForeignKey(DailyJob, on_delete=models.CASCADE, related_name="runs")
    ok = models.BooleanField(default=False)
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
