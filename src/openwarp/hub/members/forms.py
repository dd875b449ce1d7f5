"""Forms for signing in, organisations, people and tokens."""

from __future__ import annotations

from typing import Any

from django import forms

from openwarp.hub.members.models import ApiToken, Organisation, OrganisationType, SharingGroup
from openwarp.hub.members.policy import Role
from openwarp.hub.web.forms import GovukForm


class SignInForm(GovukForm):
    email = forms.EmailField(
        label="E-mail address", widget=forms.EmailInput(attrs={"autocomplete": "username"})
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class PasswordForgotForm(GovukForm):
    email = forms.EmailField(
        label="E-mail address", widget=forms.EmailInput(attrs={"autocomplete": "username"})
    )


class NewPasswordForm(GovukForm):
    password = forms.CharField(
        label="New password",
        strip=False,
        help_text="At least 12 characters; a few unrelated words work well.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class CodeForm(GovukForm):
    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=8,
        help_text="The 6-digit code your app shows now.",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "class": "govuk-input govuk-input--width-10",
            }
        ),
    )


class OrganisationForm(GovukForm):
    name = forms.CharField(max_length=200)
    org_type = forms.ChoiceField(label="Type", choices=OrganisationType.choices)
    parent = forms.ModelChoiceField(
        label="County council (districts only)",
        required=False,
        queryset=Organisation.objects.filter(org_type=OrganisationType.COUNTY),
    )
    population = forms.IntegerField(required=False, min_value=0)
    subregion = forms.CharField(
        label="Sub-region or Local Resilience Forum", required=False, max_length=100
    )


class OrganisationEditForm(OrganisationForm):
    latitude = forms.FloatField(required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(required=False, min_value=-180, max_value=180)
    is_active = forms.BooleanField(
        label="A member of the hub",
        required=False,
        help_text="Untick when the organisation leaves: its people lose access at once; "
        "what it shared stays.",
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        initial = {
            "name": organisation.name,
            "org_type": organisation.org_type,
            "parent": organisation.parent_id,
            "population": organisation.population,
            "subregion": organisation.subregion,
            "latitude": organisation.latitude,
            "longitude": organisation.longitude,
            "is_active": organisation.is_active,
        }
        super().__init__(*args, initial=initial, **kwargs)
        parent_field = self.fields["parent"]
        assert isinstance(parent_field, forms.ModelChoiceField)
        parent_field.queryset = Organisation.objects.filter(
            org_type=OrganisationType.COUNTY
        ).exclude(pk=organisation.pk)


class SharingGroupForm(GovukForm):
    name = forms.CharField(max_length=200)
    organisations = forms.ModelMultipleChoiceField(
        label="Members of the group",
        queryset=Organisation.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        help_text="Reports shared with the group reach these organisations only.",
    )

    def __init__(self, *args: Any, group: SharingGroup | None, **kwargs: Any) -> None:
        if group is not None:
            kwargs["initial"] = {
                "name": group.name,
                "organisations": list(group.organisations.values_list("pk", flat=True)),
            }
        super().__init__(*args, **kwargs)


class NetworkRangeForm(GovukForm):
    cidr = forms.CharField(
        label="Public IP range (CIDR)",
        max_length=49,
        help_text="For example 81.2.69.0/24 or 2a00:1450:4009::/48.",
    )
    description = forms.CharField(required=False, max_length=200)


class DomainForm(GovukForm):
    domain = forms.CharField(
        label="Internet domain",
        max_length=253,
        help_text="For example derby.gov.uk; subdomains are covered.",
    )


class InvitationForm(GovukForm):
    full_name = forms.CharField(label="Full name", max_length=200)
    email = forms.EmailField(label="E-mail address")
    role = forms.ChoiceField(choices=[])

    def __init__(self, *args: Any, roles: list[Role], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role_field = self.fields["role"]
        assert isinstance(role_field, forms.ChoiceField)
        role_field.choices = [(role.value, role.label) for role in roles]


class AcceptInvitationForm(GovukForm):
    password = forms.CharField(
        label="Choose a password",
        strip=False,
        help_text="At least 12 characters.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class TokenForm(GovukForm):
    name = forms.CharField(label="What the token is for", max_length=100)
    scope = forms.ChoiceField(choices=ApiToken.Scope.choices)
    expires_days = forms.IntegerField(
        label="Expires after (days)", initial=90, min_value=1, max_value=365
    )
