"""Feed warnings are named by a random public id on their page and in the API,
never by their database id (which would tell a member how many the others got)."""

from __future__ import annotations

import uuid
from pathlib import Path

from openwarp.hub.feeds.models import FeedAlert
from openwarp.hub.feeds.services import feed_create, feed_import
from openwarp.hub.members.policy import Role
from tests.world import World

TRAILS = "198.51.100.23\tmalware/asyncrat.txt\tmalware\n"


def _nottingham_warned(world: World, tmp_path: Path) -> FeedAlert:
    feed = feed_create(actor=None, name="maltrail static", reliability="C")
    path = tmp_path / "trails.tsv"
    path.write_text(TRAILS)
    feed_import(actor=None, feed=feed, path=path)
    return FeedAlert.objects.get()


def test_the_page_and_api_show_the_public_id_and_acknowledge_by_it(
    world: World, tmp_path: Path
) -> None:
    alert = _nottingham_warned(world, tmp_path)
    assert world.other_lead is not None
    client = world.client(None)
    client.force_login(world.other_lead)
    page = client.get("/feeds/warnings/").content.decode()
    assert f'name="alert" value="{alert.public_id}"' in page
    assert f'value="{alert.pk}"' not in page
    api = world.api(Role.COORDINATOR).get("/api/v1/feed-alerts").json()
    assert [row["id"] for row in api] == [str(alert.public_id)]
    # The database id no longer names a warning; the public id does.
    client.post("/feeds/warnings/", {"alert": str(alert.pk)})
    alert.refresh_from_db()
    assert alert.acknowledged_at is None
    assert client.post("/feeds/warnings/", {"alert": str(alert.public_id)}).status_code == 302
    alert.refresh_from_db()
    assert alert.acknowledged_at is not None


def test_another_members_warning_cannot_be_acknowledged_by_its_id(
    world: World, tmp_path: Path
) -> None:
    alert = _nottingham_warned(world, tmp_path)
    derby = world.client(Role.SECURITY_LEAD)
    assert derby.post("/feeds/warnings/", {"alert": str(alert.public_id)}).status_code == 404
    assert derby.post("/feeds/warnings/", {"alert": str(uuid.uuid4())}).status_code == 404
    alert.refresh_from_db()
    assert alert.acknowledged_at is None
