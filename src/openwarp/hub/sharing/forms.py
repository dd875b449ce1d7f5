from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from openwarp.core.sharing.uploads import MAX_UPLOAD_BYTES
from openwarp.core.tlp import TLP
from openwarp.hub.members.models import SharingGroup
from openwarp.hub.members.policy import Distribution
from openwarp.hub.sharing.models import Confidence, SightingKind, ThreatType
from openwarp.hub.web.forms import GovukForm

DISTRIBUTION_LABELS = {
    Distribution.ORGANISATION: "My organisation only",
    Distribution.SHARING_GROUP: "A sharing group",
    Distribution.REGION: "Every member of this hub",
    Distribution.FEDERATION: "Every member of every federated hub",
}


class IndicatorsForm(GovukForm):
    """Values to add to a report: pasted, attached, or both."""

    indicators = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        required=False,
        help_text="Paste domains, IPs, URLs, hashes, e-mail addresses, file names, CVE ids or "
        "ASNs, one per line or in text. Defanged forms such as hxxp://evil[.]com "
        "are understood.",
    )
    indicators_file = forms.FileField(
        label="Or attach a file of indicators",
        required=False,
        help_text="CSV with a header naming the value column (indicator, value, ioc or "
        "observable), a STIX 2.1 bundle, a MISP event (JSON) or a plain list. Up to 5 MB.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicators_file"].widget.attrs["class"] = "govuk-file-upload"

    def clean_indicators_file(self) -> object:
        """Refuse a large file by its size, before anything reads it into memory."""
        upload = self.cleaned_data["indicators_file"]
        if upload is not None and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(f"{upload.name}: larger than the 5 MB a report file may be")
        return upload


class ReportForm(IndicatorsForm):
    field_order = [
        "title",
        "summary",
        "description",
        "threat_type",
        "confidence",
        "tlp",
        "distribution",
        "sharing_group",
        "indicators",
        "indicators_file",
        "anonymous",
    ]

    title = forms.CharField(max_length=200)
    summary = forms.CharField(
        max_length=500, required=False, help_text="One or two sentences shown in the feed."
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text="What happened and what to do. Markdown.",
    )
    threat_type = forms.ChoiceField(label="Threat type", choices=ThreatType.choices)
    confidence = forms.ChoiceField(choices=Confidence.choices, initial=Confidence.PROBABLE)
    tlp = forms.ChoiceField(
        label="TLP marking",
        initial=TLP.AMBER,
        choices=[(t.value, t.label) for t in TLP if t != TLP.RED],
    )
    distribution = forms.ChoiceField(
        initial=Distribution.REGION, choices=list(DISTRIBUTION_LABELS.items())
    )
    sharing_group = forms.ModelChoiceField(
        label="Sharing group",
        queryset=SharingGroup.objects.none(),
        required=False,
        help_text="When the distribution is a sharing group: which one.",
    )
    anonymous = forms.BooleanField(
        label="Publish anonymously (the coordinator reviews it first; others see only "
        "your type of organisation and region)",
        required=False,
    )

    def __init__(self, *args: Any, groups: QuerySet[SharingGroup], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        group_field = self.fields["sharing_group"]
        assert isinstance(group_field, forms.ModelChoiceField)
        group_field.queryset = groups


class SightingForm(GovukForm):
    sighting = forms.ChoiceField(choices=SightingKind.choices)
    count = forms.IntegerField(min_value=1, initial=1)
