"""Writing, reading and anonymising reports; sightings and correlation."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from openwarp.core.errors import InvalidInput, PermissionDenied
from openwarp.core.sharing.paste import parse_pasted
from openwarp.hub.members.policy import Role
from openwarp.hub.sharing import selectors
from openwarp.hub.sharing.models import Indicator, Report, Sighting
from openwarp.hub.sharing.services.reports import (
    ReportDraft,
    indicators_add,
    report_create,
    report_release,
)
from openwarp.hub.sharing.services.sightings import sighting_record
from tests.world import World


def _draft(**changes: object) -> ReportDraft:
    values: dict[str, object] = dict(
        title="Credential phishing",
        threat_type="phishing",
        tlp="green",
        distribution="region",
        indicators_text="hxxp://evil[.]example/a\n198.51.100.20",
    )
    values.update(changes)
    return ReportDraft(**values)  # type: ignore[arg-type]


def test_a_member_publishes_and_others_see_it_with_its_source(world: World) -> None:
    report, unrecognised = report_create(actor=world.users[Role.MEMBER], draft=_draft())
    assert unrecognised == [] and report.state == "published"
    assert sorted(report.indicators.values_list("kind", flat=True)) == ["ipv4", "url"]
    page = world.api(Role.COORDINATOR).get(f"/api/v1/reports/{report.public_id}").json()
    assert page["source"] == "Derby City Council" and page["organisation"] == "derby-city-council"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"tlp": "purple"}, "tlp"),
        ({"threat_type": "aliens"}, "threat_type"),
        ({"title": "  "}, "title"),
        ({"tlp": "red"}, "named_recipients"),
        ({"anonymous": True, "distribution": "organisation"}, "distribution"),
        ({"distribution": "sharing_group"}, "sharing_group"),
    ],
)
def test_bad_reports_are_refused_naming_the_field_and_leave_nothing(
    world: World, changes: dict[str, object], field: str
) -> None:
    before = (Report.objects.count(), Indicator.objects.count())
    with pytest.raises(InvalidInput) as error:
        report_create(actor=world.users[Role.MEMBER], draft=_draft(**changes))
    assert error.value.field == field
    assert (Report.objects.count(), Indicator.objects.count()) == before


def test_executives_do_not_write(world: World) -> None:
    with pytest.raises(PermissionDenied):
        report_create(actor=world.users[Role.EXECUTIVE], draft=_draft())


def test_pasting_the_same_values_again_merges_them(world: World) -> None:
    report, _ = report_create(
        actor=world.users[Role.MEMBER],
        draft=_draft(indicators_text="evil.example\nEVIL.example.\nevil[.]example"),
    )
    assert report.indicators.count() == 1
    added = indicators_add(
        report=report, indicators=parse_pasted("evil.example\nnew.example").indicators
    )
    assert added == 1 and report.indicators.count() == 2


def test_hostile_markdown_is_rendered_harmless(world: World) -> None:
    report, _ = report_create(
        actor=world.users[Role.MEMBER],
        draft=_draft(
            description='Hi <script>alert("x")</script> [click](javascript:alert(1)) '
            "<img src=x onerror=alert(1)> **bold**"
        ),
    )
    page = world.client(Role.SECURITY_LEAD).get(f"/reports/{report.public_id}/").content.decode()
    assert "<strong>bold</strong>" in page
    assert "<script>alert" not in page and "javascript:" not in page and "onerror" not in page


def test_an_anonymous_report_names_nobody_until_and_after_release(world: World) -> None:
    from openwarp.hub.members.services.organisations import organisation_create
    from tests.world import make_user

    broxtowe = organisation_create(
        actor=None, name="Broxtowe Borough Council", org_type="district", region=world.region
    )
    author = make_user("soc@broxtowe.example", Role.SECURITY_LEAD, broxtowe)
    report, _ = report_create(
        actor=author,
        draft=_draft(
            title="Extortion e-mail after data theft",
            anonymous=True,
            tlp="amber",
            indicators_text="negotiate@leak-site.example",
        ),
    )
    member_api = world.api(Role.MEMBER)
    assert member_api.get(f"/api/v1/reports/{report.public_id}").status_code == 404
    queue = world.client(Role.COORDINATOR).get("/reports/review/").content.decode()
    assert "Sent by Broxtowe Borough Council" in queue
    assert "a district council in the East Midlands" in queue
    report_release(actor=world.users[Role.COORDINATOR], report=report, release=True)
    body = member_api.get(f"/api/v1/reports/{report.public_id}").content.decode()
    data = json.loads(body)
    assert data["source"] == "a district council in the East Midlands"
    assert data["organisation"] is None and data["published_at"] is None
    assert data["published_on"] == timezone.now().date().isoformat()
    assert "broxtowe" not in body.lower()
    feed = member_api.get("/api/v1/reports").content.decode()
    correlation = member_api.get(
        "/api/v1/correlation?kind=email&value=negotiate@leak-site.example"
    ).content.decode()
    assert str(report.public_id) in feed and str(report.public_id) in correlation
    assert "broxtowe" not in (feed + correlation).lower()
    for path in (
        "/reports/",
        f"/reports/{report.public_id}/",
        "/indicators/email/negotiate@leak-site.example/",
    ):
        page = world.client(Role.MEMBER).get(path).content.decode()
        assert "Broxtowe" not in page and "a district council in the East Midlands" in page


def test_the_authors_organisation_still_sees_its_own_name(world: World) -> None:
    page = world.api(None).get("/api/v1/me")  # visitors see nothing at all
    assert page.status_code == 401
    from django.test import Client

    client = Client()
    client.force_login(world.other_lead)
    data = client.get(f"/api/v1/reports/{world.held_report.public_id}").json()
    assert data["source"] == "Nottingham City Council"


def test_anonymous_reports_cannot_be_red_or_released_twice(world: World) -> None:
    with pytest.raises(InvalidInput, match="cannot be TLP:RED"):
        report_create(
            actor=world.users[Role.MEMBER],
            draft=_draft(anonymous=True, tlp="red", named_recipients=[world.other_lead]),
        )
    report_release(actor=world.users[Role.ADMIN], report=world.held_report, release=False)
    with pytest.raises(InvalidInput, match="not waiting"):
        report_release(actor=world.users[Role.ADMIN], report=world.held_report, release=True)
    with pytest.raises(PermissionDenied):
        report_release(
            actor=world.users[Role.SECURITY_LEAD], report=world.held_report, release=True
        )


def test_sightings_are_tallied_privately_and_shown_as_member_counts(world: World) -> None:
    indicator = world.green_report.indicators.get(kind="ipv4")
    sighting_record(actor=world.users[Role.MEMBER], indicator=indicator, count=3)
    sighting_record(actor=world.users[Role.SECURITY_LEAD], indicator=indicator, count=2)
    tally = Sighting.objects.get(organisation=world.own, value="203.0.113.77")
    assert tally.count == 5
    sighting_record(actor=world.users[Role.COORDINATOR], indicator=indicator)
    detail = world.api(Role.MEMBER).get(f"/api/v1/reports/{world.green_report.public_id}").json()
    row = next(i for i in detail["indicators"] if i["kind"] == "ipv4")
    assert row["members_seen_this_week"] == 2
    assert "count" not in json.dumps(detail)  # no member's own tally is exposed


def test_sightings_in_the_future_or_of_hidden_reports_are_refused(world: World) -> None:
    indicator = world.green_report.indicators.first()
    with pytest.raises(InvalidInput, match="future"):
        sighting_record(
            actor=world.users[Role.MEMBER],
            indicator=indicator,
            last_seen=timezone.now() + timedelta(hours=1),
        )
    hidden = world.held_report.indicators.first()
    with pytest.raises(PermissionDenied):
        sighting_record(actor=world.users[Role.MEMBER], indicator=hidden)
    assert not Sighting.objects.exists()


@pytest.mark.parametrize("judged_in_python", [500, 0], ids=["few reports", "very many"])
def test_correlation_finds_other_reports_within_visibility(
    world: World, monkeypatch: pytest.MonkeyPatch, judged_in_python: int
) -> None:
    # A value in few reports is judged with the policy in Python, one in very
    # many by the policy's SQL: both must answer the same.
    monkeypatch.setattr(selectors, "JUDGED_IN_PYTHON", judged_in_python)
    mine, _ = report_create(
        actor=world.users[Role.MEMBER], draft=_draft(indicators_text="203.0.113.77")
    )
    private, _ = report_create(
        actor=world.other_lead,
        draft=_draft(distribution="organisation", indicators_text="203.0.113.77"),
    )
    held, _ = report_create(  # the author's own, still waiting for release
        actor=world.users[Role.MEMBER],
        draft=_draft(anonymous=True, indicators_text="203.0.113.77"),
    )
    data = world.api(Role.MEMBER).get("/api/v1/correlation?kind=ipv4&value=203.0.113.77").json()
    ids = {row["id"] for row in data["reports"]}
    assert ids == {str(mine.public_id), str(world.green_report.public_id)}
    assert str(private.public_id) not in ids and str(held.public_id) not in ids
    assert [row["source"] for row in data["reports"]] == [
        "Derby City Council",
        world.green_report.owner_organisation.name,
    ]  # newest first, each with its publisher
    feed = {row["id"]: row for row in world.api(Role.MEMBER).get("/api/v1/reports").json()}
    assert data["reports"] == [feed[row["id"]] for row in data["reports"]]  # written alike
    detail = world.api(Role.MEMBER).get(f"/api/v1/reports/{mine.public_id}").json()
    assert detail["indicators"][0]["other_reports"] == 1  # the GREEN one, not the private one


def test_a_value_seen_by_three_members_shows_as_a_campaign(world: World) -> None:
    from openwarp.hub.members.services.organisations import organisation_create
    from tests.world import make_user

    third = organisation_create(
        actor=None, name="Gedling Borough Council", org_type="district", region=world.region
    )
    indicator = world.green_report.indicators.get(kind="ipv4")
    for person in (
        world.users[Role.MEMBER],
        world.other_lead,
        make_user("soc@gedling.example", Role.MEMBER, third),
    ):
        sighting_record(actor=person, indicator=indicator)
    page = world.client(Role.EXECUTIVE).get("/reports/").content.decode()
    assert "Seen by several members this week" in page and "203.0.113.77" in page


def test_known_benign_values_are_flagged_not_dropped(world: World, settings, shared_data) -> None:  # type: ignore[no-untyped-def]
    settings.WARNINGLISTS_FILE = str(shared_data / "warninglists" / "warninglists.jsonl.gz")
    report, _ = report_create(
        actor=world.users[Role.MEMBER],
        draft=_draft(indicators_text="8.8.8.8\nevil-payments.example"),
    )
    flags = dict(report.indicators.values_list("value", "warninglist"))
    assert set(flags) == {"8.8.8.8", "evil-payments.example"}
    assert flags["8.8.8.8"] != "" and flags["evil-payments.example"] == ""
    page = world.client(Role.MEMBER).get(f"/reports/{report.public_id}/").content.decode()
    assert f"Known benign: {flags['8.8.8.8']}" in page


def test_the_feed_puts_what_concerns_the_member_first(world: World) -> None:
    sighted, _ = report_create(
        actor=world.other_lead,
        draft=_draft(title="Older, but we saw it", indicators_text="seen-by-derby.example"),
    )
    Report.objects.filter(pk=sighted.pk).update(published_at=timezone.now() - timedelta(days=3))
    newer, _ = report_create(
        actor=world.other_lead,
        draft=_draft(title="Newest, not about us", indicators_text="elsewhere.example"),
    )
    titles = [row["title"] for row in world.api(Role.MEMBER).get("/api/v1/reports").json()]
    assert titles.index(newer.title) < titles.index(sighted.title)
    sighting_record(actor=world.users[Role.MEMBER], indicator=sighted.indicators.get())
    titles = [row["title"] for row in world.api(Role.MEMBER).get("/api/v1/reports").json()]
    assert titles[0] == sighted.title
    page = world.client(Role.MEMBER).get("/reports/").content.decode()
    assert page.index("Concerns you") < page.index("Older, but we saw it") < page.index(newer.title)
    # Nottingham has not sighted it: its feed stays newest first.
    other = world.client(None)
    other.force_login(world.other_lead)
    titles = [row["title"] for row in other.get("/api/v1/reports").json()]
    assert titles.index(newer.title) < titles.index(sighted.title)


def _feed_titles(world: World, q: str) -> set[str]:
    rows = world.api(Role.MEMBER).get("/api/v1/reports", {"q": q}).json()
    return {row["title"] for row in rows}


def test_feed_search_finds_words_and_indicator_values(world: World) -> None:
    report_create(
        actor=world.other_lead,
        draft=_draft(title="Invoice fraud against schools", indicators_text="pay-now.example"),
    )
    report_create(
        actor=world.other_lead,
        draft=_draft(title="Ransomware test exercise", description="A drill, not an attack."),
    )
    assert _feed_titles(world, "invoice") == {
        "Invoice fraud against schools",
        "Invoice phishing from a spoofed supplier",
    }
    assert _feed_titles(world, "pay-now") == {"Invoice fraud against schools"}
    assert _feed_titles(world, "203.0.113.77") == {"Invoice phishing from a spoofed supplier"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="language search is PostgreSQL's")
def test_on_postgresql_search_understands_language(world: World) -> None:
    report_create(actor=world.other_lead, draft=_draft(title="Invoice fraud against schools"))
    report_create(
        actor=world.other_lead,
        draft=_draft(title="Ransomware test exercise", description="A drill, not an attack."),
    )
    report_create(actor=world.other_lead, draft=_draft(title="Ransomware at a district council"))
    # Stems: "invoices" finds "Invoice"; "drills" finds the description's "drill".
    assert "Invoice fraud against schools" in _feed_titles(world, "invoices")
    assert _feed_titles(world, "drills") == {"Ransomware test exercise"}
    assert _feed_titles(world, "ransomware -exercise") == {"Ransomware at a district council"}
    assert _feed_titles(world, '"district council"') == {"Ransomware at a district council"}
