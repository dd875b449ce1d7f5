"""The coordinator's vulnerability data pages: feed files and scheduled sources.

Thin like the other views: the policy (through the services) decides, the
loaders check every file before anything is stored.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from openwarp.core.errors import InvalidInput, NotFound, OpenWarpError, PermissionDenied
from openwarp.hub.exposure.fetch import OFFICIAL_URLS
from openwarp.hub.exposure.forms import FeedSourceForm, FeedUploadForm
from openwarp.hub.exposure.models import DataLoad, FeedRun, FeedSource
from openwarp.hub.exposure.services.data import vulnerability_data_load
from openwarp.hub.exposure.services.refresh import feed_refresh_now, feed_source_save
from openwarp.hub.jobs.schedule import run_limit
from openwarp.hub.members.policy.exposure import may_load_vulnerability_data
from openwarp.hub.web.decorators import MemberRequest, member_view


def _require(request: MemberRequest) -> None:
    if not may_load_vulnerability_data(request.viewer):
        raise PermissionDenied("only the hub's coordinators load vulnerability data")


@member_view()
def feeds(request: MemberRequest) -> HttpResponse:
    """The coordinator's page for feed files (large CVE 5 sets: the CLI), and the
    scheduled sources."""
    _require(request)
    form = FeedUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            load = _load_uploaded(request, form)
        except OpenWarpError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                f"Loaded. {len(load.kev_added)} new KEV entries; warnings are being updated.",
            )
            return redirect("exposure:feeds")
    return render(
        request,
        "exposure/feeds.html",
        {
            "form": form,
            "source_form": FeedSourceForm(initial={"url": OFFICIAL_URLS["kev"]}),
            "official_urls": OFFICIAL_URLS,
            "sources": FeedSource.objects.order_by("feed"),
            "runs": FeedRun.objects.select_related("source")[:20],
            "stopped_before": timezone.now() - run_limit(),
            "loads": DataLoad.objects.all()[:20],
        },
    )


@member_view()
def feed_source(request: MemberRequest) -> HttpResponse:
    """Set where a feed is fetched from and how often (POST from the feeds page)."""
    _require(request)
    form = FeedSourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            source = feed_source_save(actor=request.user, **form.cleaned_data)
        except OpenWarpError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{source}: fetched every {source.interval_hours} h.")
    elif request.method == "POST":
        messages.error(request, "; ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("exposure:feeds")


@member_view()
def feed_run(request: MemberRequest, pk: int) -> HttpResponse:
    """Queue one refresh of a source now."""
    _require(request)
    source = FeedSource.objects.filter(pk=pk).first()
    if source is None:
        raise NotFound("no such feed source")
    if request.method == "POST":
        feed_refresh_now(actor=request.user, source=source)
        messages.success(request, f"{source}: a refresh is queued for the worker.")
    return redirect("exposure:feeds")


def _load_uploaded(request: MemberRequest, form: FeedUploadForm) -> DataLoad:
    from openwarp.hub.exposure.tasks import exposure_after_load_task

    with tempfile.TemporaryDirectory() as folder, transaction.atomic():
        paths: dict[str, Path] = {}
        for name in FeedUploadForm.NAMES:
            file = form.cleaned_data.get(name)
            if file is not None:
                (Path(folder) / name).mkdir()
                paths[name] = Path(folder) / name / Path(file.name).name
                paths[name].write_bytes(file.read())
        try:
            load = vulnerability_data_load(
                actor=request.user,
                cve5_paths=[paths["cve5"]] if "cve5" in paths else [],
                nvd_paths=[paths["nvd"]] if "nvd" in paths else [],
                csaf_paths=[paths["csaf"]] if "csaf" in paths else [],
                kev_path=paths.get("kev"),
                epss_path=paths.get("epss"),
            )
        except InvalidInput as error:  # name the uploaded file, not our temporary copy
            message = error.message
            for name in FeedUploadForm.NAMES:
                message = message.replace(f"{folder}/{name}/", "")
            raise InvalidInput(message.replace(f"{folder}/", ""), field=error.field) from None
        transaction.on_commit(lambda: exposure_after_load_task.enqueue(load_id=load.pk))
    return load
