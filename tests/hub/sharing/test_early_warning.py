"""Members are warned when shared reports mention their own ranges or domains."""

from __future__ import annotations

from openwarp.hub.members.models import SharingGroup
from openwarp.hub.members.policy import Role
from openwarp.hub.members.services.organisations import network_range_add
from openwarp.hub.sharing.models import Alert
from openwarp.hub.sharing.services.reports import ReportDraft, report_create
from tests.world import World


def _publish(world: World, text: str, **changes: object):  # type: ignore[no-untyped-def]
    values: dict[str, object] = dict(
        title="Scanning seen",
        threat_type="intrusion",
        tlp="amber",
        distribution="region",
        indicators_text=text,
    )
    values.update(changes)
    return report_create(actor=world.users[Role.MEMBER], draft=ReportDraft(**values))[0]  # type: ignore[arg-type]


def test_an_address_inside_a_members_range_alerts_it_and_emails_its_leads(
    world: World,
    django_capture_on_commit_callbacks,
    mailoutbox,  # type: ignore[no-untyped-def]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        report = _publish(world, "C2 callbacks to 198.51.100.45\nunrelated.example")
    alert = Alert.objects.get()
    assert alert.organisation == world.other and alert.report == report
    assert alert.reason == "198.51.100.45 is in your range 198.51.100.0/24"
    assert [m.to for m in mailoutbox] == [["lead@nottingham.example"]]
    assert "TLP:AMBER" in mailoutbox[0].subject and "198.51.100.45" in mailoutbox[0].body


def test_hosts_urls_and_emails_under_a_registered_domain_alert(world: World) -> None:
    _publish(
        world,
        "https://webmail.nottinghamcity.gov.uk/owa\nceo@nottinghamcity.gov.uk\n"
        "nottinghamcity.gov.uk.evil.example\nnotnottinghamcity.gov.uk",
    )
    reasons = sorted(Alert.objects.values_list("reason", flat=True))
    assert reasons == [
        "ceo@nottinghamcity.gov.uk is under your domain nottinghamcity.gov.uk",
        "https://webmail.nottinghamcity.gov.uk/owa is under your domain nottinghamcity.gov.uk",
    ]


def test_ranges_that_overlap_a_reported_block_alert_in_ipv6_too(world: World) -> None:
    network_range_add(actor=None, organisation=world.own, cidr="2001:db8:aa::/48")
    _publish(world, "2001:db8:aa:1::/64\n2001:DB8:AA::7")
    assert Alert.objects.filter(organisation=world.own).count() == 2


def test_no_alert_from_a_report_the_member_may_not_read(world: World) -> None:
    _publish(world, "198.51.100.45", distribution="organisation")
    assert not Alert.objects.exists()


def test_matching_a_report_again_does_not_repeat_its_alerts(world: World) -> None:
    from openwarp.hub.sharing.services.early_warning import early_warning_for_report

    report = _publish(world, "198.51.100.45\n198.51.100.46")
    assert Alert.objects.count() == 2
    assert early_warning_for_report(report=report) == []
    assert Alert.objects.count() == 2


def test_members_see_and_acknowledge_only_their_own_warnings(world: World) -> None:
    _publish(world, "198.51.100.45")
    assert world.api(Role.MEMBER).get("/api/v1/alerts").json() == []
    client = world.client(None)
    client.force_login(world.other_lead)
    alert = Alert.objects.get()
    page = client.get("/alerts/").content.decode()
    assert "198.51.100.45 is in your range" in page
    client.post("/alerts/", {"alert": str(alert.public_id)})
    alert.refresh_from_db()
    assert alert.acknowledged_at is not None
    assert "No open warnings" in client.get("/alerts/").content.decode()


def test_a_sharing_group_report_warns_the_group_members_it_touches(world: World) -> None:
    group = SharingGroup.objects.create(name="Notts and Derby")
    group.organisations.add(world.other, world.own)
    report_create(
        actor=world.users[Role.MEMBER],
        draft=ReportDraft(
            title="C2 in Nottingham's range",
            threat_type="malware",
            tlp="amber",
            distribution="sharing_group",
            sharing_group=group,
            indicators_text="198.51.100.80",
        ),
    )
    assert list(Alert.objects.values_list("organisation__slug", flat=True)) == [world.other.slug]
