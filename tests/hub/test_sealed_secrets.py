"""Secrets the hub sends on are sealed in the database, and the key file is
written once even when several processes start together."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from django.apps import apps
from django.db import connection

from openwarp.hub.feeds.models import Feed
from openwarp.hub.feeds.services import feed_create
from openwarp.hub.notify.models import Webhook
from openwarp.hub.sealed import seal_stored
from openwarp.hub.taxii.models import Peer
from tests.world import World


def _stored(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return str(cursor.fetchone()[0])


def test_a_webhook_secret_is_sealed_in_the_database_and_plain_to_the_hub(world: World) -> None:
    webhook = Webhook.objects.create(
        organisation=world.own, url="https://soc.example/hook", secret="signing-secret-42"
    )
    raw = _stored("notify_webhook", "secret", webhook.pk)
    assert raw.startswith("sealed:v1:") and "signing-secret-42" not in raw
    assert Webhook.objects.get(pk=webhook.pk).secret == "signing-secret-42"


def test_the_migration_step_seals_values_stored_in_plain_text(world: World) -> None:
    webhook = Webhook.objects.create(
        organisation=world.own, url="https://soc.example/h", secret="x"
    )
    with connection.cursor() as cursor:  # as a hub before sealing left it
        cursor.execute(
            "UPDATE notify_webhook SET secret = %s WHERE id = %s", ["old-plain", webhook.pk]
        )
    assert Webhook.objects.get(pk=webhook.pk).secret == "old-plain"  # still readable
    seal_stored("notify", "Webhook", "secret")(apps, None)
    assert _stored("notify_webhook", "secret", webhook.pk).startswith("sealed:v1:")
    assert Webhook.objects.get(pk=webhook.pk).secret == "old-plain"


def test_processes_starting_together_share_one_seal_key(tmp_path: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from openwarp.hub.config import seal_key; "
        "print(seal_key(Path(sys.argv[1])))"
    )
    env = {"PATH": "/usr/bin:/bin"}
    starts = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE, text=True, env=env
        )
        for _ in range(8)
    ]
    keys = {process.communicate()[0].strip() for process in starts}
    assert len(keys) == 1 and len(keys.pop()) >= 40
    assert (tmp_path / "seal_key").stat().st_mode & 0o077 == 0
    assert [path.name for path in tmp_path.iterdir()] == ["seal_key"]  # no drafts left


def test_peer_and_feed_tokens_are_sealed_in_the_database(world: World) -> None:
    peer = Peer.objects.create(name="National hub", url="https://national.example/taxii2/")
    peer.token = "owp_peer_secret"
    peer.save()
    feed = feed_create(actor=None, name="Paid feed", reliability="B", expiry_days=30)
    feed.auth_token = "feed-api-key"
    feed.save()
    for table, column, pk, plain in (
        ("taxii_peer", "token", peer.pk, "owp_peer_secret"),
        ("feeds_feed", "auth_token", feed.pk, "feed-api-key"),
    ):
        raw = _stored(table, column, pk)
        assert raw.startswith("sealed:v1:") and plain not in raw
    assert Peer.objects.get(pk=peer.pk).token == "owp_peer_secret"
    assert Feed.objects.get(pk=feed.pk).auth_token == "feed-api-key"
