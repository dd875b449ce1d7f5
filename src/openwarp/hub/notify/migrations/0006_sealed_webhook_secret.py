"""Webhook secrets sealed at rest (ADR 0004); stored ones are sealed in place."""

from django.db import migrations

import openwarp.hub.sealed


class Migration(migrations.Migration):
    dependencies = [
        ("notify", "0005_mail_topics"),
    ]

    operations = [
        migrations.AlterField(
            model_name="webhook",
            name="secret",
            field=openwarp.hub.sealed.SealedTextField(),
        ),
        migrations.RunPython(
            openwarp.hub.sealed.seal_stored("notify", "Webhook", "secret"),
            migrations.RunPython.noop,  # going back leaves them sealed
        ),
    ]
