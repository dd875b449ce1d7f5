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
            css = WIDGET_CLASSES.get(type(field.widget), "govuk-input")
            field.widget.attrs.setdefault("class", css)
            described = []
            if field.help_text:
                described.append(f"id_{name}-hint")
            if self.is_bound and name in self.errors:
                described.append(f"id_{name}-error")
                field.widget.attrs["class"] += f" {css}--error"
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)

    @property
    def first_field_id(self) -> str:
        first = next(iter(self.fields), "")
        return f"id_{first}"

    def add_service_error(self, error: OpenWarpError) -> None:
        """Show a service's error against the field it names, else at the top."""
        field = error.field if error.field in self.fields else None
        self.add_error(field, error.message)
        if field is not None:
            css = self.fields[field].widget.attrs.get("class", "")
            self.fields[field].widget.attrs["aria-describedby"] = f"id_{field}-error"
            if "--error" not in css:
                self.fields[field].widget.attrs["class"] = f"{css} {css.split()[0]}--error"
