"""Forms for incident pages. Times are typed in UK local time and stored in UTC."""

from __future__ import annotations

from typing import Any

from django import forms

from openwarp.hub.incidents.models import CATEGORY_CHOICES, Status, SubjectsTold
from openwarp.hub.web.forms import GovukForm

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


def when(label: str, *, required: bool = True, help_text: str = "") -> forms.DateTimeField:
    """A date and time in the hub's time zone (UK time, GMT or BST as the day has it).

    A time the clocks skip or repeat (the hour at each change) is refused by
    Django with a message, rather than guessed.
    """
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text or "UK time, for example 2026-03-29T09:30.",
        input_formats=[LOCAL_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_FORMAT),
    )


def text(label: str, *, rows: int = 3, required: bool = False, help_text: str = "") -> Any:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class IncidentForm(GovukForm):
    title = forms.CharField(max_length=200)
    description = text("What happened", rows=6, help_text="Markdown.")
    started_at = when("When it started")
    detected_at = when("When it was detected")
    services_affected = forms.CharField(label="Services affected", max_length=500, required=False)
    ncsc_category = forms.ChoiceField(label="NCSC category", choices=CATEGORY_CHOICES, initial="C5")
    impact = text("Impact")


class StatusForm(GovukForm):
    status = forms.ChoiceField(choices=Status.choices)


class TimelineForm(GovukForm):
    at = when("When")
    text = text("What happened then", required=True)


class TaskForm(GovukForm):
    title = forms.CharField(label="Task", max_length=200)
    owner = forms.CharField(label="Owner", max_length=200, required=False)


class LogForm(GovukForm):
    text = text("Private note", required=True, help_text="Only your organisation sees the log.")


class LinkReportForm(GovukForm):
    report = forms.CharField(
        label="Report id", max_length=64, help_text="The id at the end of a report's address."
    )


class IndicatorsForm(GovukForm):
    indicators = forms.CharField(
        label="Indicators, one a line",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="IP addresses, domains, URLs, e-mail addresses or file hashes. Values "
        "already in a related report are linked with that report's marking; the others "
        "are shared under your organisation's name as a new report with the marking below.",
    )
    tlp = forms.ChoiceField(
        label="Marking for new values",
        choices=[
            ("clear", "TLP:CLEAR"),
            ("green", "TLP:GREEN"),
            ("amber", "TLP:AMBER"),
            ("amber+strict", "TLP:AMBER+STRICT"),
        ],
        initial="amber",
    )
    distribution = forms.ChoiceField(
        label="Share new values with",
        choices=[
            ("organisation", "Only my organisation"),
            ("region", "The region"),
            ("federation", "The region and federated hubs"),
        ],
        initial="region",
    )


class BreachForm(GovukForm):
    aware_at = when(
        "When you became aware personal data was involved",
        help_text="The ICO's 72 hours run from here. UK time.",
    )
    nature = text("Nature of the breach")
    data_subject_categories = forms.CharField(
        label="Categories of people affected", max_length=500, required=False
    )
    data_subjects_approx = forms.IntegerField(
        label="Approximate number of people", min_value=0, required=False
    )
    record_categories = forms.CharField(
        label="Categories of personal data records", max_length=500, required=False
    )
    records_approx = forms.IntegerField(
        label="Approximate number of records", min_value=0, required=False
    )
    likely_consequences = text("Likely consequences")
    measures_taken = text("Measures taken or proposed")
    subjects_told = forms.ChoiceField(
        label="Have the people affected been told?",
        choices=SubjectsTold.choices,
        initial=SubjectsTold.NOT_YET,
    )
    subjects_told_at = when("When they were told", required=False)
    subjects_not_told_reason = text("Why they will not be told")
    dpo_contact = forms.CharField(
        label="Data protection officer contact", max_length=300, required=False
    )
    reported_to_ico_at = when("When you reported it to the ICO", required=False)


class PostForm(GovukForm):
    threat = forms.CharField(
        label="What is attacking you", max_length=200, help_text="For example a ransomware group."
    )
    message = text(
        "What is happening",
        rows=5,
        required=True,
        help_text="Leave out anything that names you; the coordinator checks before publishing.",
    )
