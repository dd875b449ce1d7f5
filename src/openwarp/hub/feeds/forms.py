from __future__ import annotations

from django import forms

from openwarp.core.feeds.fetch import SourceFormat
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


class FeedSourceForm(GovukForm):
    source_format = forms.ChoiceField(
        label="What is published there", choices=[(f.value, f.label) for f in SourceFormat]
    )
    source_url = forms.URLField(
        label="Where the feed is published",
        required=False,
        assume_scheme="https",
        help_text="For a MISP feed, the folder holding manifest.json; for TAXII, the collection.",
    )
    interval_hours = forms.IntegerField(
        label="Fetch every (hours)",
        min_value=0,
        max_value=24 * 31,
        initial=24,
        help_text="0 fetches only when you press Fetch now.",
    )
    auth_token = forms.CharField(
        label="TAXII API token",
        required=False,
        max_length=500,
        widget=forms.PasswordInput(render_value=False),
        help_text="Sent as a bearer token. Leave blank to keep the one stored.",
    )
