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
from openwarp.hub.feeds import fetching, selectors, services
from openwarp.hub.feeds.forms import FeedForm, FeedImportForm, FeedSourceForm
from openwarp.hub.feeds.models import Feed
from openwarp.hub.members.policy import Action, may
from openwarp.hub.web.decorators import MemberRequest, member_view


@member_view()
def feed_list(request: MemberRequest) -> HttpResponse:
    feeds = list(selectors.feeds_for_viewer(viewer=request.viewer))
    last_runs = selectors.feed_last_runs(viewer=request.viewer)
    for feed in feeds:
        feed.last_run = last_runs.get(feed.pk)  # type: ignore[attr-defined]
    return render(
        request,
        "feeds/feed_list.html",
        {"feeds": feeds, "can_manage": may(request.viewer, Action.MANAGE_ORGANISATIONS)},
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
    return render(request, "feeds/feed_detail.html", _detail_context(request, feed, form))


def _detail_context(
    request: MemberRequest, feed: Feed, form: FeedImportForm | None, **extra: object
) -> dict[str, object]:
    context: dict[str, object] = {"feed": feed, "form": form}
    if form is not None:  # a coordinator: the source, its runs, Fetch now
        context["runs"] = selectors.feed_runs_for_viewer(viewer=request.viewer, feed=feed)[:10]
        context["source_form"] = FeedSourceForm(
            initial={
                "source_format": feed.source_format,
                "source_url": feed.source_url,
                "interval_hours": feed.interval_hours,
            }
        )
    return context | extra


@member_view(Action.MANAGE_ORGANISATIONS)
def feed_source(request: MemberRequest, slug: str) -> HttpResponse:
    """Set where the feed is fetched from and how often (POST from the feed page)."""
    feed = selectors.feed_for_viewer(viewer=request.viewer, slug=slug)
    form = FeedSourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            fetching.feed_source_save(
                actor=request.user,
                feed=feed,
                source_url=data["source_url"],
                source_format=data["source_format"],
                interval_hours=data["interval_hours"],
                auth_token=data["auth_token"] or None,
            )
        except OpenWarpError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "Saved where the feed is fetched from.")
            return redirect("feeds:feed", slug=feed.slug)
    context = _detail_context(request, feed, FeedImportForm(), source_form=form)
    return render(request, "feeds/feed_detail.html", context, status=400 if form.errors else 200)


@member_view(Action.MANAGE_ORGANISATIONS)
def feed_fetch_now(request: MemberRequest, slug: str) -> HttpResponse:
    feed = selectors.feed_for_viewer(viewer=request.viewer, slug=slug)
    if request.method == "POST":
        try:
            fetching.feed_fetch_now(actor=request.user, feed=feed)
        except OpenWarpError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Queued a fetch: the worker runs it shortly.")
    return redirect("feeds:feed", slug=feed.slug)


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
