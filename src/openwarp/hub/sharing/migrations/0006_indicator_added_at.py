"""Indicators remember when they joined their report; values already stored
count as added when their report was published (or written, if never)."""

import django.utils.timezone
from django.db import migrations, models

BACKFILL = """
UPDATE sharing_indicator SET added_at = (
    SELECT COALESCE(r.published_at, r.created_at) FROM sharing_report r
    WHERE r.id = sharing_indicator.report_id
)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("sharing", "0005_alert_public_id"),
    ]

    operations = [
        migrations.AddField(
            model_name="indicator",
            name="added_at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
    ]
