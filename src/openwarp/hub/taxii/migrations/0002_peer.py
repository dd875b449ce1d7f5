"""Peers: received reports are tied to the hub that sent them.

Reports received before this migration only name their source (the pushing
account's name, or the pulled hub's discovery title). Each distinct source
becomes a peer; where the name is exactly one account's full name or e-mail
(how a push was named), that account is the peer's, so its next push is
recognised. A pulled source gets its address the next time it is pulled
through `openwarp federation peer --name ... --url ...`.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def _peers_from_sources(apps, schema_editor):  # type: ignore[no-untyped-def]
    Peer = apps.get_model("taxii", "Peer")
    ReceivedReport = apps.get_model("taxii", "ReceivedReport")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    sources = ReceivedReport.objects.filter(peer=None).values_list("source", flat=True).distinct()
    for source in sorted(set(sources)):
        name = source[:200] or "unknown hub"
        accounts = list(
            User.objects.filter(models.Q(full_name=source) | models.Q(email=source))[:2]
        )
        taken = Peer.objects.filter(account__in=accounts).exists()
        account = accounts[0] if len(accounts) == 1 and not taken else None
        peer, _ = Peer.objects.get_or_create(name=name, defaults={"account": account})
        ReceivedReport.objects.filter(peer=None, source=source).update(peer=peer)


class Migration(migrations.Migration):
    dependencies = [
        ("taxii", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Peer",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=200, unique=True)),
                (
                    "url",
                    models.CharField(
                        blank=True,
                        help_text="Its TAXII discovery URL.",
                        max_length=500,
                        null=True,
                        unique=True,
                    ),
                ),
                ("pulled_until", models.DateTimeField(blank=True, null=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "account",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="federation_peer",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="receivedreport",
            name="peer",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="reports",
                to="taxii.peer",
            ),
        ),
        migrations.AlterField(
            model_name="receivedreport",
            name="source",
            field=models.CharField(help_text="The peer's name when it arrived.", max_length=300),
        ),
        migrations.RunPython(_peers_from_sources, migrations.RunPython.noop),
    ]
