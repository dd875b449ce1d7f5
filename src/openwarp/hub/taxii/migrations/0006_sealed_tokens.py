"""The peer's token sealed at rest (ADR 0004); stored ones are sealed in place."""

from django.db import migrations

import openwarp.hub.sealed


class Migration(migrations.Migration):
    dependencies = [
        ("taxii", "0005_federation_run_schedule"),
    ]

    operations = [
        migrations.AlterField(
            model_name="peer",
            name="token",
            field=openwarp.hub.sealed.SealedTextField(blank=True),
        ),
        migrations.RunPython(
            openwarp.hub.sealed.seal_stored("taxii", "Peer", "token"),
            migrations.RunPython.noop,  # going back leaves them sealed
        ),
    ]
