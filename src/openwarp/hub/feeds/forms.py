from __future__ import annotations

from django import forms

from openwarp.core.feeds.grading import Reliability
from openwarp.core.tlp import TLP
from openwarp.hub.web.forms import GovukForm

MAX_UPLOAD_BYTES = 256 * 1024 * 1024


class FeedForm(GovukForm):
    name = forms.CharField(max_length=200)
    description = forms.CharField(max_length=500, required=False)
    source_url = forms.URLField(
        label="Where the feed is published", required=False, assume_scheme="https"
    )
    reliability = forms.ChoiceField(
        label="Source reliability (Admiralty scale)",
        choices=[(r.value, r.label) for r in Reliability],
        initial=Reliability.F,
    )
    tlp = forms.ChoiceField(
        label="TLP marking", choices=[(t.value, t.label) for t in (TLP.CLEAR, TLP.GREEN)]
    )
    expiry_days = forms.IntegerField(
        label="Days a value stays live after the feed stops listing it",
        min_value=1,
        initial=30,
    )


class FeedImportForm(GovukForm):
    file = forms.FileField(
        label="Feed file",
        help_text="maltrail TSV, a plain list, CSV, a MISP event or a STIX bundle; gzip is fine.",
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("the file is larger than 256 MB: import it with the CLI")
        return upload
