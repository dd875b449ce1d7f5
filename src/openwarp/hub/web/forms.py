"""Django forms dressed in GOV.UK Frontend classes, and errors mapped onto them."""

from __future__ import annotations

from typing import Any

from django import forms

from openwarp.core.errors import OpenWarpError

WIDGET_CLASSES: dict[type[forms.Widget], str] = {
    forms.Select: "govuk-select",
    forms.Textarea: "govuk-textarea",
    forms.CheckboxInput: "govuk-checkboxes__input",
}


class GovukForm(forms.Form):
    """Adds GOV.UK classes and describes hints and errors for screen readers."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.setdefault(
                "class", WIDGET_CLASSES.get(type(field.widget), "govuk-input")
            )
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}-hint"

    def full_clean(self) -> None:
        """Validate, then mark the fields in error the GOV.UK way."""
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self._mark_error(name)

    def _mark_error(self, name: str) -> None:
        attrs = self.fields[name].widget.attrs
        css = attrs.get("class", "govuk-input")
        if "--error" not in css:
            attrs["class"] = f"{css} {css.split()[0]}--error"
        described = [f"id_{name}-error"]
        if self.fields[name].help_text:
            described.insert(0, f"id_{name}-hint")
        attrs["aria-describedby"] = " ".join(described)

    @property
    def first_field_id(self) -> str:
        first = next(iter(self.fields), "")
        return f"id_{first}"

    def add_service_error(self, error: OpenWarpError) -> None:
        """Show a service's error against the field it names, else at the top."""
        field = error.field if error.field in self.fields else None
        self.add_error(field, error.message)
        if field is not None:
            self._mark_error(field)
