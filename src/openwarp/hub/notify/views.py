"""An organisation's webhooks page: list, add (secret shown once), test, remove."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from openwarp.core.errors import InvalidInput, OpenWarpError, PermissionDenied
from openwarp.hub.members.policy.notify import may_manage_webhooks
from openwarp.hub.notify import selectors, services
from openwarp.hub.notify.forms import WebhookForm
from openwarp.hub.web.decorators import MemberRequest, member_view


@member_view()
def webhooks(request: MemberRequest, slug: str) -> HttpResponse:
    organisation = selectors.organisation_for_webhooks(viewer=request.viewer, slug=slug)
    can_manage = may_manage_webhooks(request.viewer, organisation.pk)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied("only the organisation's security leads add webhooks")
    form = WebhookForm(request.POST or None) if can_manage else None
    created = None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            created = services.webhook_create(
                actor=request.user,
                organisation=organisation,
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
            )
        except OpenWarpError as error:
            form.add_service_error(error)
        else:
            form = WebhookForm()
    hooks = selectors.webhooks_for_organisation(viewer=request.viewer, organisation=organisation)
    return render(
        request,
        "notify/webhooks.html",
        {
            "organisation": organisation,
            "rows": [(hook, selectors.recent_deliveries(webhook=hook, limit=5)) for hook in hooks],
            "form": form,
            "created": created,
        },
    )


@member_view()
def webhook_action(request: MemberRequest, public_id: UUID) -> HttpResponse:
    webhook = selectors.webhook_for_viewer(viewer=request.viewer, public_id=public_id)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "delete":
                services.webhook_delete(actor=request.user, webhook=webhook)
                messages.success(request, f"Removed {webhook.url}.")
            else:
                services.webhook_test(actor=request.user, webhook=webhook)
                messages.success(request, f"A test delivery to {webhook.url} is on its way.")
        except InvalidInput as error:
            messages.error(request, error.message)
    return redirect("notify:webhooks", slug=webhook.organisation.slug)
