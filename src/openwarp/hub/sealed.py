"""A model field whose text is sealed in the database (see `core/sealing.py`).

Code reads and writes plain text; only the stored column holds the sealed
form. Values stored before a field was sealed read back as they were, and
each app's migration seals them in place.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from openwarp.core.sealing import seal, unseal


class SealedTextField(models.TextField):
    description = "Text sealed at rest with the hub's seal key"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        return None if value is None else unseal(value, key=settings.SEAL_KEY)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return value if value is None else seal(str(value), key=settings.SEAL_KEY)


def seal_stored(app_label: str, model_name: str, field_name: str) -> Any:
    """A migration step sealing the values a field held in plain text."""

    def forwards(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        for row in model.objects.exclude(**{field_name: ""}).iterator():
            row.save(update_fields=[field_name])  # read as plain text, saved sealed

    return forwards
