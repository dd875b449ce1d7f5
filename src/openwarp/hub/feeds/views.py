"""Feed pages: the list, subscribing, importing a file, and members' feed warnings."""

from __future__ import annotations

import tempfile
from pathlib import Path
from uuid import UUID

from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from openwarp.core.errors import OpenWarpError
from openwarp.hub.feeds import selectors, services
from openwarp.hub.feeds.forms import FeedForm, FeedImportForm
from openwarp.hub.feeds.models import Feed
from openwarp.hub.members.policy import Action, may
from openwarp.hub.web.decorators import MemberRequest, member_view


@member_view()
def feed_list(request: MemberRequest) -> HttpResponse:
    return render(
        request,
        "feeds/feed_list.html",
        {
            "feeds": selectors.feeds_for_viewer(viewer=request.viewer),
            "can_manage": may(request.viewer, Action.MANAGE_ORGANISATIONS),
        },
    )


@member_view(Action.MANAGE_ORGANISATIONS)
def feed_new(request: MemberRequest) -> HttpResponse:
    form = FeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            feed = services.feed_create(actor=request.user, **form.cleaned_data)
        except OpenWarpError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"Subscribed to {feed.name}. Import its first file.")
            return redirect("feeds:feed", slug=feed.slug)
    return render(request, "feeds/feed_new.html", {"form": form})


@member_view()
def feed_detail(request: MemberRequest, slug: str) -> HttpResponse:
    feed = selectors.feed_for_viewer(viewer=request.viewer, slug=slug)
    can_manage = may(request.viewer, Action.MANAGE_ORGANISATIONS)
    form = FeedImportForm(request.POST or None, request.FILES or None) if can_manage else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            summary = _import_upload(request, feed, form.cleaned_data["file"])
        except OpenWarpError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                f"Imported {summary['values']} values ({summary['new']} new, "
                f"{summary['rejected']} left out); {summary['alerts']} new early warnings.",
            )
            return redirect("feeds:feed", slug=feed.slug)
    return render(request, "feeds/feed_detail.html", {"feed": feed, "form": form})


def _import_upload(request: MemberRequest, feed: Feed, upload: UploadedFile) -> dict[str, object]:
    # The loaders sniff gzip and formats from a real file, so the upload is
    # written to one under its own name (kept for the error messages).
    with tempfile.TemporaryDirectory(prefix="openwarp-feed-") as folder:
        path = Path(folder) / Path(upload.name or "feed").name
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        return services.feed_import(actor=request.user, feed=feed, path=path)


@member_view()
def feed_alerts(request: MemberRequest) -> HttpResponse:
    alerts = selectors.feed_alerts_for_viewer(viewer=request.viewer)
    if request.method == "POST":
        alert = get_object_or_404(alerts, public_id=_uuid_or_none(request.POST.get("alert")))
        try:
            services.feed_alert_acknowledge(actor=request.user, alert=alert)
            messages.success(request, "Warning acknowledged.")
        except OpenWarpError as error:
            messages.error(request, error.message)
        return redirect("feeds:alerts")
    return render(request, "feeds/feed_alerts.html", {"alerts": alerts[:200]})


def _uuid_or_none(text: str | None) -> UUID | None:
    try:
        return UUID(text or "")
    except ValueError:
        return None
