"""The feed's auth_token sealed at rest (ADR 0004); stored ones are sealed in place."""

from django.db import migrations

import openwarp.hub.sealed


class Migration(migrations.Migration):
    dependencies = [
        ("feeds", "0005_feed_run_schedule"),
    ]

    operations = [
        migrations.AlterField(
            model_name="feed",
            name="auth_token",
            field=openwarp.hub.sealed.SealedTextField(blank=True),
        ),
        migrations.RunPython(
            openwarp.hub.sealed.seal_stored("feeds", "Feed", "auth_token"),
            migrations.RunPython.noop,  # going back leaves them sealed
        ),
    ]
