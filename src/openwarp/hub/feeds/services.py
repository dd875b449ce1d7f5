"""Subscribing to feeds, importing them in bulk, and early warnings from them.

An import is one transaction: a file that cannot be read at all (broken JSON,
missing file) changes nothing; values that cannot be used (maltrail's bare
paths, say) are counted and a few kept as examples with their line, because a
third-party feed is never perfectly clean and refusing all of it would leave
the region blind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from functools import partial
from itertools import batched
from pathlib import Path

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from openwarp.core.errors import Conflict, InvalidInput, PermissionDenied
from openwarp.core.feeds.exposure import MemberSpace, feed_touches
from openwarp.core.feeds.fetch import misp_directory_files
from openwarp.core.feeds.grading import Reliability
from openwarp.core.indicators.loaders import load_indicators
from openwarp.core.sharing.early_warning import ADDRESS_KINDS, HOST_KINDS
from openwarp.core.tlp import TLP
from openwarp.hub.audit.services import audit_record
from openwarp.hub.feeds.models import Feed, FeedAlert, FeedIndicator
from openwarp.hub.members.models import Domain, NetworkRange, User
from openwarp.hub.members.policy import Action, may
from openwarp.hub.members.policy_adapters import viewer_for
from openwarp.hub.notify.mail_choices import mail_recipients
from openwarp.hub.notify.models import MailTopic
from openwarp.hub.sharing.warninglists import warninglist_reason

BATCH = 2000


@transaction.atomic
def feed_create(
    *,
    actor: User | None,
    name: str,
    reliability: str = Reliability.F,
    tlp: str = TLP.CLEAR,
    expiry_days: int = 30,
    description: str = "",
    source_url: str = "",
) -> Feed:
    name = name.strip()
    if not name:
        raise InvalidInput("a name is required", field="name")
    if reliability not in Reliability.__members__:
        raise InvalidInput("reliability is a grade from A to F", field="reliability")
    if tlp not in (TLP.CLEAR, TLP.GREEN):
        raise InvalidInput("a feed shared with every member is TLP:CLEAR or GREEN", field="tlp")
    if expiry_days < 1:
        raise InvalidInput("values must live at least a day", field="expiry_days")
    if Feed.objects.filter(slug=slugify(name)).exists():
        raise Conflict(f"a feed called {name!r} already exists", field="name")
    feed = Feed.objects.create(
        name=name,
        slug=slugify(name),
        reliability=reliability,
        tlp=tlp,
        expiry_days=expiry_days,
        description=description.strip(),
        source_url=source_url.strip(),
    )
    audit_record(actor=actor, action="feed.create", target=feed, details={"name": name})
    return feed


@transaction.atomic
def feed_import(*, actor: User | None, feed: Feed, path: Path) -> dict[str, object]:
    """Read a feed file (or a MISP feed directory copied by hand) and bring the
    stored values up to date; returns the summary."""
    if path.is_dir():
        paths = misp_directory_files(path)
        return feed_import_files(actor=actor, feed=feed, paths=paths, label=f"{path.name}/")
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file", field="file")
    return feed_import_files(actor=actor, feed=feed, paths=[path], label=path.name)


@transaction.atomic
def feed_import_files(
    *, actor: User | None, feed: Feed, paths: list[Path], label: str
) -> dict[str, object]:
    """Import several files (a MISP directory's events, TAXII pages) as one batch.

    Values marked stricter than the feed (a TLP:AMBER event in a CLEAR feed)
    are left out and counted: every member may read a feed's values."""
    loaded = load_indicators(paths)
    now = timezone.now()
    expires = now + timedelta(days=feed.expiry_days)
    ceiling = TLP(feed.tlp).rank
    latest: dict[tuple[str, str], str] = {}
    stricter = 0
    for indicator in loaded.indicators.indicators:
        if indicator.tlp is not None and TLP(indicator.tlp).rank > ceiling:
            stricter += 1
            continue
        latest.setdefault((str(indicator.type), indicator.key), (indicator.report or "")[:200])
    flag = _benign_flagger()
    before = FeedIndicator.objects.filter(feed=feed).count()
    _upsert(
        (feed.pk, kind, value, context, now, now, expires, flag(kind, value))
        for (kind, value), context in latest.items()
    )
    stored = FeedIndicator.objects.filter(feed=feed).count()
    rejected = dict(loaded.rejected.most_common(10))
    if stricter:
        rejected[f"marked stricter than the feed's TLP:{feed.tlp.upper()}"] = stricter
    summary: dict[str, object] = {
        "file": label,
        "values": len(latest),
        "new": stored - before,
        "rejected": sum(loaded.rejected.values()) + stricter,
        "rejected_by_reason": rejected,
        "examples": loaded.examples[:10],
    }
    feed.last_imported_at = now
    feed.last_import = summary
    feed.save(update_fields=["last_imported_at", "last_import"])
    audit_record(actor=actor, action="feed.import", target=feed, details=summary)
    summary["alerts"] = len(feed_early_warning(feed=feed))
    return summary


def _benign_flagger() -> Callable[[str, str], str]:
    """Sharing's warninglist check (flagged, not dropped), or nothing when the hub
    has no lists: a feed is millions of values, so the setting is read once."""
    if not settings.WARNINGLISTS_FILE:
        return lambda kind, value: ""
    return lambda kind, value: warninglist_reason(kind, value)[:200]


# One statement both engines understand. Raw rather than `bulk_create`: a feed
# is millions of rows, and building a model object for each one cost more than
# the insert itself (see docs/benchmarks.md, "Feed import").
UPSERT = (
    "INSERT INTO feeds_feedindicator "
    "(feed_id, kind, value, context, first_seen, last_seen, expires_at, warninglist) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s) "
    "ON CONFLICT (feed_id, kind, value) DO UPDATE SET "
    "context = excluded.context, last_seen = excluded.last_seen, "
    "expires_at = excluded.expires_at, warninglist = excluded.warninglist"
)


# On PostgreSQL the rows go through COPY into a temporary table, then one
# upsert from it: row-by-row inserts managed ~2,000 rows/s there.
STAGE = (
    "CREATE TEMPORARY TABLE feed_import_rows (feed_id bigint, kind varchar(12), "
    "value varchar(2048), context varchar(200), first_seen timestamptz, "
    "last_seen timestamptz, expires_at timestamptz, warninglist varchar(200)) ON COMMIT DROP"
)
UPSERT_STAGED = (
    "INSERT INTO feeds_feedindicator "
    "(feed_id, kind, value, context, first_seen, last_seen, expires_at, warninglist) "
    "SELECT feed_id, kind, value, context, first_seen, last_seen, expires_at, warninglist "
    "FROM feed_import_rows "
    "ON CONFLICT (feed_id, kind, value) DO UPDATE SET "
    "context = excluded.context, last_seen = excluded.last_seen, "
    "expires_at = excluded.expires_at, warninglist = excluded.warninglist"
)

COPY_STAGE = (
    "COPY feed_import_rows "
    "(feed_id, kind, value, context, first_seen, last_seen, expires_at, warninglist) "
    "FROM STDIN"
)

Row = tuple[int, str, str, str, datetime, datetime, datetime, str]


def _upsert(rows: Iterable[Row]) -> None:
    """Insert new values and refresh known ones; rows hold distinct (kind, value)."""
    if connection.vendor == "postgresql":
        _upsert_copy(rows)
        return
    with connection.cursor() as cursor:
        for batch in batched(rows, BATCH):
            cursor.executemany(UPSERT, batch)


def _upsert_copy(rows: Iterable[Row]) -> None:
    with connection.cursor() as cursor:
        # A second import in the same transaction (tests) finds the table still there.
        cursor.execute("DROP TABLE IF EXISTS pg_temp.feed_import_rows")
        cursor.execute(STAGE)
        with cursor.cursor.copy(COPY_STAGE) as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(UPSERT_STAGED)
        cursor.execute("DROP TABLE feed_import_rows")


def member_space() -> MemberSpace:
    return MemberSpace(
        ranges=NetworkRange.objects.values_list("cidr", "organisation_id"),
        domains=Domain.objects.values_list("name", "organisation_id"),
    )


@transaction.atomic
def feed_early_warning(*, feed: Feed) -> list[FeedAlert]:
    """Alert (once) every member whose ranges or domains the feed's live values
    touch, leaving out values a warninglist marks as benign."""
    live = FeedIndicator.objects.filter(
        feed=feed,
        expires_at__gt=timezone.now(),
        kind__in=[*ADDRESS_KINDS, *HOST_KINDS],
        warninglist="",  # known-benign values are kept, flagged, but warn nobody
    ).values_list("id", "kind", "value")
    ids: dict[tuple[str, str], int] = {}
    for pk, kind, value in live.iterator(chunk_size=20000):
        ids[(kind, value)] = pk
    touches = feed_touches(member_space(), ids)
    existing = set(
        FeedAlert.objects.filter(indicator__feed=feed).values_list(
            "organisation_id", "indicator_id"
        )
    )
    new = [
        FeedAlert(
            organisation_id=t.organisation_id, indicator_id=ids[(t.kind, t.value)], reason=t.reason
        )
        for t in touches
        if (t.organisation_id, ids[(t.kind, t.value)]) not in existing
    ]
    FeedAlert.objects.bulk_create(new, ignore_conflicts=True)
    for organisation_id in {alert.organisation_id for alert in new}:
        reasons = [a.reason for a in new if a.organisation_id == organisation_id]
        transaction.on_commit(partial(_email_leads, organisation_id, feed.name, reasons))
    return new


def _email_leads(organisation_id: int, feed_name: str, reasons: list[str]) -> None:
    leads = mail_recipients(organisation_id=organisation_id, topic=MailTopic.EARLY_WARNING)
    if not leads:
        return
    shown = "\n".join(f"- {reason}" for reason in reasons[:50])
    more = f"\n... and {len(reasons) - 50} more" if len(reasons) > 50 else ""
    send_mail(
        subject=f"[{settings.HUB_NAME}] Early warning from the {feed_name} feed",
        message=(
            f"The {feed_name} feed that {settings.HUB_NAME} follows lists your "
            f"organisation's internet presence:\n\n{shown}{more}\n"
        ),
        from_email=None,
        recipient_list=leads,
    )


@transaction.atomic
def feed_alert_acknowledge(*, actor: User, alert: FeedAlert) -> FeedAlert:
    if not may(viewer_for(actor), Action.WRITE_CONTENT, organisation_id=alert.organisation_id):
        raise PermissionDenied("only the organisation's own people acknowledge its warnings")
    alert.acknowledged_at = timezone.now()
    alert.save(update_fields=["acknowledged_at"])
    audit_record(
        actor=actor,
        action="feed_alert.acknowledge",
        target=alert,
        object_id=str(alert.public_id),
        organisation_id=alert.organisation_id,
        details={"reason": alert.reason},
    )
    return alert
