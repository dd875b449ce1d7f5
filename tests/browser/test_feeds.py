"""External feeds in the browser: a coordinator subscribes and imports, the
member whose range is listed is warned, and a listed value shows its feed."""

from __future__ import annotations

import pyotp
from playwright.sync_api import expect

from openwarp.hub.members.policy import Role
from tests.browser.test_sign_in import sign_in
from tests.world import World

FEED_FILE = b"# regional C2 list\n198.51.100.23\nbeacon-c2.example\nnot a value at all!\n"


def test_a_coordinator_imports_a_feed_that_warns_the_listed_member(  # type: ignore[no-untyped-def]
    browser, live_server, world: World
) -> None:
    coordinator = world.users[Role.COORDINATOR]
    hub = browser.new_context(base_url=live_server.url).new_page()
    sign_in(hub, coordinator, lambda: pyotp.TOTP(coordinator.totp_secret).now())
    hub.get_by_role("link", name="Feeds").click()
    hub.get_by_role("button", name="Subscribe to a feed").click()
    hub.get_by_label("Name").fill("Regional C2 list")
    hub.get_by_label("Source reliability (Admiralty scale)").select_option("B")
    hub.get_by_label("TLP marking").select_option("clear")
    hub.get_by_role("button", name="Subscribe").click()
    expect(hub.locator("h1")).to_have_text("Regional C2 list")
    expect(hub.get_by_text("B: usually reliable")).to_be_visible()

    hub.get_by_label("Feed file").set_input_files(
        files=[{"name": "c2.txt", "mimeType": "text/plain", "buffer": FEED_FILE}]
    )
    hub.get_by_role("button", name="Import").click()
    expect(hub.get_by_text("Imported 2 values (2 new, 1 left out)")).to_be_visible()
    expect(hub.get_by_text("c2.txt: 2 values, 2 new, 1 left out.")).to_be_visible()
    hub.get_by_text("Values left out, with their line").click()
    expect(hub.get_by_text("c2.txt:4: 'not a value at all!' is not")).to_be_visible()

    # Nottingham registered 198.51.100.0/24: its lead is warned, and can acknowledge.
    listed = browser.new_context(base_url=live_server.url).new_page()
    sign_in(listed, world.other_lead)
    listed.goto("/feeds/warnings/")
    row = listed.get_by_role("row", name="198.51.100.23")
    expect(row).to_contain_text("Regional C2 list")
    expect(row).to_contain_text("Nottingham City Council")
    listed.get_by_role("button", name="Acknowledge warning about 198.51.100.23").click()
    expect(listed.get_by_text("Warning acknowledged.")).to_be_visible()
    expect(listed.get_by_text("No open warnings.")).to_be_visible()

    # Derby's range is not listed: no warning; but the listed value shows its feed.
    member = browser.new_context(base_url=live_server.url).new_page()
    sign_in(member, world.users[Role.MEMBER])
    member.goto("/feeds/warnings/")
    expect(member.get_by_text("No open warnings.")).to_be_visible()
    member.goto("/indicators/domain/beacon-c2.example/")
    expect(member.get_by_role("link", name="Regional C2 list")).to_be_visible()
    expect(member.get_by_text("B: usually reliable")).to_be_visible()
