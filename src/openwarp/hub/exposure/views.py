"""Exposure pages: inventory, two-step upload, warnings, regional view, advisories, feeds.

Thin: parse, call one selector or service, render. Access is decided by the
policy (through selectors and services); PermissionDenied and NotFound become
the refused page in `member_view`.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from openwarp.core.errors import OpenWarpError, PermissionDenied
from openwarp.hub.exposure import selectors
from openwarp.hub.exposure.forms import (
    AdvisoryForm,
    RowForm,
    StatusForm,
    UploadForm,
)
from openwarp.hub.exposure.models import InventoryItem, Status
from openwarp.hub.exposure.regional import regional_exposure
from openwarp.hub.exposure.services.inventory import (
    inventory_item_accept_cpe,
    inventory_item_delete,
    inventory_item_save,
    inventory_upload_confirm,
    inventory_upload_preview,
)
from openwarp.hub.exposure.services.warnings import advisory_create, warning_set_status
from openwarp.hub.members.models import Organisation
from openwarp.hub.members.policy.exposure import (
    may_edit_inventory,
    may_set_warning_status,
    may_write_advisory,
    regional_detail,
)
from openwarp.hub.sharing.markdown import render_markdown
from openwarp.hub.web.decorators import MemberRequest, member_view


def _editable(request: MemberRequest, organisation_id: int) -> None:
    if not may_edit_inventory(request.viewer, organisation_id):
        raise PermissionDenied("only the organisation's own staff change its inventory")


@member_view()
def home(request: MemberRequest) -> HttpResponse:
    """Members go to their warnings; the hub to the regional view."""
    viewer = request.viewer
    organisation = request.user.organisation
    if organisation is not None and not viewer.runs_hub:
        return redirect("exposure:warnings", slug=organisation.slug)
    if regional_detail(viewer) is not None:
        return redirect("exposure:region")
    raise PermissionDenied("exposure warnings are for member organisations and the hub")


@member_view()
def inventory(request: MemberRequest, slug: str) -> HttpResponse:
    organisation = selectors.organisation_for_inventory(viewer=request.viewer, slug=slug)
    rows = selectors.inventory_rows(viewer=request.viewer, organisation=organisation)
    return render(
        request,
        "exposure/inventory.html",
        {
            "organisation": organisation,
            "rows": rows,
            "unidentified": [r for r in rows if not r.identified],
            "unmatched": [r for r in rows if not r.identified and not r.suggestions],
            "can_edit": may_edit_inventory(request.viewer, organisation.pk),
        },
    )


def _row_form(
    request: MemberRequest, organisation: Organisation, item: InventoryItem | None
) -> HttpResponse:
    _editable(request, organisation.pk)
    initial = {}
    if item is not None:
        initial = {f: getattr(item, f) for f in RowForm.base_fields if f != "internet_facing"}
        facing = item.internet_facing
        initial["internet_facing"] = "" if facing is None else ("yes" if facing else "no")
    form = RowForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = inventory_item_save(
                actor=request.user, organisation=organisation, data=form.row_input(), item=item
            )
        except PermissionDenied:
            raise
        except OpenWarpError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"Saved {saved}. Warnings are being updated.")
            return redirect("exposure:inventory", slug=organisation.slug)
    return render(
        request,
        "exposure/item_form.html",
        {"form": form, "organisation": organisation, "item": item},
    )


@member_view()
def item_new(request: MemberRequest, slug: str) -> HttpResponse:
    organisation = selectors.organisation_for_inventory(viewer=request.viewer, slug=slug)
    return _row_form(request, organisation, None)


@member_view()
def item_edit(request: MemberRequest, pk: int) -> HttpResponse:
    item = selectors.inventory_item_for_viewer(viewer=request.viewer, pk=pk)
    return _row_form(request, item.organisation, item)


@member_view()
def item_delete(request: MemberRequest, pk: int) -> HttpResponse:
    item = selectors.inventory_item_for_viewer(viewer=request.viewer, pk=pk)
    if request.method != "POST":
        return redirect("exposure:inventory", slug=item.organisation.slug)
    slug, label = item.organisation.slug, str(item)
    inventory_item_delete(actor=request.user, item=item)
    messages.success(request, f"Removed {label}.")
    return redirect("exposure:inventory", slug=slug)


@member_view()
def item_cpe(request: MemberRequest, pk: int) -> HttpResponse:
    """Accept one of the CPE names suggested for a free-text row."""
    item = selectors.inventory_item_for_viewer(viewer=request.viewer, pk=pk)
    if request.method != "POST":
        return redirect("exposure:inventory", slug=item.organisation.slug)
    try:
        saved = inventory_item_accept_cpe(
            actor=request.user,
            item=item,
            part=request.POST.get("part", ""),
            vendor=request.POST.get("vendor", ""),
            product=request.POST.get("product", ""),
        )
    except PermissionDenied:
        raise
    except OpenWarpError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{saved} is now {saved.cpe}. Warnings are being updated.")
    return redirect("exposure:inventory", slug=item.organisation.slug)


@member_view()
def upload(request: MemberRequest, slug: str) -> HttpResponse:
    organisation = selectors.organisation_for_inventory(viewer=request.viewer, slug=slug)
    _editable(request, organisation.pk)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            preview = inventory_upload_preview(
                actor=request.user,
                organisation=organisation,
                filename=file.name,
                content=file.read(),
            )
        except PermissionDenied:
            raise
        except OpenWarpError as error:
            form.add_service_error(error)
        else:
            return redirect("exposure:upload_preview", public_id=preview.public_id)
    return render(request, "exposure/upload.html", {"form": form, "organisation": organisation})


@member_view()
def upload_preview(request: MemberRequest, public_id: str) -> HttpResponse:
    preview = selectors.upload_for_viewer(viewer=request.viewer, public_id=public_id)
    _editable(request, preview.organisation_id)
    if request.method == "POST":
        try:
            count = inventory_upload_confirm(
                actor=request.user, upload=preview, replace=request.POST.get("mode") != "add"
            )
        except PermissionDenied:
            raise
        except OpenWarpError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"Imported {count} rows. Warnings are being updated.")
            return redirect("exposure:inventory", slug=preview.organisation.slug)
    return render(request, "exposure/upload_preview.html", {"upload": preview})


@member_view()
def warnings(request: MemberRequest, slug: str) -> HttpResponse:
    organisation = selectors.organisation_for_inventory(viewer=request.viewer, slug=slug)
    status = request.GET.get("status", "unresolved")
    rows = selectors.warnings_for_viewer(
        viewer=request.viewer, organisation=organisation, status=status if status != "all" else ""
    )
    return render(
        request,
        "exposure/warnings.html",
        {
            "organisation": organisation,
            "warnings": rows[:500],
            "status": status,
            "now": timezone.now(),
            "statuses": [("unresolved", "Unresolved"), *Status.choices, ("all", "All")],
            "alerts": selectors.kev_alerts_for_viewer(
                viewer=request.viewer, organisation=organisation
            )[:50],
        },
    )


@member_view()
def warning_detail(request: MemberRequest, public_id: str) -> HttpResponse:
    warning = selectors.warning_for_viewer(viewer=request.viewer, public_id=public_id)
    form = StatusForm(
        request.POST or None, initial={"status": warning.status, "reason": warning.status_reason}
    )
    if request.method == "POST" and form.is_valid():
        try:
            warning_set_status(
                actor=request.user,
                warning=warning,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
        except PermissionDenied:
            raise
        except OpenWarpError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                f"Status of {warning.cve_id} set to {warning.get_status_display().lower()}.",
            )
            return redirect("exposure:warning", public_id=warning.public_id)
    advisories = selectors.advisories_for_warning(viewer=request.viewer, warning=warning)
    return render(
        request,
        "exposure/warning.html",
        {
            "warning": warning,
            "form": form,
            "can_edit": may_set_warning_status(request.viewer, warning.organisation_id),
            "advisories": [(a, render_markdown(a.body)) for a in advisories],
            "events": warning.events.select_related("actor"),
        },
    )


@member_view()
def region(request: MemberRequest) -> HttpResponse:
    view = regional_exposure(viewer=request.viewer)
    return render(request, "exposure/region.html", {"view": view})


@member_view()
def advisories(request: MemberRequest) -> HttpResponse:
    rows = selectors.advisories_for_viewer(viewer=request.viewer)[:200]
    can_write = may_write_advisory(request.viewer)
    form = AdvisoryForm(request.POST or None) if can_write else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("only the hub's coordinators write advisories")
        if form.is_valid():
            try:
                advisory_create(actor=request.user, **form.cleaned_data)
            except OpenWarpError as error:
                form.add_service_error(error)
            else:
                messages.success(request, "Advisory published.")
                return redirect("exposure:advisories")
    rows = selectors.advisories_for_viewer(viewer=request.viewer)[:200]
    return render(
        request,
        "exposure/advisories.html",
        {"form": form, "advisories": [(a, render_markdown(a.body)) for a in rows]},
    )
