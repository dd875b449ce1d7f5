"""Feeds: bulk import, idempotent re-import, early warnings, and who sees what."""

from __future__ import annotations

import gzip
from itertools import islice
from pathlib import Path

import pytest
from django.core import mail

from openwarp.core.errors import InvalidInput
from openwarp.hub.feeds.models import Feed, FeedAlert, FeedIndicator
from openwarp.hub.feeds.services import feed_create, feed_early_warning, feed_import
from openwarp.hub.members.policy import Role
from openwarp.hub.notify.mail_choices import mail_choices_set
from openwarp.hub.notify.models import MailTopic
from tests.world import World, make_user

TRAILS = (
    "evil-c2.example\tmalware/remcos.txt\tmalware\n"
    "198.51.100.23:4444\tmalware/asyncrat.txt\tmalware\n"
    "portal.nottinghamcity.gov.uk\tsuspicious/phish.txt\tsuspicious\n"
    "/gate.php\tmalware/generic.txt\tmalware\n"
    "203.0.113.0/28\tmass_scanner_cidr.txt\tmass_scanner\n"
)


@pytest.fixture
def feed(world: World) -> Feed:
    return feed_create(actor=None, name="maltrail static", reliability="C", expiry_days=10)


def _write(tmp_path: Path, text: str, name: str = "trails.tsv") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_import_stores_values_counts_what_it_left_out_and_warns_the_holder(
    world: World, feed: Feed, tmp_path: Path, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        summary = feed_import(actor=None, feed=feed, path=_write(tmp_path, TRAILS))
    assert summary["values"] == 4 and summary["new"] == 4 and summary["rejected"] == 1
    assert any("trails.tsv:4" in example for example in summary["examples"])  # type: ignore[attr-defined]
    stored = set(FeedIndicator.objects.values_list("kind", "value"))
    assert ("ip-port", "198.51.100.23:4444") in stored and ("cidr", "203.0.113.0/28") in stored
    # Nottingham holds 198.51.100.0/24 and nottinghamcity.gov.uk; Derby holds nothing listed.
    reasons = sorted(FeedAlert.objects.values_list("organisation__slug", "reason"))
    assert reasons == [
        ("nottingham-city-council", "198.51.100.23:4444 is in your range 198.51.100.0/24"),
        (
            "nottingham-city-council",
            "portal.nottinghamcity.gov.uk is under your domain nottinghamcity.gov.uk",
        ),
    ]
    assert summary["alerts"] == 2
    assert [m.to for m in mail.outbox] == [["lead@nottingham.example"]]


def test_importing_the_same_file_again_adds_nothing_and_warns_nobody_twice(
    world: World, feed: Feed, tmp_path: Path
) -> None:
    path = _write(tmp_path, TRAILS)
    feed_import(actor=None, feed=feed, path=path)
    first = FeedIndicator.objects.get(value="evil-c2.example")
    again = feed_import(actor=None, feed=feed, path=path)
    assert again["new"] == 0 and again["alerts"] == 0
    assert FeedIndicator.objects.count() == 4 and FeedAlert.objects.count() == 2
    later = FeedIndicator.objects.get(value="evil-c2.example")
    assert later.first_seen == first.first_seen and later.last_seen > first.last_seen


def test_a_later_file_adds_new_values_and_refreshes_the_context_of_known_ones(
    world: World, feed: Feed, tmp_path: Path
) -> None:
    feed_import(actor=None, feed=feed, path=_write(tmp_path, TRAILS))
    changed = "evil-c2.example\tmalware/agenttesla.txt\tmalware\nnew-c2.example\tmalware/x.txt\tx\n"
    summary = feed_import(actor=None, feed=feed, path=_write(tmp_path, changed, "later.tsv"))
    assert summary["values"] == 2 and summary["new"] == 1
    assert FeedIndicator.objects.get(value="evil-c2.example").context == "malware/agenttesla.txt"
    assert FeedIndicator.objects.filter(feed=feed).count() == 5


def test_a_file_that_cannot_be_read_changes_nothing(
    world: World, feed: Feed, tmp_path: Path
) -> None:
    broken = _write(tmp_path, '{"type": "bundle", "objects": [', name="bundle.json")
    with pytest.raises(InvalidInput) as error:
        feed_import(actor=None, feed=feed, path=broken)
    assert "bundle.json" in error.value.message
    feed.refresh_from_db()
    assert FeedIndicator.objects.count() == 0 and feed.last_imported_at is None


def test_members_see_only_their_own_feed_warnings(world: World, feed: Feed, tmp_path: Path) -> None:
    feed_import(actor=None, feed=feed, path=_write(tmp_path, TRAILS))
    derby = world.client(Role.SECURITY_LEAD).get("/feeds/warnings/").content.decode()
    assert "nottinghamcity" not in derby and "No open warnings" in derby
    assert world.api(Role.MEMBER).get("/api/v1/feed-alerts").json() == []
    assert len(world.api(Role.COORDINATOR).get("/api/v1/feed-alerts").json()) == 2
    nottingham = world.client(None)
    assert world.other_lead is not None
    nottingham.force_login(world.other_lead)
    assert "198.51.100.23:4444" in nottingham.get("/feeds/warnings/").content.decode()
    assert "feed warning" in nottingham.get("/").content.decode()


def test_correlation_finds_the_feeds_that_list_a_value(
    world: World, feed: Feed, tmp_path: Path
) -> None:
    feed_import(actor=None, feed=feed, path=_write(tmp_path, TRAILS))
    listings = world.api(Role.MEMBER).get(
        "/api/v1/feeds/listings", {"kind": "domain", "value": "evil-c2.example"}
    )
    assert [(row["feed"], row["context"]) for row in listings.json()] == [
        ("maltrail static", "malware/remcos.txt")
    ]
    page = world.client(Role.MEMBER).get("/indicators/domain/evil-c2.example/").content.decode()
    assert "Feeds that list it" in page and "malware/remcos.txt" in page


def test_a_real_slice_of_maltrail_imports_and_warns(
    world: World, feed: Feed, tmp_path: Path, shared_data: Path
) -> None:
    source = shared_data / "iocs" / "maltrail-static.tsv.gz"
    with gzip.open(source, "rt", encoding="utf-8") as handle:
        lines = list(islice(handle, 20000))
    # One member's range and one domain appear in the slice: the warning must find them.
    ip = next(
        line.split("\t")[0]
        for line in lines
        if line.split("\t")[0].count(".") == 3 and line.split("\t")[0].replace(".", "").isdigit()
    )
    world.other.network_ranges.all().delete()
    from openwarp.hub.members.services.organisations import network_range_add

    network_range_add(actor=None, organisation=world.other, cidr=f"{ip}/32")
    summary = feed_import(actor=None, feed=feed, path=_write(tmp_path, "".join(lines)))
    assert summary["values"] + summary["rejected"] >= 19000  # type: ignore[operator]
    assert FeedAlert.objects.filter(organisation=world.other, reason__contains=ip).exists()
    assert feed_early_warning(feed=feed) == []


def test_known_benign_values_are_flagged_kept_and_warn_nobody(
    world: World,
    feed: Feed,
    tmp_path: Path,
    settings,
    shared_data: Path,  # type: ignore[no-untyped-def]
) -> None:
    # 198.51.100.0/24 (Nottingham's range in the test region) is a documentation
    # block that MISP's RFC 5735 list marks benign; its domain is not on any list.
    settings.WARNINGLISTS_FILE = str(shared_data / "warninglists" / "warninglists.jsonl.gz")
    summary = feed_import(actor=None, feed=feed, path=_write(tmp_path, TRAILS))
    flags = dict(FeedIndicator.objects.values_list("value", "warninglist"))
    assert flags["198.51.100.23:4444"] == "List of RFC 5735 CIDR blocks"
    assert flags["evil-c2.example"] == "" and len(flags) == 4  # flagged, not dropped
    assert list(FeedAlert.objects.values_list("reason", flat=True)) == [
        "portal.nottinghamcity.gov.uk is under your domain nottinghamcity.gov.uk"
    ]
    assert summary["alerts"] == 1
    listing = world.api(Role.MEMBER).get(
        "/api/v1/feeds/listings", {"kind": "ip-port", "value": "198.51.100.23:4444"}
    )
    assert [(r["warninglisted"], r["warninglist"]) for r in listing.json()] == [
        (True, "List of RFC 5735 CIDR blocks")
    ]
    page = world.client(Role.MEMBER).get("/indicators/ip-port/198.51.100.23:4444/")
    assert "Known benign: List of RFC 5735 CIDR blocks" in page.content.decode()


def test_feed_warnings_are_mailed_by_each_persons_choice(
    world: World, feed: Feed, tmp_path: Path, django_capture_on_commit_callbacks
) -> None:
    colleague = make_user("analyst@nottingham.example", Role.MEMBER, world.other)
    mail_choices_set(actor=world.other_lead, choices={MailTopic.EARLY_WARNING: False})
    mail_choices_set(actor=colleague, choices={MailTopic.EARLY_WARNING: True})
    with django_capture_on_commit_callbacks(execute=True):
        feed_import(actor=None, feed=feed, path=_write(tmp_path, TRAILS))
    assert [m.to for m in mail.outbox] == [["analyst@nottingham.example"]]
