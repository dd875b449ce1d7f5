from __future__ import annotations

from django import forms

from openwarp.hub.notify.models import MailTopic, WebhookEvent
from openwarp.hub.notify.services import SUBSCRIBABLE
from openwarp.hub.web.forms import GovukForm


class WebhookForm(GovukForm):
    url = forms.URLField(
        label="Address (https://...)",
        max_length=500,
        assume_scheme="https",
        help_text="Your system's endpoint. The hub posts JSON signed with a secret shown once.",
    )
    events = forms.MultipleChoiceField(
        choices=[(e.value, e.label) for e in WebhookEvent if e in SUBSCRIBABLE],
        widget=forms.CheckboxSelectMultiple,
    )


class MailChoicesForm(GovukForm):
    topics = forms.MultipleChoiceField(
        label="E-mails I want",
        choices=MailTopic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Alerts still show on the hub's pages and reach your webhooks whatever you "
        "choose here.",
    )
