"""A TAXII 2.1 collection as a feed: the hub's own TAXII server, live, read back
through taxii2-client with a member's token, resuming from `added_after`."""

from __future__ import annotations

import pytest
from taxii2client.v21 import Server

from openwarp.hub.feeds.fetching import feed_fetch, feed_source_save
from openwarp.hub.feeds.models import FeedIndicator, FeedRun
from openwarp.hub.feeds.services import feed_create
from openwarp.hub.members.policy import Role
from openwarp.hub.sharing.services.reports import ReportDraft, report_create
from openwarp.hub.taxii.federation import BearerToken
from tests.world import World


def _region_collection_url(base: str, token: str) -> str:
    server = Server(f"{base}/taxii2/", auth=BearerToken(token))
    assert server.default is not None
    region = next(c for c in server.default.collections if c.alias == "region")
    return str(region.url)


@pytest.mark.slow
def test_a_taxii_collection_is_fetched_with_a_token_and_resumes_after_the_last_page(
    live_server,  # type: ignore[no-untyped-def]
    world: World,
) -> None:
    token = world.tokens[Role.MEMBER]
    url = _region_collection_url(live_server.url, token)
    feed = feed_create(actor=None, name="Neighbouring WARP", reliability="B", tlp="green")
    feed_source_save(
        actor=None,
        feed=feed,
        source_url=url,
        source_format="taxii",
        interval_hours=0,
        auth_token=token,
    )
    first = feed_fetch(feed_id=feed.pk)
    assert first is not None and first.state == FeedRun.State.OK, first.message
    # The region's GREEN report (world.green_report) arrives; the held anonymous one does not.
    values = set(FeedIndicator.objects.filter(feed=feed).values_list("value", flat=True))
    assert "203.0.113.77" in values and "negotiate@leak-site.example" not in values
    feed.refresh_from_db()
    assert feed.cursor["added_after"]

    report_create(
        actor=world.other_lead,
        draft=ReportDraft(
            title="New loader C2",
            threat_type="malware",
            tlp="green",
            distribution="region",
            indicators_text="loader-c2.example",
        ),
    )
    second = feed_fetch(feed_id=feed.pk)
    assert second is not None and second.state == FeedRun.State.OK, second.message
    assert second.counts["values"] == 1  # only what was added after the first run
    assert FeedIndicator.objects.filter(feed=feed, value="loader-c2.example").exists()


@pytest.mark.slow
def test_a_wrong_token_fails_the_run_and_says_so(
    live_server,  # type: ignore[no-untyped-def]
    world: World,
) -> None:
    url = _region_collection_url(live_server.url, world.tokens[Role.MEMBER])
    feed = feed_create(actor=None, name="Neighbouring WARP", tlp="green")
    feed_source_save(
        actor=None,
        feed=feed,
        source_url=url,
        source_format="taxii",
        interval_hours=0,
        auth_token="owp_not-a-token",
    )
    run = feed_fetch(feed_id=feed.pk)
    assert run is not None and run.state == FeedRun.State.FAILED
    assert "HTTP 401 (check the token)" in run.message
    assert FeedIndicator.objects.count() == 0
