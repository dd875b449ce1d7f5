"""Incidents in the browser: record one, flag a breach, watch the clock, add to the timeline."""

from __future__ import annotations

from datetime import timedelta

import pyotp
from django.utils import timezone
from playwright.sync_api import expect

from openwarp.hub.members.policy import Role
from tests.browser import test_sign_in as sign_in_tests
from tests.browser.test_sign_in import _serious_violations, sign_in
from tests.world import World

# The accessibility page fixture (CSP bypassed so axe can run), shared with sign-in tests.
axe_page = sign_in_tests.axe_page


def _local(hours_ago: float) -> str:
    return (timezone.localtime() - timedelta(hours=hours_ago)).strftime("%Y-%m-%dT%H:%M")


def test_a_member_records_a_breach_sees_the_clock_and_adds_to_the_timeline(
    axe_page, world: World
) -> None:  # type: ignore[no-untyped-def]
    page = axe_page
    found: dict[str, list[str]] = {}
    sign_in(page, world.users[Role.MEMBER])
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Incidents").click()
    expect(page.locator("h1")).to_have_text("Incidents")
    page.get_by_role("link", name="Record an incident").click()
    found["new"] = _serious_violations(page)
    page.get_by_label("Title").fill("Ransomware on the revenues servers")
    page.get_by_label("What happened").fill("Files renamed and a **ransom note** left.")
    page.get_by_label("When it started").fill(_local(5))
    page.get_by_label("When it was detected").fill(_local(6))
    page.get_by_label("NCSC category").select_option("C3")
    page.get_by_role("button", name="Record incident").click()
    expect(page.get_by_role("alert")).to_contain_text("detected before it started")
    found["new with errors"] = _serious_violations(page)
    page.get_by_label("When it was detected").fill(_local(4))
    page.get_by_role("button", name="Record incident").click()
    expect(page.locator("h1")).to_have_text("Ransomware on the revenues servers")
    expect(page.locator("strong", has_text="ransom note")).to_be_visible()

    page.get_by_role("link", name="Flag it and start the ICO clock").click()
    found["breach"] = _serious_violations(page)
    page.get_by_label("When you became aware personal data was involved").fill(_local(3))
    page.get_by_label("Approximate number of people").fill("4800")
    page.get_by_role("button", name="Save breach details").click()
    expect(page.locator("#reporting-clocks")).to_contain_text("ICO: 2 days 20 hours")
    expect(page.locator("#reporting-clocks")).to_contain_text("left")

    page.get_by_label("When", exact=True).fill(_local(2))
    page.get_by_label("What happened then").fill("File servers isolated")
    page.get_by_role("button", name="Add timeline entry").click()
    expect(page.locator("#timeline")).to_contain_text("File servers isolated")
    found["detail"] = _serious_violations(page)

    page.get_by_role("link", name="Pre-filled ICO report").click()
    expect(page.locator("#ico-answers")).to_contain_text("about 4,800")
    found["ico report"] = _serious_violations(page)
    for path in (
        "/incidents/",
        "/incidents/region/",
        "/incidents/channel/",
        "/incidents/channel/new/",
        "/",
    ):
        page.goto(path)
        found[path] = _serious_violations(page)
    expect(page.locator("#incident-panel")).to_contain_text("ICO:")
    assert {name: v for name, v in found.items() if v} == {}


def test_a_coordinator_publishes_an_anonymous_post_that_members_read_unnamed(
    axe_page, world: World
) -> None:  # type: ignore[no-untyped-def]
    page = axe_page
    sign_in(page, world.other_lead)
    page.goto("/incidents/channel/new/")
    page.get_by_label("What is attacking you").fill("Akira ransomware")
    page.get_by_label("What is happening").fill("Our VPN appliance was exploited last night.")
    page.get_by_role("button", name="Send to the coordinator").click()
    expect(page.get_by_text("without your name")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    coordinator = world.users[Role.COORDINATOR]
    sign_in(page, coordinator, lambda: pyotp.TOTP(coordinator.totp_secret).now())
    page.goto("/incidents/channel/review/")
    expect(page.get_by_text("Sent by Nottingham City Council")).to_be_visible()
    assert _serious_violations(page) == []
    page.get_by_role("button", name="Publish Akira ransomware").click()
    expect(page.get_by_text("Post published.")).to_be_visible()
    page.get_by_role("button", name="Escalate Akira ransomware to the national hub").click()
    expect(page.get_by_text("Escalated to the national hub.")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, world.users[Role.MEMBER])
    page.goto("/incidents/channel/")
    card = page.locator(".owp-card", has_text="Akira ransomware")
    expect(card).to_contain_text("unitary authority in the East Midlands")
    expect(card).not_to_contain_text("Nottingham")
