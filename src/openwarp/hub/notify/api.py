"""Webhooks API (a security lead registers, lists, tests and removes them) and
each person's choice of e-mails."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from ninja import Router, Schema, Status

from openwarp.core.errors import NotFound, PermissionDenied
from openwarp.hub.members.models import Organisation
from openwarp.hub.members.policy.notify import may_choose_mail
from openwarp.hub.notify import selectors, services
from openwarp.hub.notify.mail_choices import mail_choices, mail_choices_set
from openwarp.hub.notify.models import MailTopic, Webhook
from openwarp.hub.web.decorators import MemberRequest

router = Router(tags=["webhooks"])


class WebhookIn(Schema):
    url: str
    events: list[str]


class WebhookOut(Schema):
    id: UUID
    organisation: str
    url: str
    events: list[str]
    active: bool
    created_at: datetime


class WebhookCreatedOut(WebhookOut):
    secret: str


def _out(webhook: Webhook) -> dict[str, object]:
    return {
        "id": webhook.public_id,
        "organisation": webhook.organisation.slug,
        "url": webhook.url,
        "events": webhook.events,
        "active": webhook.active,
        "created_at": webhook.created_at,
    }


def _own_organisation(request: MemberRequest, slug: str) -> Organisation:
    if not slug:
        own = request.viewer.organisation_id
        organisation = Organisation.objects.filter(pk=own).first() if own else None
        if organisation is None:
            raise NotFound("name the organisation", field="organisation")
        slug = organisation.slug
    return selectors.organisation_for_webhooks(viewer=request.viewer, slug=slug)


@router.get("/webhooks", response=list[WebhookOut])
def webhook_list(request: MemberRequest, organisation: str = "") -> list[dict[str, object]]:
    found = _own_organisation(request, organisation)
    hooks = selectors.webhooks_for_organisation(viewer=request.viewer, organisation=found)
    return [_out(hook) for hook in hooks.select_related("organisation")]


@router.post("/webhooks", response={201: WebhookCreatedOut})
def webhook_create(request: MemberRequest, payload: WebhookIn) -> Status:
    """The answer holds the signing secret; it is never shown again."""
    webhook = services.webhook_create(
        actor=request.user,
        organisation=_own_organisation(request, ""),
        url=payload.url,
        events=payload.events,
    )
    return Status(201, {**_out(webhook), "secret": webhook.secret})


@router.post("/webhooks/{webhook_id}/test", response={202: dict[str, str]})
def webhook_test(request: MemberRequest, webhook_id: UUID) -> Status:
    webhook = selectors.webhook_for_viewer(viewer=request.viewer, public_id=webhook_id)
    delivery = services.webhook_test(actor=request.user, webhook=webhook)
    return Status(202, {"delivery": str(delivery.public_id)})


@router.delete("/webhooks/{webhook_id}", response={204: None})
def webhook_delete(request: MemberRequest, webhook_id: UUID) -> Status:
    webhook = selectors.webhook_for_viewer(viewer=request.viewer, public_id=webhook_id)
    services.webhook_delete(actor=request.user, webhook=webhook)
    return Status(204, None)


class MailChoicesOut(Schema):
    early_warning: bool
    amber_report: bool
    daily_digest: bool


class MailChoicesIn(Schema):
    early_warning: bool | None = None
    amber_report: bool | None = None
    daily_digest: bool | None = None


@router.get("/mail-choices", response=MailChoicesOut)
def mail_choices_get(request: MemberRequest) -> dict[str, bool]:
    """Which e-mails the token's holder receives."""
    if not may_choose_mail(request.viewer):
        raise PermissionDenied("only people of a member organisation receive its e-mails")
    return {topic.value: wanted for topic, wanted in mail_choices(user=request.user).items()}


@router.put("/mail-choices", response=MailChoicesOut)
def mail_choices_put(request: MemberRequest, payload: MailChoicesIn) -> dict[str, bool]:
    """Change the holder's own choices; kinds left out keep theirs."""
    given = payload.dict(exclude_none=True)
    choices = {MailTopic(topic): wanted for topic, wanted in given.items()}
    chosen = mail_choices_set(actor=request.user, choices=choices)
    return {topic.value: wanted for topic, wanted in chosen.items()}
