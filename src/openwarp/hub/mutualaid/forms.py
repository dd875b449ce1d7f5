"""Forms for the roster, requests, offers, time sheets and the conflict list.

Forms only parse; every rule lives in the services, whose errors come back onto
the field they name (`needs[1].skill` lands on the second need's skill).
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from openwarp.core.errors import OpenWarpError
from openwarp.hub.members.models import Organisation
from openwarp.hub.mutualaid.models import (
    LEVEL_LABELS,
    SKILL_CHOICES,
    CostBasis,
    Mode,
    Vetting,
)
from openwarp.hub.mutualaid.services.requests import NeedDraft, RequestDraft
from openwarp.hub.mutualaid.services.roster import PersonDraft
from openwarp.hub.web.forms import GovukForm

NEED_ROWS = 3
LEVELS = [(str(k), v) for k, v in LEVEL_LABELS.items()]
_WINDOW = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s+to\s+(\d{4}-\d{2}-\d{2})\s*$")


def _day_start(text: str) -> datetime:
    return timezone.make_aware(datetime.combine(datetime.fromisoformat(text).date(), time.min))


class PersonForm(GovukForm):
    title = forms.CharField(max_length=200, label="Name or role title")
    vetting = forms.ChoiceField(choices=Vetting.choices, label="Vetting status")
    languages = forms.CharField(max_length=200, initial="English", required=False)
    max_days = forms.IntegerField(label="Maximum days away", min_value=1, initial=5)
    latitude = forms.FloatField(required=False, help_text="Leave empty to use your organisation's.")
    longitude = forms.FloatField(required=False)
    is_active = forms.BooleanField(
        label="Can be lent (untick to keep the entry but stop proposing them)",
        required=False,
        initial=True,
    )
    windows = forms.CharField(
        label="Availability windows",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="One per line, from the start of the first day to the end of the last: "
        "2026-12-01 to 2026-12-31",
    )

    def clean_windows(self) -> list[tuple[datetime, datetime]]:
        out = []
        for number, line in enumerate(self.cleaned_data["windows"].splitlines(), start=1):
            if not line.strip():
                continue
            match = _WINDOW.match(line)
            try:
                if match is None:
                    raise ValueError
                start = _day_start(match[1])
                end = _day_start(match[2]) + timedelta(days=1)
            except ValueError:
                raise forms.ValidationError(
                    f"line {number}: write a window as 2026-12-01 to 2026-12-31"
                ) from None
            out.append((start, end))
        return out

    def draft(self) -> PersonDraft:
        data = self.cleaned_data
        return PersonDraft(
            title=data["title"],
            skills={
                skill: int(data[f"skill_{skill}"])
                for skill, _ in SKILL_CHOICES
                if data.get(f"skill_{skill}")
            },
            vetting=data["vetting"],
            languages=data["languages"],
            max_days=data["max_days"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            windows=data["windows"],
            is_active=data["is_active"],
        )


PersonForm.base_fields.update(
    {
        f"skill_{skill}": forms.ChoiceField(
            label=f"{label} level", choices=[("", "None"), *LEVELS], required=False
        )
        for skill, label in SKILL_CHOICES
    }
)


class PackageForm(GovukForm):
    name = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    day_rate = forms.DecimalField(label="Day rate (£)", min_value=0, decimal_places=2)
    people = forms.MultipleChoiceField(choices=[], help_text="The roster people in the team.")

    def __init__(self, *args: Any, people: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people_field = self.fields["people"]
        assert isinstance(people_field, forms.ChoiceField)
        people_field.choices = [(str(p.pk), p.title) for p in people]
        self.fields["people"].widget.attrs["class"] = "govuk-select"


class CapacityForm(GovukForm):
    description = forms.CharField(
        max_length=300, help_text="Equipment or a service, e.g. 20 clean-build laptops."
    )
    quantity = forms.IntegerField(min_value=1, initial=1)


class RequestForm(GovukForm):
    title = forms.CharField(max_length=200, label="What you need help with")
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    incident_summary = forms.CharField(
        label="The incident", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    mode = forms.ChoiceField(choices=Mode.choices, label="On site or remote")
    language = forms.CharField(
        max_length=60,
        required=False,
        label="A language everyone sent must speak (optional)",
        help_text="For example Welsh. Remote help is not charged travel.",
    )
    starts_at = forms.DateTimeField(
        label="Start (UK time)",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    days = forms.IntegerField(min_value=1, initial=5)
    priority = forms.ChoiceField(
        choices=[(str(n), f"{n}{' (critical)' if n == 5 else ''}") for n in range(1, 6)],
        initial="4",
    )
    latitude = forms.FloatField(required=False, help_text="Leave empty to use your organisation's.")
    longitude = forms.FloatField(required=False)

    def draft(self) -> RequestDraft:
        data = self.cleaned_data
        needs = [
            NeedDraft(
                skill=data[f"need_{row}_skill"],
                min_level=int(data[f"need_{row}_level"]),
                people=data[f"need_{row}_people"] or 1,
                vetting_required=data[f"need_{row}_vetted"],
            )
            for row in range(1, NEED_ROWS + 1)
            if data.get(f"need_{row}_skill")
        ]
        return RequestDraft(
            title=data["title"],
            starts_at=data["starts_at"],
            days=data["days"],
            priority=int(data["priority"]),
            needs=needs,
            mode=data["mode"],
            language=data["language"],
            summary=data["summary"],
            incident_summary=data["incident_summary"],
            latitude=data["latitude"],
            longitude=data["longitude"],
        )

    def add_service_error(self, error: OpenWarpError) -> None:
        match = re.match(r"needs\[(\d+)\]\.(\w+)", error.field or "")
        if match:
            part = {"min_level": "level"}.get(match[2], match[2])
            error.field = f"need_{int(match[1]) + 1}_{part}"
        super().add_service_error(error)


def _need_fields(row: int) -> dict[str, forms.Field]:
    first = row == 1
    return {
        f"need_{row}_skill": forms.ChoiceField(
            label=f"Need {row}: skill",
            choices=SKILL_CHOICES if first else [("", "None"), *SKILL_CHOICES],
            required=first,
        ),
        f"need_{row}_level": forms.ChoiceField(
            label=f"Need {row}: minimum level", choices=LEVELS, initial="2"
        ),
        f"need_{row}_people": forms.IntegerField(
            label=f"Need {row}: people", min_value=1, initial=1, required=first
        ),
        f"need_{row}_vetted": forms.BooleanField(
            label=f"Need {row}: vetted people only (SC or DV)", required=False
        ),
    }


for _row in range(1, NEED_ROWS + 1):
    RequestForm.base_fields.update(_need_fields(_row))


class AcceptForm(GovukForm):
    terms = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        initial="Lent under the region's mutual-aid memorandum: the requester directs the work, "
        "the lender remains the employer, and costs are reimbursed at the agreed rate.",
    )
    cost_basis = forms.ChoiceField(choices=CostBasis.choices, label="Cost basis")
    day_rate = forms.DecimalField(
        label="Day rate (£)",
        min_value=0,
        decimal_places=2,
        required=False,
        help_text="For a day rate; 0 if lent free of charge.",
    )
    package = forms.ChoiceField(choices=[], required=False, label="Package")
    confidentiality = forms.BooleanField(
        label="The responder gives the confidentiality undertaking for this deployment",
        required=False,
    )

    def __init__(self, *args: Any, packages: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        package_field = self.fields["package"]
        assert isinstance(package_field, forms.ChoiceField)
        package_field.choices = [("", "None"), *((str(p.pk), p.name) for p in packages)]


class DeclineForm(GovukForm):
    reason = forms.CharField(max_length=300, required=False, label="Reason (optional)")


class TimeEntryForm(GovukForm):
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    hours = forms.DecimalField(min_value=0, max_digits=4, decimal_places=2)
    expenses = forms.DecimalField(
        label="Expenses (£)", min_value=0, decimal_places=2, required=False, initial=0
    )
    note = forms.CharField(max_length=300, required=False)


class CloseForm(GovukForm):
    helped = forms.CharField(
        label="What helped", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    not_helped = forms.CharField(
        label="What did not help", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ConflictForm(GovukForm):
    org_a = forms.ModelChoiceField(queryset=Organisation.objects.all(), label="Organisation")
    org_b = forms.ModelChoiceField(queryset=Organisation.objects.all(), label="In conflict with")
    reason = forms.CharField(max_length=300, required=False, help_text="E.g. the shared supplier.")
