"""The TAXII collection index: one row per published report, in page order.

Filled here for the reports already stored, with the same rule the hub uses
afterwards (`hub/taxii/added.joined_at`): a local report joined at its
publication (an anonymous one at the next full hour), a received one when
its current version arrived.
"""

import django.db.models.deletion
from django.db import migrations, models

from openwarp.hub.taxii.added import joined_at

_CHUNK = 2000


def _fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    Report = apps.get_model("sharing", "Report")
    ReceivedReport = apps.get_model("taxii", "ReceivedReport")
    CollectionEntry = apps.get_model("taxii", "CollectionEntry")
    arrived = dict(ReceivedReport.objects.values_list("report_id", "updated_at"))
    rows = []
    reports = Report.objects.filter(state="published", published_at__isnull=False)
    for report in reports.iterator(chunk_size=_CHUNK):
        if report.from_federation and report.pk not in arrived:
            continue
        received_at = arrived.get(report.pk) if report.from_federation else None
        rows.append(
            CollectionEntry(
                report_id=report.pk,
                public_id=report.public_id,
                distribution=report.distribution,
                sharing_group_id=report.sharing_group_id,
                owner_organisation_id=report.owner_organisation_id,
                added=joined_at(
                    published_at=report.published_at,
                    anonymous=report.anonymous,
                    received_at=received_at,
                ),
            )
        )
        if len(rows) == _CHUNK:
            CollectionEntry.objects.bulk_create(rows)
            rows = []
    CollectionEntry.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("sharing", "0002_alert"),
        ("taxii", "0002_peer"),
    ]

    operations = [
        migrations.CreateModel(
            name="CollectionEntry",
            fields=[
                (
                    "report",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="taxii_entry",
                        serialize=False,
                        to="sharing.report",
                    ),
                ),
                ("public_id", models.UUIDField()),
                ("distribution", models.CharField(max_length=20)),
                ("sharing_group_id", models.IntegerField(blank=True, null=True)),
                ("owner_organisation_id", models.IntegerField()),
                ("added", models.DateTimeField()),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["distribution", "added", "public_id"], name="taxii_entry_order"
                    ),
                    models.Index(
                        fields=["distribution", "owner_organisation_id", "added"],
                        name="taxii_entry_owner",
                    ),
                ],
            },
        ),
        migrations.RunPython(_fill, migrations.RunPython.noop),
    ]
