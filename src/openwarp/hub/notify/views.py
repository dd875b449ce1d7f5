"""An organisation's webhooks page (list, add with the secret shown once, test,
remove) and each person's choice of e-mails."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from openwarp.core.errors import InvalidInput, OpenWarpError, PermissionDenied
from openwarp.hub.members.policy.notify import may_choose_mail, may_manage_webhooks
from openwarp.hub.notify import selectors, services
from openwarp.hub.notify.forms import MailChoicesForm, WebhookForm
from openwarp.hub.notify.mail_choices import mail_choices, mail_choices_set
from openwarp.hub.notify.models import MailTopic
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


@member_view()
def mail(request: MemberRequest) -> HttpResponse:
    """Which of the hub's e-mails the signed-in person receives."""
    if not may_choose_mail(request.viewer):
        raise PermissionDenied("only people of a member organisation receive its e-mails")
    current = mail_choices(user=request.user)
    initial = {"topics": [topic.value for topic, wanted in current.items() if wanted]}
    form = MailChoicesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        chosen = set(form.cleaned_data["topics"])
        mail_choices_set(actor=request.user, choices={t: t.value in chosen for t in MailTopic})
        messages.success(request, "Your e-mail choices are saved.")
        return redirect("notify:mail")
    return render(request, "notify/mail.html", {"form": form})
