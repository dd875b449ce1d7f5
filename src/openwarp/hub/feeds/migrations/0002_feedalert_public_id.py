"""Feed warnings get a random public id; existing rows are given one each."""

import uuid

from django.db import migrations, models


def give_public_ids(apps, schema_editor):  # type: ignore[no-untyped-def]
    model = apps.get_model("feeds", "FeedAlert")
    batch = []
    for row in model.objects.filter(public_id__isnull=True).only("pk").iterator():
        row.public_id = uuid.uuid4()
        batch.append(row)
        if len(batch) == 5000:
            model.objects.bulk_update(batch, ["public_id"])
            batch = []
    model.objects.bulk_update(batch, ["public_id"])


class Migration(migrations.Migration):
    dependencies = [("feeds", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="feedalert", name="public_id", field=models.UUIDField(null=True)
        ),
        migrations.RunPython(give_public_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="feedalert",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
