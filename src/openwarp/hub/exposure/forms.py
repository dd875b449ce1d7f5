"""Forms for inventory rows, uploads, warning statuses, advisories and feed files."""

from __future__ import annotations

from django import forms

from openwarp.hub.exposure.models import Criticality, Feed, Status
from openwarp.hub.exposure.services.inventory import MAX_UPLOAD_BYTES, RowInput
from openwarp.hub.web.forms import GovukForm

FACING_CHOICES = [("", "Not known"), ("yes", "Yes"), ("no", "No")]


class RowForm(GovukForm):
    vendor = forms.CharField(max_length=200, required=False)
    product = forms.CharField(max_length=200, required=False)
    version = forms.CharField(max_length=100, required=False)
    cpe = forms.CharField(
        label="CPE 2.3 name",
        max_length=500,
        required=False,
        help_text="Instead of vendor and product, e.g. "
        "cpe:2.3:a:apache:http_server:2.4.58:*:*:*:*:*:*:*",
    )
    purl = forms.CharField(label="Package URL", max_length=500, required=False)
    count = forms.IntegerField(label="How many", min_value=0, required=False)
    owner = forms.CharField(label="Owner", max_length=200, required=False)
    criticality = forms.ChoiceField(
        label="Business criticality",
        required=False,
        choices=[("", "Not known"), *Criticality.choices],
    )
    internet_facing = forms.ChoiceField(
        label="Internet-facing", required=False, choices=FACING_CHOICES
    )

    def row_input(self) -> RowInput:
        data = self.cleaned_data
        facing = {"yes": True, "no": False}.get(data["internet_facing"])
        return RowInput(
            vendor=data["vendor"],
            product=data["product"],
            version=data["version"],
            cpe=data["cpe"],
            purl=data["purl"],
            count=data["count"],
            owner=data["owner"],
            criticality=data["criticality"],
            internet_facing=facing,
        )


class UploadForm(GovukForm):
    file = forms.FileField(
        label="Inventory file",
        help_text="CSV or Excel (.xlsx) with a header row: vendor, product, "
        "version, cpe, purl, count, owner, criticality, internet_facing.",
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["class"] = "govuk-file-upload"

    def clean_file(self) -> object:
        """Refuse a large file by its size, before anything reads it into memory."""
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"{upload.name}: larger than {MAX_UPLOAD_BYTES // 1024 // 1024} MB"
            )
        return upload


class StatusForm(GovukForm):
    status = forms.ChoiceField(choices=Status.choices)
    reason = forms.CharField(
        label="Reason or note",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when the warning does not apply.",
    )


class AdvisoryForm(GovukForm):
    title = forms.CharField(max_length=200)
    cve_id = forms.CharField(
        label="CVE id",
        max_length=30,
        required=False,
        help_text="Attach to one CVE, or leave blank and give a product.",
    )
    vendor = forms.CharField(max_length=200, required=False)
    product = forms.CharField(max_length=200, required=False)
    body = forms.CharField(
        label="Advice", widget=forms.Textarea(attrs={"rows": 8}), help_text="Markdown."
    )


class FeedUploadForm(GovukForm):
    cve5 = forms.FileField(
        label="CVE JSON 5 records (.json, or JSON lines .jsonl / .jsonl.gz)", required=False
    )
    nvd = forms.FileField(label="NVD CVE API 2.0 response (JSON, .json.gz)", required=False)
    csaf = forms.FileField(label="CSAF 2.0 advisory (JSON)", required=False)
    kev = forms.FileField(label="CISA KEV catalogue (JSON)", required=False)
    epss = forms.FileField(label="FIRST EPSS scores (CSV)", required=False)

    NAMES = ("cve5", "nvd", "csaf", "kev", "epss")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for name in self.NAMES:
            self.fields[name].widget.attrs["class"] = "govuk-file-upload"

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not any(data.get(name) for name in self.NAMES):
            raise forms.ValidationError("Choose at least one file.")
        return data


class FeedSourceForm(GovukForm):
    feed = forms.ChoiceField(choices=Feed.choices)
    url = forms.URLField(
        label="Fetch from",
        max_length=500,
        help_text="The official location, or a mirror inside your network.",
    )
    interval_hours = forms.IntegerField(label="Every (hours)", min_value=1, initial=24)
    enabled = forms.BooleanField(label="Fetch on this schedule", required=False, initial=True)
